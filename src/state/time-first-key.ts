/**
 * The key column of a time-first window store's rows (Kafka Streams'
 * TimeFirstWindowKeySchema): the window start (a safe integer) as 8
 * order-preserving bytes, then the key. In the `(store, key, ...)` primary key of `state_time_windows`
 * such rows sort by window start, then key, so the windows a time-window
 * aggregation writes per commit fill a few adjacent pages instead of
 * touching a page per key: a commit's cost follows its records, not the
 * number of keys the store holds.
 */

export const TIME_PREFIX_BYTES = 8;

const TWO_32 = 2 ** 32;
/** The sign bit of the high word, flipped so that negative times sort first (two's complement, biased). */
const SIGN = 2 ** 31;
const SHORT_KEY_BYTES = 64;

/** The stored key of `key`'s window starting at `start`. */
export function timeFirstKey(start: number, key: Buffer): Buffer {
  const stored = Buffer.allocUnsafe(TIME_PREFIX_BYTES + key.length);
  const high = Math.floor(start / TWO_32);
  stored.writeUInt32BE(high + SIGN, 0);
  stored.writeUInt32BE(start - high * TWO_32, 4);
  // A short key is copied byte by byte: Buffer.copy costs more (a view per call) for a few bytes.
  if (key.length <= SHORT_KEY_BYTES) for (let i = 0; i < key.length; i++) stored[TIME_PREFIX_BYTES + i] = key[i]!;
  else key.copy(stored, TIME_PREFIX_BYTES);
  return stored;
}

/** The key of a stored time-first key, or null when its prefix is not `start` (a damaged row). */
export function keyOfTimeFirst(stored: Buffer, start: number): Buffer | null {
  if (stored.length < TIME_PREFIX_BYTES) return null;
  const time = (stored.readUInt32BE(0) - SIGN) * TWO_32 + stored.readUInt32BE(4);
  return time === start ? stored.subarray(TIME_PREFIX_BYTES) : null;
}
