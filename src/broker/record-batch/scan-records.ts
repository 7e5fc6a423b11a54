/**
 * Walks the records of a RecordBatch v2 without materialising them, for the
 * append path's check of a producer's batch: every record must be readable
 * as the log's reader (decode-record-batch.ts) will read it, with its offset
 * delta equal to its position (dense offsets) and a timestamp that is a safe
 * integer >= 0. Nothing is allocated per record (a compressed batch is
 * decompressed once, as the reader does); a problem throws a RangeError
 * naming it.
 */
import { decompressRecords } from './batch-codec.js';
import { ATTRIBUTES, BASE_TIMESTAMP, COMPRESSION_MASK, COMPRESSION_NONE, HEADER_SIZE, MAX_TIMESTAMP, RECORD_COUNT, TIMESTAMP_TYPE_LOG_APPEND, readInt16, readInt32, readInt64 } from './record-batch-layout.js';
import { readVarlong, type Cursor } from './varint.js';

export interface ScannedRecords {
  /** The largest record timestamp (as the reader computes them). */
  readonly maxTimestamp: number;
  /** Whether some record has a null key. */
  readonly nullKey: boolean;
}

const cursor: Cursor = { at: 0 };

/** Skips a length-prefixed field (a negative length is null) that must end by `end`. */
function skipField(bytes: Uint8Array, end: number): number {
  const length = readVarlong(cursor, bytes);
  if (length > 0) {
    if (cursor.at + length > end) throw new RangeError('record length does not match its fields');
    cursor.at += length;
  }
  return length;
}

/**
 * Checks the batch's declared number of records (its header is already
 * checked: size, magic, CRC, codec) and returns what the append needs of them.
 */
export function scanRecords(batch: Buffer): ScannedRecords {
  const codec = readInt16(batch, ATTRIBUTES) & COMPRESSION_MASK;
  const records = codec === COMPRESSION_NONE ? batch : decompressRecords(codec, batch.subarray(HEADER_SIZE));
  const end = records.length;
  const baseTimestamp = readInt64(batch, BASE_TIMESTAMP);
  const appendTime = (readInt16(batch, ATTRIBUTES) & TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? readInt64(batch, MAX_TIMESTAMP) : -1;
  const count = readInt32(batch, RECORD_COUNT);
  let maxTimestamp = -1;
  let nullKey = false;
  cursor.at = codec === COMPRESSION_NONE ? HEADER_SIZE : 0;
  for (let r = 0; r < count; r++) {
    if (cursor.at >= end) throw new RangeError(`it declares ${count} records but holds ${r}`);
    const bodyLength = readVarlong(cursor, records);
    const recordEnd = cursor.at + bodyLength;
    if (bodyLength < 0 || recordEnd > end) throw new RangeError('record runs past the end of its batch');
    cursor.at++; // record attributes: unused
    const timestampDelta = readVarlong(cursor, records);
    if (readVarlong(cursor, records) !== r) throw new RangeError('its records must have dense offsets from its base offset');
    const timestamp = appendTime >= 0 ? appendTime : baseTimestamp + timestampDelta;
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`record ${r} has timestamp ${timestamp}`);
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    if (skipField(records, recordEnd) < 0) nullKey = true;
    skipField(records, recordEnd);
    const headerCount = readVarlong(cursor, records);
    if (headerCount < 0) throw new RangeError(`record ${r} has ${headerCount} headers`);
    for (let h = 0; h < headerCount; h++) {
      if (skipField(records, recordEnd) < 0) throw new RangeError('a record header has a null key');
      skipField(records, recordEnd);
    }
    if (cursor.at !== recordEnd) throw new RangeError('record length does not match its fields');
  }
  return { maxTimestamp, nullKey };
}
