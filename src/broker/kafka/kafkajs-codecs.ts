/**
 * Teaches kafkajs to read snappy, LZ4 and zstd batches (it ships gzip only)
 * with the log's own decompressors (`batch-codec.ts`, capped as the log's
 * reader is), so topics other producers compressed read as the embedded log
 * reads them. ksqlite writes its own batches uncompressed, so these codecs
 * only decompress. kafkajs keeps codecs in one table per process: this sets
 * them there once.
 */
import kafkajs from 'kafkajs';
import { decompressRecords } from '../record-batch/batch-codec.js';
import { COMPRESSION_LZ4, COMPRESSION_SNAPPY, COMPRESSION_ZSTD } from '../record-batch/record-batch-layout.js';

// kafkajs is CommonJS and Node's scan of it does not find these two among its named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

let registered = false;

function readOnlyCodec(codec: number, name: string): () => { compress(): Promise<never>; decompress(data: Buffer): Promise<Buffer> } {
  const instance = {
    compress: () => Promise.reject(new Error(`ksqlite's Kafka client writes no ${name}-compressed batches`)),
    decompress: (data: Buffer) => Promise.resolve(decompressRecords(codec, data)),
  };
  return () => instance;
}

export function registerReadCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = readOnlyCodec(COMPRESSION_SNAPPY, 'snappy');
  CompressionCodecs[CompressionTypes.LZ4] = readOnlyCodec(COMPRESSION_LZ4, 'LZ4');
  CompressionCodecs[CompressionTypes.ZSTD] = readOnlyCodec(COMPRESSION_ZSTD, 'zstd');
}
