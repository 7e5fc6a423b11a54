/**
 * The key column of a time-first window store's rows (Kafka Streams'
 * TimeFirstWindowKeySchema): the window start as 8 order-preserving bytes,
 * then the key. In the `(store, key, ...)` primary key of `state_windows`
 * such rows sort by window start, then key, so the windows a time-window
 * aggregation writes per commit fill a few adjacent pages instead of
 * touching a page per key: a commit's cost follows its records, not the
 * number of keys the store holds.
 */

export const TIME_PREFIX_BYTES = 8;

/** Epoch ms plus this is >= 0 for every safe integer time, and below 2^54. */
const OFFSET = 2 ** 53;
const TWO_32 = 2 ** 32;

/** The stored key of `key`'s window starting at `start`. */
export function timeFirstKey(start: number, key: Buffer): Buffer {
  const stored = Buffer.allocUnsafe(TIME_PREFIX_BYTES + key.length);
  const shifted = start + OFFSET;
  const high = Math.floor(shifted / TWO_32);
  stored.writeUInt32BE(high, 0);
  stored.writeUInt32BE(shifted - high * TWO_32, 4);
  key.copy(stored, TIME_PREFIX_BYTES);
  return stored;
}

/** The key of a stored time-first key, or null when its prefix is not `start` (a damaged row). */
export function keyOfTimeFirst(stored: Buffer, start: number): Buffer | null {
  if (stored.length < TIME_PREFIX_BYTES) return null;
  const shifted = stored.readUInt32BE(0) * TWO_32 + stored.readUInt32BE(4);
  return shifted - OFFSET === start ? stored.subarray(TIME_PREFIX_BYTES) : null;
}
