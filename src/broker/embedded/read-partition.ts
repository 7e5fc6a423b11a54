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
import { decodeRecords, decompressBatch, findBatchProblem, type BatchPosition, type ReadBudget } from '../record-batch/decode-record-batch.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog, ReadCursor } from './partition-log.js';
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

/** Reads that stopped inside a stored batch whose cursor a partition keeps (the readers of a topic two queries read). */
const CURSORS_PER_PARTITION = 2;

/**
 * Verifies and decodes one stored batch (offsets baseOffset..lastOffset) into `out`; true when the budget is spent.
 * With `keepCursor`, a read that stops inside the batch leaves a cursor there (see fetchFromPartition).
 */
function decodeInto(
  payload: Buffer,
  baseOffset: number,
  lastOffset: number,
  fromOffset: number,
  out: ConsumedRecord[],
  budget: ReadBudget,
  partitionLog: PartitionLog,
  keepCursor = false,
): boolean {
  const problem = findBatchProblem(payload);
  if (problem !== null) throw corrupt(partitionLog, baseOffset, lastOffset, problem);
  let batch: Buffer;
  try {
    batch = decompressBatch(payload);
  } catch (error) {
    if (error instanceof KsqlError) throw error;
    throw corrupt(partitionLog, baseOffset, lastOffset, (error as Error).message, error);
  }
  return decodeOn(batch, baseOffset, lastOffset, fromOffset, out, budget, partitionLog, null, keepCursor);
}

/** Decodes a verified, decompressed stored batch from `start` (or its first record); true when the budget is spent. */
function decodeOn(
  batch: Buffer,
  baseOffset: number,
  lastOffset: number,
  fromOffset: number,
  out: ConsumedRecord[],
  budget: ReadBudget,
  partitionLog: PartitionLog,
  start: BatchPosition | null,
  keepCursor: boolean,
): boolean {
  let stop: BatchPosition | null;
  try {
    stop = decodeRecords(batch, fromOffset, out, budget, partitionLog.topic, partitionLog.partition, start);
  } catch (error) {
    if (error instanceof KsqlError) throw error;
    throw corrupt(partitionLog, baseOffset, lastOffset, (error as Error).message, error);
  }
  if (stop === null) return budget.records <= 0;
  if (keepCursor && out.length > 0) {
    const cursors = (partitionLog.readCursors ??= []);
    if (cursors.length >= CURSORS_PER_PARTITION) cursors.shift();
    cursors.push({ batch, baseOffset, lastOffset, nextOffset: out[out.length - 1]!.offset + 1, position: stop });
  }
  return true;
}

/** Takes the cursor a read that stopped inside a stored batch left for a read from `fromOffset`, if any. */
function takeCursor(partitionLog: PartitionLog, fromOffset: number): ReadCursor | undefined {
  const cursors = partitionLog.readCursors;
  if (cursors === undefined) return undefined;
  const i = cursors.findIndex((c) => c.nextOffset === fromOffset);
  return i < 0 ? undefined : cursors.splice(i, 1)[0];
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

/**
 * Records from `fromOffset`, read committed, within `limits`. With
 * `keepCursor` (a read outside any write transaction, so of committed batches
 * only), a read that stops inside a stored batch leaves a cursor on the
 * partition, and a read from where it stopped goes on decoding the batch there
 * instead of reading and verifying it again: readers take a turn's records at
 * a time (task.ts), and a stored batch holds thousands.
 */
export function fetchFromPartition(
  statements: BrokerStatements, partitionLog: PartitionLog, fromOffset: number, limits: ReadLimits, keepCursor = false,
): FetchResult {
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
    let from = fromOffset;
    const cursor = keepCursor ? takeCursor(partitionLog, fromOffset) : undefined;
    if (cursor !== undefined) {
      spent = decodeOn(cursor.batch, cursor.baseOffset, cursor.lastOffset, fromOffset, records, budget, partitionLog, cursor.position, keepCursor);
      from = cursor.lastOffset + 1;
    }
    if (!spent && from < stableEnd) {
      for (const [baseOffset, lastOffset, payload] of statements.batchesFrom.iterate(partitionLog.id, from)) {
        if (baseOffset >= stableEnd) break;
        if (isTransactionalBatch(payload) && (isControlBatch(payload) || isAbortedAt(statements, partitionLog, readInt64(payload, PRODUCER_ID), baseOffset))) {
          const problem = findBatchProblem(payload);
          if (problem !== null) throw corrupt(partitionLog, baseOffset, lastOffset, problem);
          continue;
        }
        if (decodeInto(payload, baseOffset, lastOffset, fromOffset, records, budget, partitionLog, keepCursor)) {
          spent = true;
          break;
        }
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
