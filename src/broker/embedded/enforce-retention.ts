/**
 * Kafka's delete policy at batch granularity: drop the oldest batches while
 * their newest timestamp is older than retention.ms, or while the partition
 * stays at least retention.bytes large without them. The log start offset
 * moves past what was dropped; offsets are never reused.
 */
import type { TopicConfig } from '../topic-config.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';

/** Runs inside the caller's transaction; returns how many batches were deleted. */
export function enforceRetention(statements: BrokerStatements, log: PartitionLog, config: TopicConfig, now: number): number {
  const retentionMs = config['retention.ms'];
  const retentionBytes = config['retention.bytes'];
  if (retentionMs < 0 && retentionBytes < 0) return 0;
  const expiredBefore = retentionMs < 0 ? -Infinity : now - retentionMs;
  let excess = -1;
  if (retentionBytes >= 0) excess = (statements.partitionSize.get(log.id)?.total ?? 0) - retentionBytes;
  const doomed: number[] = [];
  let newStart = log.logStart;
  for (const row of statements.batchMetaOldestFirst.iterate(log.id)) {
    const expired = row.max_ts < expiredBefore;
    const oversize = retentionBytes >= 0 && excess >= row.size;
    if (!expired && !oversize) break;
    doomed.push(row.id);
    excess -= row.size;
    newStart = row.last_offset + 1;
  }
  for (const id of doomed) statements.deleteBatch.run(id);
  if (doomed.length > 0) log.readCursors = undefined;
  if (newStart > log.logStart) {
    log.logStart = Math.min(newStart, log.logEnd);
    statements.updatePartitionBounds.run(log.logStart, log.logEnd, log.id);
  }
  return doomed.length;
}
