/**
 * The append path's record check (scan-records.ts) against the log's reader
 * (decode-record-batch.ts): whatever the check accepts, the reader reads
 * whole, with the same timestamps and keys; randomly damaged batches (CRC
 * fixed up, so only the records are wrong) are either refused or read whole.
 */
import test from 'ava';
import type { ConsumedRecord } from '../../../src/broker/broker.js';
import { computeCrc32c } from '../../../src/broker/crc32c.js';
import { decodeRecordBatch } from '../../../src/broker/record-batch/decode-record-batch.js';
import { encodeRecordBatches } from '../../../src/broker/record-batch/encode-record-batch.js';
import { ATTRIBUTES, CRC, HEADER_SIZE, RECORD_COUNT, writeInt32 } from '../../../src/broker/record-batch/record-batch-layout.js';
import { scanRecords } from '../../../src/broker/record-batch/scan-records.js';

function batchOf(records: { key: string | null; value: string | null; headers?: { key: string; value: Buffer | null }[] }[], timestamps: number[]): Buffer {
  const [batch] = encodeRecordBatches({
    baseOffset: 0,
    records: records.map((r) => ({ key: r.key === null ? null : Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), headers: r.headers })),
    order: null,
    timestamps,
    logAppendTime: false,
    maxBatchBytes: 1 << 20,
  });
  return batch!;
}

function withCrc(batch: Buffer): Buffer {
  writeInt32(batch, CRC, computeCrc32c(batch, ATTRIBUTES, batch.length));
  return batch;
}

/** What the reader makes of the whole batch, or the error it throws. */
function readAll(batch: Buffer): ConsumedRecord[] | Error {
  const out: ConsumedRecord[] = [];
  try {
    decodeRecordBatch(batch, 0, out, { records: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER }, 't', 0);
    return out;
  } catch (error) {
    return error as Error;
  }
}

const SAMPLE = [
  { key: 'k1', value: 'v1' },
  { key: null, value: 'no key' },
  { key: 'k3', value: null, headers: [{ key: 'h', value: Buffer.from('hv') }, { key: 'n', value: null }] },
];

test('a sound batch: the largest timestamp and whether a key is null', (t) => {
  t.deepEqual(scanRecords(batchOf(SAMPLE, [5, 9, 7])), { maxTimestamp: 9, nullKey: true });
  t.deepEqual(scanRecords(batchOf([SAMPLE[0]!], [5])), { maxTimestamp: 5, nullKey: false });
});

test('a record header with a null key, a negative header count and fewer records than declared are refused', (t) => {
  const nullHeaderKey = batchOf([{ key: 'k', value: 'v', headers: [{ key: 'h', value: null }] }], [1]);
  // The header key's length (zig-zag 1 = 0x02) becomes -1 (0x01), its one byte taken from the value length's room: refused either way.
  const at = nullHeaderKey.indexOf(Buffer.from([0x02, 0x68]), HEADER_SIZE);
  nullHeaderKey[at] = 0x01;
  t.throws(() => scanRecords(withCrc(nullHeaderKey)), { instanceOf: RangeError });
  const negativeHeaders = batchOf([{ key: 'k', value: 'v' }], [1]);
  negativeHeaders[negativeHeaders.length - 1] = 0x01;
  t.throws(() => scanRecords(withCrc(negativeHeaders)), { message: 'record 0 has -1 headers' });
  const declared = batchOf(SAMPLE, [1, 2, 3]);
  declared.writeInt32BE(4, RECORD_COUNT);
  t.throws(() => scanRecords(withCrc(declared)), { message: 'it declares 4 records but holds 3' });
});

test('damaged records: whatever the check accepts, the reader reads whole with the same timestamps and keys', (t) => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let accepted = 0;
  let refused = 0;
  for (let round = 0; round < 3000; round++) {
    const batch = batchOf(SAMPLE, [5, 9, 7]);
    for (let flips = 1 + random(3); flips > 0; flips--) batch[HEADER_SIZE + random(batch.length - HEADER_SIZE)] = random(256);
    withCrc(batch);
    let scanned;
    try {
      scanned = scanRecords(batch);
    } catch (error) {
      t.true(error instanceof RangeError, String(error));
      refused++;
      continue;
    }
    accepted++;
    const read = readAll(batch);
    if (read instanceof Error) {
      t.fail(`accepted but unreadable (${read.message}): ${batch.toString('hex')}`);
      return;
    }
    t.is(read.length, 3);
    t.is(Math.max(...read.map((r) => r.timestamp)), scanned.maxTimestamp);
    t.is(read.some((r) => r.key === null), scanned.nullKey);
    t.true(read.every((r, i) => r.offset === i && Number.isSafeInteger(r.timestamp) && r.timestamp >= 0));
  }
  t.true(accepted > 0 && refused > 0, `${accepted} accepted, ${refused} refused`);
});
