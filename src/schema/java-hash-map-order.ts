/**
 * The iteration order of a java.util.HashMap of string keys, which ksqlDB's
 * JSON reader builds for a MAP (`new HashMap<>(size)`), so that functions
 * walking a map (REDUCE, TRANSFORM, MAP_KEYS...) meet its entries in the
 * order ksqlDB does: by bucket, and in a bucket by insertion.
 */

/** Java's String.hashCode, over UTF-16 code units. */
export function javaStringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** The table size a HashMap sized for `size` entries has once it holds them (load factor 0.75). */
function tableSize(size: number): number {
  let capacity = 1;
  while (capacity < size) capacity *= 2;
  while (size > Math.floor(capacity * 0.75)) capacity *= 2;
  return capacity;
}

/** `entries` (distinct keys, in insertion order) in the order such a HashMap iterates them. */
export function javaHashMapOrder<V>(entries: readonly (readonly [string, V])[]): (readonly [string, V])[] {
  const mask = tableSize(entries.length) - 1;
  const bucket = (key: string): number => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & mask;
  };
  return entries.map((entry, index) => ({ entry, index, bucket: bucket(entry[0]) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.entry);
}
