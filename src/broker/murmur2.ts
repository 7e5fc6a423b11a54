/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils#murmur2, seed
 * 0x9747b28c) and the default partitioner's choice of partition for a key.
 * The hash must agree bit for bit with Kafka's, so that keyed records land on
 * the partition a Kafka producer would pick.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of `data`, as a signed 32-bit integer (Java's int). */
export function computeMurmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[length4 + 2]! << 16;
  if (tail >= 2) h ^= data[length4 + 1]! << 8;
  if (tail >= 1) {
    h ^= data[length4]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's default partitioner for a non-null key: `toPositive(murmur2(key)) % numPartitions`. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return (computeMurmur2(key) & 0x7fffffff) % numPartitions;
}
