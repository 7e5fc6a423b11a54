/**
 * Startup check of one partition's tail. SQLite commits are atomic, so a
 * crash cannot leave half a batch behind; what this guards against is damage
 * to the stored bytes. Batches are checked newest first and dropped while
 * they fail their CRC (or disagree with their index row); the log end moves
 * back to the first dropped offset, exactly as Kafka truncates a log to its
 * last valid batch.
 */
import { findBatchProblem, readBatchHeader } from '../record-batch/decode-record-batch.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';

export interface RecoveryOutcome {
  /** Base offsets of the batches dropped, newest first. */
  readonly droppedBaseOffsets: readonly number[];
}

function isSound(row: { base_offset: number; last_offset: number; payload: Buffer }): boolean {
  if (findBatchProblem(row.payload) !== null) return false;
  const header = readBatchHeader(row.payload);
  return header.baseOffset === row.base_offset && header.lastOffset === row.last_offset;
}

/** Runs inside the caller's transaction; fixes `log.logEnd`/`logStart` in memory and in storage. */
export function recoverPartition(statements: BrokerStatements, log: PartitionLog): RecoveryOutcome {
  const doomed: number[] = [];
  const droppedBaseOffsets: number[] = [];
  let lastSound = -1;
  for (const row of statements.batchesNewestFirst.iterate(log.id)) {
    if (isSound(row)) {
      lastSound = row.last_offset;
      break;
    }
    doomed.push(row.id);
    droppedBaseOffsets.push(row.base_offset);
  }
  for (const id of doomed) statements.deleteBatch.run(id);
  const before = [log.logStart, log.logEnd];
  if (droppedBaseOffsets.length > 0) {
    log.logEnd = droppedBaseOffsets[droppedBaseOffsets.length - 1]!;
  } else {
    log.logEnd = Math.max(log.logEnd, lastSound + 1);
  }
  log.logStart = Math.min(log.logStart, log.logEnd);
  if (before[0] !== log.logStart || before[1] !== log.logEnd) {
    statements.updatePartitionBounds.run(log.logStart, log.logEnd, log.id);
  }
  return { droppedBaseOffsets };
}
