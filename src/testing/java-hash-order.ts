/**
 * The order in which a java.util.HashMap of String keys iterates, given the
 * keys in insertion order. ksqlDB's test runner collects a test's topics in
 * such a map and registers their schemas in its order, so the ids a test
 * names (KEY_SCHEMA_ID / VALUE_SCHEMA_ID) follow it: buckets in index order
 * (a key's bucket is its spread String.hashCode masked by the table size,
 * 16 doubled while the map holds more than three quarters of it), keys of
 * one bucket in insertion order.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const distinct = [...new Set(keys)];
  let capacity = 16;
  while (distinct.length > capacity * 0.75) capacity *= 2;
  const bucketOf = (key: string): number => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return distinct
    .map((key, index) => ({ key, index, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

/** Java's String.hashCode: 31-based over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
