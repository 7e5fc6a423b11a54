/**
 * Kafka's DeleteRecords: move a partition's log start offset forward to a
 * given offset, never past the log end, and delete the batches that lie
 * wholly before it. A batch that straddles the new start stays; reads begin
 * at the start inside it. Offsets are never reused.
 */
import { BrokerError } from '../broker-error.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';
import { describePartition } from './read-partition.js';

/** Runs inside the caller's transaction; returns the partition's log start offset after the call. */
export function deleteRecordsBefore(statements: BrokerStatements, log: PartitionLog, beforeOffset: number): number {
  if (!Number.isSafeInteger(beforeOffset) || beforeOffset < 0 || beforeOffset > log.logEnd) {
    throw new BrokerError(
      'OFFSET_OUT_OF_RANGE',
      `Cannot delete records of ${describePartition(log)} before offset ${beforeOffset}: it must lie between 0 and the log end offset ${log.logEnd}.`,
    );
  }
  if (beforeOffset <= log.logStart) return log.logStart;
  statements.deleteBatchesBefore.run(log.id, beforeOffset);
  log.readCursors = undefined;
  statements.updatePartitionBounds.run(beforeOffset, log.logEnd, log.id);
  // In memory only once storage took it: a failed statement leaves both as they were.
  log.logStart = beforeOffset;
  return beforeOffset;
}
