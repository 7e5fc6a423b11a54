/**
 * Lays records out as Kafka RecordBatch v2 batches (uncompressed, no
 * producer id), checksummed with CRC-32C.
 */
import type { RecordHeader } from '../broker.js';
import { computeCrc32c } from '../crc32c.js';
import {
  ATTRIBUTES,
  BASE_SEQUENCE,
  BASE_TIMESTAMP,
  BATCH_LENGTH,
  CRC,
  HEADER_SIZE,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  MAGIC_V2,
  MAX_TIMESTAMP,
  PARTITION_LEADER_EPOCH,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  RECORD_COUNT,
  TIMESTAMP_TYPE_LOG_APPEND,
  writeInt16,
  writeInt32,
  writeInt64,
} from './record-batch-layout.js';
import { sizeOfVarlong, writeVarlong } from './varint.js';

export interface EncodableRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly RecordHeader[] | undefined;
}

export interface BatchInput {
  /** The offset of the first record; the others follow densely. */
  readonly baseOffset: number;
  readonly records: readonly EncodableRecord[];
  /** Positions in `records` to encode, in order; null encodes `records` in order. */
  readonly order: readonly number[] | null;
  /** Timestamps parallel to `records` (indexed by record position). */
  readonly timestamps: ArrayLike<number>;
  readonly logAppendTime: boolean;
  /** Split into several batches so that none exceeds this many bytes (a lone larger record still gets its own batch). */
  readonly maxBatchBytes: number;
  /**
   * Offset deltas from `baseOffset`, parallel to `order`, for a rewrite with
   * gaps (compaction); by default records get consecutive offsets.
   */
  readonly offsetDeltas?: ArrayLike<number>;
  /** The last offset delta to declare (compaction keeps a batch's span even when its last records go). */
  readonly lastOffsetDelta?: number;
}

let bodySizes = new Int32Array(1024);

function sizeOfHeaders(headers: readonly RecordHeader[] | undefined): number {
  if (headers === undefined || headers.length === 0) return 1;
  let size = sizeOfVarlong(headers.length);
  for (let h = 0; h < headers.length; h++) {
    const header = headers[h]!;
    const keyBytes = Buffer.byteLength(header.key, 'utf8');
    size += sizeOfVarlong(keyBytes) + keyBytes;
    const value = header.value;
    size += value === null ? 1 : sizeOfVarlong(value.length) + value.length;
  }
  return size;
}

/**
 * The encoded size of a record without its length prefix: what a batch
 * spends on it besides `sizeOfVarlong(bodySize)`.
 */
export function sizeOfRecordBody(record: EncodableRecord, timestampDelta: number, offsetDelta: number): number {
  const key = record.key;
  const value = record.value;
  return (
    1 +
    sizeOfVarlong(timestampDelta) +
    sizeOfVarlong(offsetDelta) +
    (key === null ? 1 : sizeOfVarlong(key.length) + key.length) +
    (value === null ? 1 : sizeOfVarlong(value.length) + value.length) +
    sizeOfHeaders(record.headers)
  );
}

function writeHeaders(buf: Buffer, at: number, headers: readonly RecordHeader[] | undefined): number {
  if (headers === undefined || headers.length === 0) {
    buf[at] = 0;
    return at + 1;
  }
  at = writeVarlong(buf, at, headers.length);
  for (let h = 0; h < headers.length; h++) {
    const header = headers[h]!;
    const keyBytes = Buffer.byteLength(header.key, 'utf8');
    at = writeVarlong(buf, at, keyBytes);
    at += buf.write(header.key, at, keyBytes, 'utf8');
    at = writeNullableBytes(buf, at, header.value);
  }
  return at;
}

/** Writes a length-prefixed byte string (length -1 for null); returns the position after it. */
function writeNullableBytes(buf: Buffer, at: number, bytes: Uint8Array | null): number {
  if (bytes === null) {
    buf[at] = 1;
    return at + 1;
  }
  at = writeVarlong(buf, at, bytes.length);
  buf.set(bytes, at);
  return at + bytes.length;
}

/** Writes one record (length prefix included) at `at`; `bodySize` is its `sizeOfRecordBody`. Returns the position after it. */
export function writeRecord(buf: Buffer, at: number, bodySize: number, record: EncodableRecord, timestampDelta: number, offsetDelta: number): number {
  at = writeVarlong(buf, at, bodySize);
  buf[at++] = 0;
  at = writeVarlong(buf, at, timestampDelta);
  at = writeVarlong(buf, at, offsetDelta);
  at = writeNullableBytes(buf, at, record.key);
  at = writeNullableBytes(buf, at, record.value);
  return writeHeaders(buf, at, record.headers);
}

/** The header fields of one batch that are not constant. */
export interface BatchHeader {
  readonly baseOffset: number;
  readonly lastOffsetDelta: number;
  readonly recordCount: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly logAppendTime: boolean;
}

/** Fills in the header of the batch `buf[0, size)` (its records already written after HEADER_SIZE) and its CRC. */
export function writeBatchHeader(buf: Buffer, size: number, header: BatchHeader): void {
  writeInt64(buf, 0, header.baseOffset);
  writeInt32(buf, BATCH_LENGTH, size - LOG_OVERHEAD);
  writeInt32(buf, PARTITION_LEADER_EPOCH, 0);
  buf[MAGIC] = MAGIC_V2;
  writeInt16(buf, ATTRIBUTES, header.logAppendTime ? TIMESTAMP_TYPE_LOG_APPEND : 0);
  writeInt32(buf, LAST_OFFSET_DELTA, header.lastOffsetDelta);
  writeInt64(buf, BASE_TIMESTAMP, header.baseTimestamp);
  writeInt64(buf, MAX_TIMESTAMP, header.maxTimestamp);
  writeInt64(buf, PRODUCER_ID, -1);
  writeInt16(buf, PRODUCER_EPOCH, -1);
  writeInt32(buf, BASE_SEQUENCE, -1);
  writeInt32(buf, RECORD_COUNT, header.recordCount);
  writeInt32(buf, CRC, computeCrc32c(buf, ATTRIBUTES, size));
}

/** Encodes `input` into one or more batches, each a Buffer holding exactly one RecordBatch. */
export function encodeRecordBatches(input: BatchInput): Buffer[] {
  const { records, order, timestamps, offsetDeltas } = input;
  const count = order === null ? records.length : order.length;
  if (bodySizes.length < count) bodySizes = new Int32Array(Math.max(count, bodySizes.length * 2));
  const batches: Buffer[] = [];
  let first = 0;
  while (first < count) {
    // Offsets are deltas from input.baseOffset; the first batch keeps that base.
    const batchBaseDelta = first === 0 ? 0 : offsetDeltas === undefined ? first : offsetDeltas[first]!;
    const firstPos = order === null ? first : order[first]!;
    const baseTimestamp = timestamps[firstPos]!;
    // Size this batch: take records while the batch stays within the limit.
    let size = HEADER_SIZE;
    let maxTimestamp = baseTimestamp;
    let end = first;
    while (end < count) {
      const pos = order === null ? end : order[end]!;
      const ts = timestamps[pos]!;
      const offsetDelta = (offsetDeltas === undefined ? end : offsetDeltas[end]!) - batchBaseDelta;
      const body = sizeOfRecordBody(records[pos]!, ts - baseTimestamp, offsetDelta);
      const total = sizeOfVarlong(body) + body;
      if (end > first && size + total > input.maxBatchBytes) break;
      bodySizes[end] = body;
      size += total;
      if (ts > maxTimestamp) maxTimestamp = ts;
      end++;
    }
    const buf = Buffer.allocUnsafe(size);
    let at = HEADER_SIZE;
    for (let i = first; i < end; i++) {
      const pos = order === null ? i : order[i]!;
      const offsetDelta = (offsetDeltas === undefined ? i : offsetDeltas[i]!) - batchBaseDelta;
      at = writeRecord(buf, at, bodySizes[i]!, records[pos]!, timestamps[pos]! - baseTimestamp, offsetDelta);
    }
    const lastDelta =
      end === count && input.lastOffsetDelta !== undefined
        ? input.lastOffsetDelta
        : offsetDeltas === undefined
          ? end - 1
          : offsetDeltas[end - 1]!;
    writeBatchHeader(buf, size, {
      baseOffset: input.baseOffset + batchBaseDelta,
      lastOffsetDelta: lastDelta - batchBaseDelta,
      recordCount: end - first,
      baseTimestamp,
      maxTimestamp,
      logAppendTime: input.logAppendTime,
    });
    batches.push(buf);
    first = end;
  }
  return batches;
}
