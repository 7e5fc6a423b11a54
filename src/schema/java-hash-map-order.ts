/**
 * The iteration order of a java.util.HashMap of string keys, which ksqlDB's
 * deserializers build for a MAP, so that functions walking a map (REDUCE,
 * TRANSFORM, MAP_KEYS...) meet its entries in the order ksqlDB does: by
 * bucket, and in a bucket by insertion. The JSON reader sizes its map to the
 * object (`new HashMap<>(size)`); the formats read through Kafka Connect
 * (AVRO, PROTOBUF, JSON_SR) start from a default one (`new HashMap<>()`, 16
 * buckets), so the same keys can come in another order.
 */

/** Java's String.hashCode, over UTF-16 code units. */
export function javaStringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** How the HashMap was made: sized for its entries, or with the default capacity. */
export type HashMapSizing = 'sized' | 'default';

const DEFAULT_CAPACITY = 16;

/** The table size such a HashMap has once it holds `size` entries (load factor 0.75). */
function tableSize(size: number, sizing: HashMapSizing): number {
  let capacity = 1;
  while (capacity < (sizing === 'sized' ? size : DEFAULT_CAPACITY)) capacity *= 2;
  while (size > Math.floor(capacity * 0.75)) capacity *= 2;
  return capacity;
}

/** `entries` (distinct keys, in insertion order) in the order such a HashMap iterates them. */
export function javaHashMapOrder<V>(entries: readonly (readonly [string, V])[], sizing: HashMapSizing = 'sized'): (readonly [string, V])[] {
  const mask = tableSize(entries.length, sizing) - 1;
  const bucket = (key: string): number => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & mask;
  };
  return entries.map((entry, index) => ({ entry, index, bucket: bucket(entry[0]) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.entry);
}
