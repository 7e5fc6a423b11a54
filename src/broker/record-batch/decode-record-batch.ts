/**
 * Reads RecordBatch v2 bytes back: header fields, integrity check, and the
 * records themselves (keys and values are views into the batch buffer, no copy).
 * A compressed batch (gzip, snappy, lz4 or zstd, as Kafka producers may send
 * them) has its records decompressed on each decode (batch-codec.ts).
 */
import type { ConsumedRecord, RecordHeader } from '../broker.js';
import { BrokerError } from '../broker-error.js';
import { computeCrc32c } from '../crc32c.js';
import { codecName, decompressRecords } from './batch-codec.js';
import {
  ATTRIBUTES,
  BASE_OFFSET,
  BASE_TIMESTAMP,
  BATCH_LENGTH,
  COMPRESSION_MASK,
  COMPRESSION_NONE,
  CRC,
  HEADER_SIZE,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  MAGIC_V2,
  MAX_TIMESTAMP,
  RECORD_COUNT,
  TIMESTAMP_TYPE_LOG_APPEND,
  readInt16,
  readInt32,
  readInt64,
} from './record-batch-layout.js';
import { readVarlong, type Cursor } from './varint.js';

export interface BatchHeader {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly recordCount: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly logAppendTime: boolean;
}

export const EMPTY_HEADERS: readonly RecordHeader[] = Object.freeze([]);

export function readBatchHeader(batch: Uint8Array): BatchHeader {
  const baseOffset = readInt64(batch, BASE_OFFSET);
  return {
    baseOffset,
    lastOffset: baseOffset + readInt32(batch, LAST_OFFSET_DELTA),
    recordCount: readInt32(batch, RECORD_COUNT),
    firstTimestamp: readInt64(batch, BASE_TIMESTAMP),
    maxTimestamp: readInt64(batch, MAX_TIMESTAMP),
    logAppendTime: (readInt16(batch, ATTRIBUTES) & TIMESTAMP_TYPE_LOG_APPEND) !== 0,
  };
}

/** Why `batch` is not a sound, uncompressed RecordBatch v2, or null when it is. */
export function findBatchProblem(batch: Uint8Array): string | null {
  if (batch.length < HEADER_SIZE) return `batch is ${batch.length} bytes, shorter than its header`;
  if (readInt32(batch, BATCH_LENGTH) !== batch.length - LOG_OVERHEAD) return 'batch length field does not match the stored size';
  if (batch[MAGIC] !== MAGIC_V2) return `unsupported magic ${batch[MAGIC]}`;
  const stored = readInt32(batch, CRC) >>> 0;
  const actual = computeCrc32c(batch, ATTRIBUTES, batch.length);
  if (stored !== actual) return `CRC-32C mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)})`;
  const codec = readInt16(batch, ATTRIBUTES) & COMPRESSION_MASK;
  if (codecName(codec) === null) return `compression codec ${codec} is not one Kafka defines`;
  return null;
}

/** Throws CORRUPT_DATA unless `batch` verifies. */
export function verifyRecordBatch(batch: Uint8Array, where: string): void {
  const problem = findBatchProblem(batch);
  if (problem !== null) throw new BrokerError('CORRUPT_DATA', `Corrupt record batch in ${where}: ${problem}.`);
}

/** Remaining allowance of a read, decremented as records are taken. */
export interface ReadBudget {
  records: number;
  bytes: number;
}

const cursor: Cursor = { at: 0 };

/** The batch with its compressed records section decompressed (the header kept as it is), or the batch itself when uncompressed. */
export function decompressBatch(batch: Buffer): Buffer {
  const codec = readInt16(batch, ATTRIBUTES) & COMPRESSION_MASK;
  if (codec === COMPRESSION_NONE) return batch;
  return Buffer.concat([batch.subarray(0, HEADER_SIZE), decompressRecords(codec, batch.subarray(HEADER_SIZE))]);
}

function readHeaders(batch: Buffer, count: number): RecordHeader[] {
  const headers: RecordHeader[] = new Array(count);
  for (let h = 0; h < count; h++) {
    const keyLength = readVarlong(cursor, batch);
    const keyStart = cursor.at;
    const key = batch.toString('utf8', keyStart, keyStart + keyLength);
    cursor.at = keyStart + keyLength;
    const valueLength = readVarlong(cursor, batch);
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      value = batch.subarray(cursor.at, cursor.at + valueLength);
      cursor.at += valueLength;
    }
    headers[h] = { key, value };
  }
  return headers;
}

/**
 * Appends to `out` the records of a verified `batch` whose offset is at least
 * `fromOffset`, while `budget` lasts (a record is taken when the budget has
 * bytes left or nothing was taken yet, so a read always makes progress).
 * Returns true when the budget ran out inside this batch.
 */
export function decodeRecordBatch(
  stored: Buffer,
  fromOffset: number,
  out: ConsumedRecord[],
  budget: ReadBudget,
  topic: string,
  partition: number,
): boolean {
  return decodeRecords(decompressBatch(stored), fromOffset, out, budget, topic, partition, null) !== null;
}

/** A record of a batch: its index and the byte position where it starts. */
export interface BatchPosition {
  readonly record: number;
  readonly at: number;
}

/**
 * decodeRecordBatch over a verified, decompressed `batch`, from `start` (a
 * position an earlier call returned) or its first record. Returns where the
 * budget ran out (the first record not taken), or null when the batch ended.
 */
export function decodeRecords(
  batch: Buffer,
  fromOffset: number,
  out: ConsumedRecord[],
  budget: ReadBudget,
  topic: string,
  partition: number,
  start: BatchPosition | null,
): BatchPosition | null {
  const end = batch.length;
  // Views are made with Buffer.from(arrayBuffer, offset, length): cheaper than subarray.
  const memory = batch.buffer;
  const origin = batch.byteOffset;
  const baseOffset = readInt64(batch, BASE_OFFSET);
  const baseTimestamp = readInt64(batch, BASE_TIMESTAMP);
  const appendTime = (readInt16(batch, ATTRIBUTES) & TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? readInt64(batch, MAX_TIMESTAMP) : -1;
  const count = readInt32(batch, RECORD_COUNT);
  cursor.at = start === null ? HEADER_SIZE : start.at;
  for (let r = start === null ? 0 : start.record; r < count; r++) {
    const recordStart = cursor.at;
    const bodyLength = readVarlong(cursor, batch);
    const recordEnd = cursor.at + bodyLength;
    if (bodyLength < 0 || recordEnd > end) throw new RangeError('record runs past the end of its batch');
    cursor.at++; // record attributes: unused
    const timestampDelta = readVarlong(cursor, batch);
    const offset = baseOffset + readVarlong(cursor, batch);
    if (offset < fromOffset) {
      cursor.at = recordEnd;
      continue;
    }
    const size = recordEnd - recordStart;
    if (budget.records <= 0 || (size > budget.bytes && out.length > 0)) return { record: r, at: recordStart };
    budget.records--;
    budget.bytes -= size;
    const keyLength = readVarlong(cursor, batch);
    let key: Buffer | null = null;
    if (keyLength >= 0) {
      key = Buffer.from(memory, origin + cursor.at, keyLength);
      cursor.at += keyLength;
    }
    const valueLength = readVarlong(cursor, batch);
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      value = Buffer.from(memory, origin + cursor.at, valueLength);
      cursor.at += valueLength;
    }
    const headerCount = readVarlong(cursor, batch);
    const headers = headerCount === 0 ? EMPTY_HEADERS : readHeaders(batch, headerCount);
    if (cursor.at !== recordEnd) throw new RangeError('record length does not match its fields');
    out.push({
      topic,
      partition,
      offset,
      timestamp: appendTime >= 0 ? appendTime : baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
  return null;
}
