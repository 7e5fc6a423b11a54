import test from 'ava';
import type { ConsumedRecord } from '../../../src/broker/broker.js';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { computeCrc32c } from '../../../src/broker/crc32c.js';
import {
  decodeRecordBatch,
  findBatchProblem,
  readBatchHeader,
  verifyRecordBatch,
} from '../../../src/broker/record-batch/decode-record-batch.js';
import { encodeRecordBatches, type EncodableRecord } from '../../../src/broker/record-batch/encode-record-batch.js';
import { readVarlong, sizeOfVarlong, writeVarlong } from '../../../src/broker/record-batch/varint.js';

function decodeAll(batch: Buffer, from = 0): ConsumedRecord[] {
  const out: ConsumedRecord[] = [];
  decodeRecordBatch(batch, from, out, { records: 1e9, bytes: 1e12 }, 't', 0);
  return out;
}

test('zig-zag varints encode as Kafka does', (t) => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [-1, [0x01]],
    [1, [0x02]],
    [-64, [0x7f]],
    [64, [0x80, 0x01]],
    [300, [0xd8, 0x04]],
    [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [value, bytes] of cases) {
    const buf = Buffer.alloc(10);
    const end = writeVarlong(buf, 0, value);
    t.deepEqual([...buf.subarray(0, end)], bytes, `encode ${value}`);
    t.is(sizeOfVarlong(value), bytes.length, `size of ${value}`);
    const cursor = { at: 0 };
    t.is(readVarlong(cursor, buf), value, `decode ${value}`);
    t.is(cursor.at, bytes.length);
  }
});

test('varlongs round-trip timestamps and deltas up to 2^53', (t) => {
  for (const value of [1_700_000_000_000, -1_700_000_000_000, 2 ** 40 + 5, -(2 ** 52), 2 ** 53 - 1]) {
    const buf = Buffer.alloc(12);
    const end = writeVarlong(buf, 0, value);
    t.is(end, sizeOfVarlong(value));
    t.is(readVarlong({ at: 0 }, buf), value);
  }
});

test('a batch has the RecordBatch v2 header layout with a CRC-32C over attributes onwards', (t) => {
  const records: EncodableRecord[] = [
    { key: Buffer.from('k1'), value: Buffer.from('v1') },
    { key: null, value: Buffer.from('v2') },
  ];
  const [batch] = encodeRecordBatches({
    baseOffset: 42,
    records,
    order: null,
    timestamps: [1000, 1005],
    logAppendTime: false,
    maxBatchBytes: 1 << 20,
  });
  t.truthy(batch);
  const b = batch!;
  t.is(b.readBigInt64BE(0), 42n);
  t.is(b.readInt32BE(8), b.length - 12);
  t.is(b.readInt8(16), 2, 'magic');
  t.is(b.readUInt32BE(17), computeCrc32c(b, 21));
  t.is(b.readInt16BE(21), 0, 'attributes');
  t.is(b.readInt32BE(23), 1, 'last offset delta');
  t.is(b.readBigInt64BE(27), 1000n);
  t.is(b.readBigInt64BE(35), 1005n);
  t.is(b.readBigInt64BE(43), -1n, 'producer id');
  t.is(b.readInt16BE(51), -1, 'producer epoch');
  t.is(b.readInt32BE(53), -1, 'base sequence');
  t.is(b.readInt32BE(57), 2, 'record count');
  t.is(findBatchProblem(b), null);
  t.deepEqual(readBatchHeader(b), {
    baseOffset: 42,
    lastOffset: 43,
    recordCount: 2,
    firstTimestamp: 1000,
    maxTimestamp: 1005,
    logAppendTime: false,
  });
});

test('records round-trip with null keys, null values, headers and out-of-order timestamps', (t) => {
  const records: EncodableRecord[] = [
    { key: Buffer.from('a'), value: null, headers: [{ key: 'h1', value: Buffer.from([1, 2]) }, { key: 'é', value: null }] },
    { key: null, value: Buffer.alloc(300, 7) },
    { key: Buffer.alloc(0), value: Buffer.alloc(0) },
  ];
  const [batch] = encodeRecordBatches({
    baseOffset: 0,
    records,
    order: null,
    timestamps: [5000, 4000, 1_700_000_000_000],
    logAppendTime: false,
    maxBatchBytes: 1 << 20,
  });
  const out = decodeAll(batch!);
  t.is(out.length, 3);
  t.deepEqual(
    out.map((r) => [r.offset, r.timestamp]),
    [
      [0, 5000],
      [1, 4000],
      [2, 1_700_000_000_000],
    ],
  );
  t.deepEqual(out[0]!.key, Buffer.from('a'));
  t.is(out[0]!.value, null);
  t.deepEqual(out[0]!.headers, [
    { key: 'h1', value: Buffer.from([1, 2]) },
    { key: 'é', value: null },
  ]);
  t.is(out[1]!.key, null);
  t.deepEqual(out[1]!.value, Buffer.alloc(300, 7));
  t.deepEqual(out[2]!.key, Buffer.alloc(0));
  t.deepEqual(out[2]!.value, Buffer.alloc(0));
  t.deepEqual(out[2]!.headers, []);
});

test('LogAppendTime batches report the batch time for every record', (t) => {
  const [batch] = encodeRecordBatches({
    baseOffset: 0,
    records: [{ key: null, value: Buffer.from('x') }, { key: null, value: Buffer.from('y') }],
    order: null,
    timestamps: [777, 777],
    logAppendTime: true,
    maxBatchBytes: 1 << 20,
  });
  t.is(batch!.readInt16BE(21) & 0x08, 0x08);
  t.deepEqual(
    decodeAll(batch!).map((r) => r.timestamp),
    [777, 777],
  );
});

test('appends split into several batches at the byte limit, with dense offsets across them', (t) => {
  const records = Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.alloc(100, i) }));
  const batches = encodeRecordBatches({
    baseOffset: 7,
    records,
    order: null,
    timestamps: records.map(() => 1),
    logAppendTime: false,
    maxBatchBytes: 400,
  });
  t.true(batches.length > 1);
  for (const b of batches) t.true(b.length <= 400);
  const offsets = batches.flatMap((b) => decodeAll(b).map((r) => r.offset));
  t.deepEqual(offsets, [7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
});

test('an order selects and sequences records, and offset deltas leave gaps while keeping the span', (t) => {
  const records = ['a', 'b', 'c', 'd'].map((v) => ({ key: Buffer.from(v), value: Buffer.from(v) }));
  const [batch] = encodeRecordBatches({
    baseOffset: 100,
    records,
    order: [1, 3],
    timestamps: [1, 2, 3, 4],
    logAppendTime: false,
    maxBatchBytes: 1 << 20,
    offsetDeltas: [1, 3],
    lastOffsetDelta: 5,
  });
  const header = readBatchHeader(batch!);
  t.is(header.baseOffset, 100);
  t.is(header.lastOffset, 105);
  const out = decodeAll(batch!);
  t.deepEqual(
    out.map((r) => [r.offset, r.value!.toString(), r.timestamp]),
    [
      [101, 'b', 2],
      [103, 'd', 4],
    ],
  );
});

test('decoding starts mid-batch and stops when the record or byte budget runs out', (t) => {
  const records = Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.alloc(50, i) }));
  const [batch] = encodeRecordBatches({
    baseOffset: 0,
    records,
    order: null,
    timestamps: records.map(() => 9),
    logAppendTime: false,
    maxBatchBytes: 1 << 20,
  });
  t.deepEqual(
    decodeAll(batch!, 6).map((r) => r.offset),
    [6, 7, 8, 9],
  );
  const few: ConsumedRecord[] = [];
  t.true(decodeRecordBatch(batch!, 2, few, { records: 3, bytes: 1e9 }, 't', 0));
  t.deepEqual(
    few.map((r) => r.offset),
    [2, 3, 4],
  );
  const small: ConsumedRecord[] = [];
  t.true(decodeRecordBatch(batch!, 0, small, { records: 100, bytes: 120 }, 't', 0));
  t.is(small.length, 2, 'two records of about 57 bytes fit in 120');
  const tiny: ConsumedRecord[] = [];
  decodeRecordBatch(batch!, 0, tiny, { records: 100, bytes: 1 }, 't', 0);
  t.is(tiny.length, 1, 'the first record is returned even when larger than the byte budget');
});

test('a flipped byte fails the CRC check as corrupt data', (t) => {
  const [batch] = encodeRecordBatches({
    baseOffset: 0,
    records: [{ key: null, value: Buffer.from('hello') }],
    order: null,
    timestamps: [1],
    logAppendTime: false,
    maxBatchBytes: 1 << 20,
  });
  const damaged = Buffer.from(batch!);
  damaged[damaged.length - 3]! ^= 0x40;
  t.regex(findBatchProblem(damaged) ?? '', /CRC-32C mismatch/);
  const error = t.throws(() => verifyRecordBatch(damaged, 't-0'));
  t.true(isBrokerError(error, 'CORRUPT_DATA'));
  t.is((error as { errorCode?: number }).errorCode, 50000);
});
