/** Helpers over keys as byte strings in unsigned lexicographic order (SQLite's BLOB order). */

/**
 * The smallest byte string greater than every string starting with `prefix`,
 * or null when there is none (the prefix is all 0xff bytes, or empty).
 */
export function prefixUpperBound(prefix: Buffer): Buffer | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! !== 0xff) {
      const bound = Buffer.from(prefix.subarray(0, i + 1));
      bound[i] = prefix[i]! + 1;
      return bound;
    }
  }
  return null;
}

/** A string that identifies a byte string exactly (one char per byte), for Map keys. */
export function keyId(key: Buffer): string {
  return key.toString('latin1');
}
