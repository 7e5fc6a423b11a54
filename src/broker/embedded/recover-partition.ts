/**
 * Startup check of one partition's tail. SQLite commits are atomic, so a
 * crash cannot leave half a batch behind; what this guards against is damage
 * to the stored bytes. Batches are checked newest first and dropped while
 * they fail their CRC (or disagree with their index row); the log end moves
 * back to the first dropped offset, exactly as Kafka truncates a log to its
 * last valid batch. Committed group offsets past the new log end would make
 * consumers skip the records appended next, so they move back to the log end
 * too (Kafka resets an out-of-range offset the same way). All of it is
 * reported, with the statements a dropped batch of the command topic held.
 */
import { findBatchProblem, readBatchHeader } from '../record-batch/decode-record-batch.js';
import type { BatchRow, BrokerStatements } from './embedded-statements.js';
import { isCommandTopic, readLostStatements } from './lost-statements.js';
import type { PartitionLog } from './partition-log.js';
import type { DroppedBatch, OffsetReset } from './recovery-report.js';

export interface RecoveryOutcome {
  /** The batches dropped, newest first. */
  readonly dropped: readonly DroppedBatch[];
  readonly offsetResets: readonly OffsetReset[];
}

function problemOf(row: BatchRow): string | null {
  const problem = findBatchProblem(row.payload);
  if (problem !== null) return problem;
  const header = readBatchHeader(row.payload);
  if (header.baseOffset !== row.base_offset || header.lastOffset !== row.last_offset) {
    return `its header says offsets ${header.baseOffset} to ${header.lastOffset}, its index row ${row.base_offset} to ${row.last_offset}`;
  }
  return null;
}

function describeDropped(row: BatchRow, problem: string, log: PartitionLog): DroppedBatch {
  const dropped = {
    topic: log.topic,
    partition: log.partition,
    baseOffset: row.base_offset,
    lastOffset: row.last_offset,
    recordCount: row.record_count,
    problem,
  };
  if (!isCommandTopic(log.topic)) return dropped;
  return { ...dropped, lostStatements: readLostStatements(row.payload, row.base_offset, row.last_offset, log.topic, log.partition) };
}

/** Runs inside the caller's transaction; fixes `log.logEnd`/`logStart` in memory and in storage. */
export function recoverPartition(statements: BrokerStatements, log: PartitionLog, now: number): RecoveryOutcome {
  const dropped: DroppedBatch[] = [];
  const doomed: number[] = [];
  let lastSound = -1;
  for (const row of statements.batchesNewestFirst.iterate(log.id)) {
    const problem = problemOf(row);
    if (problem === null) {
      lastSound = row.last_offset;
      break;
    }
    doomed.push(row.id);
    dropped.push(describeDropped(row, problem, log));
  }
  for (const id of doomed) statements.deleteBatch.run(id);
  if (doomed.length > 0) log.readCursors = undefined;
  const before = [log.logStart, log.logEnd];
  if (dropped.length > 0) {
    log.logEnd = dropped[dropped.length - 1]!.baseOffset;
  } else {
    log.logEnd = Math.max(log.logEnd, lastSound + 1);
  }
  log.logStart = Math.min(log.logStart, log.logEnd);
  if (before[0] !== log.logStart || before[1] !== log.logEnd) {
    statements.updatePartitionBounds.run(log.logStart, log.logEnd, log.id);
  }
  const offsetResets: OffsetReset[] = [];
  if (dropped.length === 0) return { dropped, offsetResets };
  for (const { group_id: group, offset } of statements.groupOffsetsPast.all(log.topic, log.partition, log.logEnd)) {
    statements.upsertGroupOffset.run(group, log.topic, log.partition, log.logEnd, now);
    offsetResets.push({ group, topic: log.topic, partition: log.partition, from: offset, to: log.logEnd });
  }
  return { dropped, offsetResets };
}
