import test from 'ava';
import type { ConsumedRecord } from '../../../src/broker/broker.js';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { decodeRecordBatch, readBatchHeader, verifyRecordBatch } from '../../../src/broker/record-batch/decode-record-batch.js';
import { encodeRecordBatches, type EncodableRecord } from '../../../src/broker/record-batch/encode-record-batch.js';
import { RecordBatchBuilder } from '../../../src/broker/record-batch/record-batch-builder.js';

function decode(batches: readonly Buffer[]): ConsumedRecord[] {
  const out: ConsumedRecord[] = [];
  for (const batch of batches) {
    verifyRecordBatch(batch, 't-0');
    decodeRecordBatch(batch, 0, out, { records: 1e9, bytes: 1e12 }, 't', 0);
  }
  return out;
}

const record = (i: number): EncodableRecord => ({
  key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
  value: i % 5 === 0 ? null : Buffer.from(`value-${i}-${'x'.repeat(i % 40)}`),
  headers: i % 4 === 0 ? [{ key: 'h', value: Buffer.from([i & 255]) }, { key: 'empty', value: null }] : [],
});

test('records added one by one make the same batch as encoding them all at once', (t) => {
  const records = Array.from({ length: 50 }, (_, i) => record(i));
  const timestamps = records.map((_, i) => 1_700_000_000_000 + ((i * 37) % 100) - 50);
  const builder = new RecordBatchBuilder(1_048_588);
  records.forEach((r, i) => builder.add(r, timestamps[i]!, 'topic t'));
  t.is(builder.count, 50);
  const built = builder.finish(1000);
  const encoded = encodeRecordBatches({ baseOffset: 1000, records, order: null, timestamps, logAppendTime: false, maxBatchBytes: 1_048_588 });
  t.deepEqual(built.map((b) => b.toString('hex')), encoded.map((b) => b.toString('hex')));
});

test('a builder starts a new batch before one would exceed the limit, and offsets run on across them', (t) => {
  const builder = new RecordBatchBuilder(400);
  for (let i = 0; i < 30; i++) builder.add({ key: Buffer.from(`k${i}`), value: Buffer.alloc(40, i) }, 5000 + i, 'topic t');
  const batches = builder.finish(7);
  t.true(batches.length > 1);
  for (const batch of batches) t.true(batch.length <= 400);
  const decoded = decode(batches);
  t.deepEqual(decoded.map((r) => r.offset), Array.from({ length: 30 }, (_, i) => 7 + i));
  t.deepEqual(decoded.map((r) => r.timestamp), Array.from({ length: 30 }, (_, i) => 5000 + i));
  t.deepEqual(decoded.map((r) => r.value![0]), Array.from({ length: 30 }, (_, i) => i));
});

test('a record too large for any batch is refused when added, and the builder keeps the others', (t) => {
  const builder = new RecordBatchBuilder(200);
  builder.add({ key: null, value: Buffer.from('small') }, 1, 'topic t');
  const error = t.throws(() => builder.add({ key: null, value: Buffer.alloc(300) }, 2, "topic 't'"));
  t.true(isBrokerError(error, 'RECORD_TOO_LARGE'));
  t.regex(error!.message, /exceeds max\.message\.bytes=200 of topic 't'/);
  builder.add({ key: null, value: Buffer.from('after') }, 3, 'topic t');
  t.deepEqual(decode(builder.finish(0)).map((r) => r.value!.toString()), ['small', 'after']);
});

test('with an append time every record reads back with that time', (t) => {
  const builder = new RecordBatchBuilder(1_048_588);
  builder.add({ key: null, value: Buffer.from('a') }, 10, 'topic t');
  builder.add({ key: null, value: Buffer.from('b') }, 20, 'topic t');
  const [batch] = builder.finish(0, 99_999);
  t.true(readBatchHeader(batch!).logAppendTime);
  t.deepEqual(decode([batch!]).map((r) => r.timestamp), [99_999, 99_999]);
});

test('a cleared builder starts again from nothing, also after growing its buffer', (t) => {
  const builder = new RecordBatchBuilder(64 * 1024 * 1024);
  for (let i = 0; i < 3000; i++) builder.add({ key: null, value: Buffer.alloc(1000, 1) }, i, 'topic t');
  t.is(decode(builder.finish(0)).length, 3000);
  builder.clear();
  t.is(builder.count, 0);
  t.deepEqual(builder.finish(0), []);
  builder.add({ key: Buffer.from('k'), value: Buffer.from('v') }, 1, 'topic t');
  t.deepEqual(decode(builder.finish(5)).map((r) => [r.offset, r.key!.toString(), r.value!.toString()]), [[5, 'k', 'v']]);
  // Growing again (at once to what the last commit held) keeps what was added before the growth.
  for (let i = 0; i < 3000; i++) builder.add({ key: null, value: Buffer.alloc(1000, i & 255) }, i, 'topic t');
  const again = decode(builder.finish(6));
  t.is(again.length, 3001);
  t.deepEqual([again[0]!.key!.toString(), again[3000]!.value![0], again[3000]!.offset], ['k', 2999 & 255, 3006]);
});
