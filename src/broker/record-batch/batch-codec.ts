/**
 * The compression codecs of Kafka's RecordBatch v2 (attributes bits 0-2):
 * none, gzip, snappy, lz4 and zstd. Batches are stored compressed, as the
 * producer sent them; the log's reader decompresses their records section
 * with `decompressRecords` on each decode. Every codec is capped at
 * MAX_INFLATED_BYTES before or while it inflates, so a small batch cannot
 * make the reader allocate without bound. Data that does not decompress is a
 * CORRUPT_DATA error.
 */
import { gunzipSync } from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import { decompressFrameSync as lz4FrameDecompress } from 'lz4-napi';
import { uncompress as snappyBlockUncompress } from 'snappyjs';
import { BrokerError } from '../broker-error.js';
import { COMPRESSION_GZIP, COMPRESSION_LZ4, COMPRESSION_SNAPPY, COMPRESSION_ZSTD } from './record-batch-layout.js';

const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/** The most a batch's records may decompress to. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** Kafka's codec name for `codec`, or null for an id Kafka does not define (5-7). */
export function codecName(codec: number): string | null {
  return CODEC_NAMES[codec] ?? null;
}

/** The header xerial's snappy-java stream writes first (Java clients and librdkafka write it; plain blocks are read too). */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** Magic, then int32 version and int32 compatible version. */
const XERIAL_HEADER_SIZE = 16;

function inflateSnappy(data: Buffer, max: number): Buffer {
  if (data.length < XERIAL_HEADER_SIZE || !data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return snappyBlockUncompress(data, max);
  // xerial framing: a sequence of (int32 compressed length, snappy block).
  const blocks: Buffer[] = [];
  let total = 0;
  let at = XERIAL_HEADER_SIZE;
  while (at < data.length) {
    if (at + 4 > data.length) throw new Error('a snappy block length is cut short');
    const length = data.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > data.length) throw new Error(`a snappy block of ${length} bytes runs past the data`);
    const block = snappyBlockUncompress(data.subarray(at, at + length), max - total);
    blocks.push(block);
    total += block.length;
    at += length;
  }
  return Buffer.concat(blocks, total);
}

const LZ4_MAGIC = 0x184d2204;
/** Block maximum sizes by the BD byte's 3-bit id (4 to 7). */
const LZ4_BLOCK_MAX = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20];

/**
 * The most an LZ4 frame can decompress to, from its block headers alone:
 * each block holds at most the frame's block maximum size.
 */
function lz4FrameBound(data: Buffer): number {
  if (data.length < 7 || data.readUInt32LE(0) !== LZ4_MAGIC) throw new Error('not an LZ4 frame');
  const flags = data[4]!;
  const blockMax = LZ4_BLOCK_MAX[(data[5]! >> 4) & 0x07]!;
  if ((flags >> 6) !== 1 || blockMax === 0) throw new Error('an LZ4 frame header this reader does not know');
  const blockChecksum = (flags & 0x10) !== 0 ? 4 : 0;
  const contentChecksum = (flags & 0x04) !== 0 ? 4 : 0;
  let at = 4 + 2 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0) + 1;
  let bound = 0;
  for (;;) {
    if (at + 4 > data.length) throw new Error('an LZ4 frame is cut short');
    const size = data.readUInt32LE(at) & 0x7fffffff;
    at += 4;
    if (size === 0) {
      // Kafka writes one frame: a second one would inflate past this bound.
      if (at + contentChecksum !== data.length) throw new Error('data follows the LZ4 frame');
      return bound;
    }
    at += size + blockChecksum;
    bound += blockMax;
  }
}

function inflateLz4(data: Buffer, max: number): Buffer {
  if (lz4FrameBound(data) > max) throw new Error(`LZ4 frame may decompress to more than ${max} bytes`);
  return lz4FrameDecompress(data);
}

function inflateZstd(data: Buffer, max: number): Buffer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new ZstdStream((chunk) => {
    total += chunk.length;
    if (total > max) throw new Error(`zstd data decompresses to more than ${max} bytes`);
    chunks.push(chunk);
  });
  stream.push(data, true);
  return Buffer.concat(chunks, total);
}

function inflate(codec: number, data: Buffer, max: number): Buffer {
  switch (codec) {
    case COMPRESSION_GZIP:
      return gunzipSync(data, { maxOutputLength: max });
    case COMPRESSION_SNAPPY:
      return inflateSnappy(data, max);
    case COMPRESSION_LZ4:
      return inflateLz4(data, max);
    case COMPRESSION_ZSTD:
      return inflateZstd(data, max);
    default:
      throw new Error(`unknown compression codec ${codec}`);
  }
}

/** The records section `data` of a batch compressed with `codec` (not COMPRESSION_NONE), decompressed. */
export function decompressRecords(codec: number, data: Buffer, max = MAX_INFLATED_BYTES): Buffer {
  try {
    return inflate(codec, data, max);
  } catch (error) {
    throw new BrokerError('CORRUPT_DATA', `The ${codecName(codec) ?? `codec ${codec}`} records of a batch do not decompress: ${(error as Error).message}.`, error);
  }
}
