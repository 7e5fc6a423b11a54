/**
 * Decoded table rows in front of a stream-table join's store, so that a
 * stream row whose key was looked up before neither encodes a store key nor
 * decodes the table row again. Keyed by the join key itself (strings,
 * bigints and integers, which a Map compares by value); the table side's
 * writes replace their key's entry. A bigint within the safe integer range
 * keys a map of its own as the equal number: a Map hashes a number several
 * times faster than a bigint, and the separate map keeps 5n apart from 5. Bounded like the aggregate cache by the
 * task's cache budget (TaskState.cacheMaxBytes), estimated from the encoded
 * sizes: rows read take the room left, rows written always go in, and after
 * each flush the oldest entries go until the rest fit. A failed
 * commit (or a restore) forgets everything, since the rows it rolled back may
 * be cached.
 */
import type { StateParticipant } from './state-participant.js';

/** Bytes a cached row costs beside its encoded size (its objects and map slots), an estimate. */
const ENTRY_OVERHEAD_BYTES = 160;

/** The entry of a key the table has no row for. */
const ABSENT: unique symbol = Symbol('absent');

/** Whether a join key can key the cache: a value a Map tells apart exactly as its encoded bytes do. */
export function cacheableKey(key: unknown): boolean {
  return typeof key === 'string' || typeof key === 'bigint' || (typeof key === 'number' && Number.isSafeInteger(key) && !Object.is(key, -0));
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** Whether a bigint keys the cache as a number: within the range a number holds exactly. */
function isSafeBigint(key: unknown): key is bigint {
  return typeof key === 'bigint' && key <= MAX_SAFE && key >= MIN_SAFE;
}

/**
 * One map of the cache: the rows themselves, so a lookup reaches a row with
 * no object in between (a large table's rows are read in random order, and
 * every object on the way is a likely cache miss), and their sizes beside,
 * in the same order, which only writes and evictions touch.
 */
class Entries<K, T> {
  readonly rows = new Map<K, T | typeof ABSENT>();
  readonly sizes = new Map<K, number>();
}

export class DecodedRowCache<T> implements StateParticipant {
  private entries = new Entries<unknown, T>();
  /** Entries of bigint keys within the safe range, by their number. */
  private bigints = new Entries<number, T>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The cached row of `key` (null: known absent), or undefined when not cached. */
  get(key: unknown): T | null | undefined {
    const row = isSafeBigint(key) ? this.bigints.rows.get(Number(key)) : this.entries.rows.get(key);
    return row === ABSENT ? null : row;
  }

  /**
   * Caches a row read from the store while the budget has room: a lookup
   * never pushes out another row, so a stream whose keys rarely repeat costs
   * the cache nothing once it is full.
   */
  offer(key: unknown, row: T | null, encodedBytes: number): void {
    if (this.bytes + ENTRY_OVERHEAD_BYTES + encodedBytes <= this.maxBytes) this.set(key, row, encodedBytes);
  }

  /** Caches the row of `key` (null: absent) as the table side writes it; `encodedBytes` is its size in the store. */
  set(key: unknown, row: T | null, encodedBytes: number): void {
    if (isSafeBigint(key)) this.put(this.bigints, Number(key), row, encodedBytes);
    else this.put(this.entries, key, row, encodedBytes);
  }

  private put<K>(entries: Entries<K, T>, key: K, row: T | null, encodedBytes: number): void {
    const previous = entries.sizes.get(key);
    if (previous !== undefined) {
      this.bytes -= previous;
      entries.rows.delete(key);
      entries.sizes.delete(key);
    }
    const bytes = ENTRY_OVERHEAD_BYTES + encodedBytes;
    entries.rows.set(key, row === null ? ABSENT : row);
    entries.sizes.set(key, bytes);
    this.bytes += bytes;
  }

  /** The store has every write: only the budget is enforced here, oldest entries first (a join's keys are of one type, so in one map). */
  flush(): void {
    this.evict(this.entries);
    this.evict(this.bigints);
  }

  private evict<K>(entries: Entries<K, T>): void {
    if (this.bytes <= this.maxBytes) return;
    for (const [key, bytes] of entries.sizes) {
      if (this.bytes <= this.maxBytes) break;
      this.bytes -= bytes;
      entries.rows.delete(key);
      entries.sizes.delete(key);
    }
  }

  abort(): void {
    this.entries = new Entries();
    this.bigints = new Entries();
    this.bytes = 0;
  }
}
