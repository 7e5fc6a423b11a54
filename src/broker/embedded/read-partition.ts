/**
 * The read path: find the first stored batch that can hold the requested
 * offset (one index seek), verify each batch's CRC before use, and decode
 * records from the requested offset on while the read's budget lasts. A batch
 * that fails its check is never served: the read fails with CORRUPT_DATA
 * naming the topic, partition and offsets of that batch.
 *
 * Records are read committed, for every reader in the process (queries,
 * PRINT, the command log): a read stops at the last stable offset (the first
 * offset of the earliest open transaction), and skips transaction markers
 * (control batches) and the batches of aborted transactions.
 */
import type { ConsumedRecord, FetchResult, ReadLimits } from '../broker.js';
import { BrokerError } from '../broker-error.js';
import { KsqlError } from '../../common/errors.js';
import { decodeRecordBatch, findBatchProblem, type ReadBudget } from '../record-batch/decode-record-batch.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';
import { isControlBatch, isTransactionalBatch } from '../record-batch/control-batch.js';
import { PRODUCER_ID, readInt64 } from '../record-batch/record-batch-layout.js';
import { isAbortedAt, lastStableOffset } from './transaction-index.js';

const DEFAULT_MAX_RECORDS = 500;
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export function describePartition(partitionLog: PartitionLog): string {
  return `${partitionLog.topic}-${partitionLog.partition}`;
}

function corrupt(partitionLog: PartitionLog, baseOffset: number, lastOffset: number, problem: string, cause?: unknown): BrokerError {
  return new BrokerError(
    'CORRUPT_DATA',
    `Corrupt record batch in ${describePartition(partitionLog)} (topic '${partitionLog.topic}', partition ${partitionLog.partition}, ` +
      `offsets ${baseOffset} to ${lastOffset}): ${problem}.`,
    cause,
  );
}

/** Verifies and decodes one stored batch (offsets baseOffset..lastOffset) into `out`; true when the budget is spent. */
function decodeInto(
  payload: Buffer,
  baseOffset: number,
  lastOffset: number,
  fromOffset: number,
  out: ConsumedRecord[],
  budget: ReadBudget,
  partitionLog: PartitionLog,
): boolean {
  const problem = findBatchProblem(payload);
  if (problem !== null) throw corrupt(partitionLog, baseOffset, lastOffset, problem);
  try {
    return decodeRecordBatch(payload, fromOffset, out, budget, partitionLog.topic, partitionLog.partition) || budget.records <= 0;
  } catch (error) {
    if (error instanceof KsqlError) throw error;
    throw corrupt(partitionLog, baseOffset, lastOffset, (error as Error).message, error);
  }
}

function checkFromOffset(partitionLog: PartitionLog, fromOffset: number): void {
  if (!Number.isSafeInteger(fromOffset) || fromOffset < partitionLog.logStart || fromOffset > partitionLog.logEnd) {
    throw new BrokerError(
      'OFFSET_OUT_OF_RANGE',
      `Offset ${fromOffset} is out of range for ${describePartition(partitionLog)}: valid offsets are ${partitionLog.logStart} to ${partitionLog.logEnd}.`,
    );
  }
}

/**
 * The stored batches from the one holding `fromOffset` on, whole and as
 * stored (each checked first), while their total stays within `maxBytes`
 * and they start before `endOffset` (default the log end); the first batch is
 * returned even when it alone is larger.
 */
export function readStoredBatches(
  statements: BrokerStatements,
  partitionLog: PartitionLog,
  fromOffset: number,
  maxBytes: number,
  endOffset: number = partitionLog.logEnd,
): Buffer[] {
  checkFromOffset(partitionLog, fromOffset);
  const batches: Buffer[] = [];
  if (fromOffset >= endOffset) return batches;
  // The stored sizes say which batches fit, so no payload is read only to be left out.
  let planned = 0;
  let lastTaken = -1;
  for (const [baseOffset, lastOffset, size] of statements.batchSizesFrom.iterate(partitionLog.id, fromOffset)) {
    if (baseOffset >= endOffset) break;
    if (lastTaken >= 0 && planned + size > maxBytes) break;
    planned += size;
    lastTaken = lastOffset;
  }
  let total = 0;
  for (const [baseOffset, lastOffset, payload] of statements.batchesBetween.iterate(partitionLog.id, fromOffset, lastTaken)) {
    if (batches.length > 0 && total + payload.length > maxBytes) break;
    const problem = findBatchProblem(payload);
    if (problem !== null) throw corrupt(partitionLog, baseOffset, lastOffset, problem);
    batches.push(payload);
    total += payload.length;
  }
  return batches;
}

export function fetchFromPartition(statements: BrokerStatements, partitionLog: PartitionLog, fromOffset: number, limits: ReadLimits): FetchResult {
  checkFromOffset(partitionLog, fromOffset);
  const maxRecords = limits.maxRecords ?? DEFAULT_MAX_RECORDS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(maxRecords >= 1) || !(maxBytes >= 1)) {
    throw new BrokerError('INVALID_RECORD', `Read limits must be at least 1 (got maxRecords=${maxRecords}, maxBytes=${maxBytes}).`);
  }
  const records: ConsumedRecord[] = [];
  const budget: ReadBudget = { records: maxRecords, bytes: maxBytes };
  const stableEnd = lastStableOffset(statements, partitionLog);
  let spent = false;
  if (fromOffset < stableEnd) {
    for (const [baseOffset, lastOffset, payload] of statements.batchesFrom.iterate(partitionLog.id, fromOffset)) {
      if (baseOffset >= stableEnd) break;
      if (isTransactionalBatch(payload) && (isControlBatch(payload) || isAbortedAt(statements, partitionLog, readInt64(payload, PRODUCER_ID), baseOffset))) {
        const problem = findBatchProblem(payload);
        if (problem !== null) throw corrupt(partitionLog, baseOffset, lastOffset, problem);
        continue;
      }
      if (decodeInto(payload, baseOffset, lastOffset, fromOffset, records, budget, partitionLog)) {
        spent = true;
        break;
      }
    }
  }
  const nextOffset = spent && records.length > 0 ? records[records.length - 1]!.offset + 1 : Math.max(stableEnd, fromOffset);
  return { records, nextOffset };
}

/** The first offset at or after the log start whose timestamp is >= `timestamp` (Kafka's ListOffsets by time). */
export function findOffsetForTimestamp(statements: BrokerStatements, partitionLog: PartitionLog, timestamp: number): number | null {
  for (const row of statements.batchesWithTimestampFrom.iterate(partitionLog.id, timestamp)) {
    const records: ConsumedRecord[] = [];
    const budget = { records: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER };
    decodeInto(row.payload, row.base_offset, row.last_offset, partitionLog.logStart, records, budget, partitionLog);
    for (const record of records) if (record.timestamp >= timestamp) return record.offset;
  }
  return null;
}
