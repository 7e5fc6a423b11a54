/**
 * The batch codecs: each of Kafka's compressions decodes to the records it
 * holds, snappy both xerial-framed and as a plain block, and none inflates
 * past its cap.
 */
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { compressFrameSync } from 'lz4-napi';
import { compress as snappyCompress } from 'snappyjs';
import type { ConsumedRecord } from '../../../src/broker/broker.js';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { computeCrc32c } from '../../../src/broker/crc32c.js';
import { decompressRecords } from '../../../src/broker/record-batch/batch-codec.js';
import { decodeRecordBatch, findBatchProblem } from '../../../src/broker/record-batch/decode-record-batch.js';
import { RecordBatchBuilder } from '../../../src/broker/record-batch/record-batch-builder.js';
import {
  ATTRIBUTES,
  BATCH_LENGTH,
  COMPRESSION_GZIP,
  COMPRESSION_LZ4,
  COMPRESSION_SNAPPY,
  COMPRESSION_ZSTD,
  CRC,
  RECORDS,
} from '../../../src/broker/record-batch/record-batch-layout.js';

/** `zstd -19` of ZSTD_TEXT, made once with the zstd tool (there is no zstd compressor among the dependencies). */
const ZSTD_FRAME = Buffer.from(
  'KLUv/WQuAxUDACIEDRGwHQNjIJYZmOBUdJOU7RIHA+D///+3bdu227Zt22MKGeIuQMwl2MCScYIE2gMBLPgUgwEoqBHw638HgKPiAxHMEPwMYZ8fJ2EfIYQf7OAGGbygghNEcJFS9TJsIKoBAX4hrA==',
  'base64',
);
const ZSTD_TEXT = Array.from({ length: 40 }, (_, i) => `record ${i} of a zstd frame; `).join('');

function batchOf(count: number): Buffer {
  const builder = new RecordBatchBuilder(1024 * 1024);
  for (let i = 0; i < count; i++) builder.add({ key: Buffer.from(`key-${i}`), value: Buffer.from(`value ${i} `.repeat(8)), headers: [{ key: 'h', value: Buffer.from(String(i)) }] }, 5000 + i, 't');
  return builder.finish(0)[0]!;
}

/** `batch` with its records section compressed by `compress` and marked with `codec`, CRC fixed. */
function compressed(batch: Buffer, codec: number, compress: (records: Buffer) => Buffer): Buffer {
  const out = Buffer.concat([batch.subarray(0, RECORDS), compress(batch.subarray(RECORDS))]);
  out.writeInt32BE(out.length - 12, BATCH_LENGTH);
  out.writeInt16BE((out.readInt16BE(ATTRIBUTES) & ~7) | codec, ATTRIBUTES);
  out.writeUInt32BE(computeCrc32c(out, ATTRIBUTES, out.length), CRC);
  return out;
}

/** snappy-java's stream format: its header, then (int32 length, snappy block) chunks. */
function xerialSnappy(data: Buffer, chunkSize: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])];
  for (let at = 0; at < data.length; at += chunkSize) {
    const block = snappyCompress(data.subarray(at, at + chunkSize));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

function decodeAll(batch: Buffer): ConsumedRecord[] {
  const out: ConsumedRecord[] = [];
  decodeRecordBatch(batch, 0, out, { records: 1e9, bytes: 1e12 }, 't', 0);
  return out;
}

function plain(records: readonly ConsumedRecord[]): unknown[] {
  return records.map((r) => [r.offset, r.timestamp, String(r.key), String(r.value), r.headers.map((h) => `${h.key}=${String(h.value)}`)]);
}

const CODECS: [string, number, (records: Buffer) => Buffer][] = [
  ['gzip', COMPRESSION_GZIP, (r) => gzipSync(r)],
  ['snappy, xerial-framed', COMPRESSION_SNAPPY, (r) => xerialSnappy(r, 100)],
  ['snappy, a plain block', COMPRESSION_SNAPPY, (r) => snappyCompress(Buffer.from(r))],
  ['lz4 frame', COMPRESSION_LZ4, (r) => compressFrameSync(Buffer.from(r))],
];

for (const [name, codec, compress] of CODECS) {
  test(`a ${name} batch verifies and decodes to the records it compresses`, (t) => {
    const batch = batchOf(20);
    const packed = compressed(batch, codec, compress);
    t.true(packed.length < batch.length, 'the records compressed');
    t.is(findBatchProblem(packed), null);
    t.deepEqual(plain(decodeAll(packed)), plain(decodeAll(batch)));
  });
}

test('zstd data decompresses (a frame the zstd tool wrote)', (t) => {
  t.is(decompressRecords(COMPRESSION_ZSTD, ZSTD_FRAME).toString(), ZSTD_TEXT);
});

test('compressed data that does not decompress, or would inflate past the cap, is CORRUPT_DATA', (t) => {
  const garbage = Buffer.from('these bytes are no codec\'s output');
  for (const codec of [COMPRESSION_GZIP, COMPRESSION_SNAPPY, COMPRESSION_LZ4, COMPRESSION_ZSTD]) {
    const error = t.throws(() => decompressRecords(codec, garbage));
    t.true(isBrokerError(error, 'CORRUPT_DATA'), `codec ${codec}: ${error?.message}`);
  }
  const text = Buffer.from(ZSTD_TEXT);
  const cases: [number, Buffer][] = [
    [COMPRESSION_GZIP, gzipSync(text)],
    [COMPRESSION_SNAPPY, snappyCompress(text)],
    [COMPRESSION_SNAPPY, xerialSnappy(text, 300)],
    [COMPRESSION_LZ4, compressFrameSync(text)],
    [COMPRESSION_ZSTD, ZSTD_FRAME],
  ];
  for (const [codec, data] of cases) {
    t.is(decompressRecords(codec, data).length, text.length);
    const error = t.throws(() => decompressRecords(codec, data, 500));
    t.true(isBrokerError(error, 'CORRUPT_DATA'), `codec ${codec} capped: ${error?.message}`);
  }
});

test('a codec id Kafka does not define is a batch problem', (t) => {
  const batch = compressed(batchOf(1), 5, (r) => Buffer.from(r));
  t.regex(findBatchProblem(batch) ?? '', /codec 5/);
});

test('an LZ4 frame followed by more data is CORRUPT_DATA: what follows could inflate past the bound read from the first frame', (t) => {
  const frame = compressFrameSync(Buffer.from(ZSTD_TEXT));
  const error = t.throws(() => decompressRecords(COMPRESSION_LZ4, Buffer.concat([frame, frame])));
  t.true(isBrokerError(error, 'CORRUPT_DATA'), error?.message);
});
