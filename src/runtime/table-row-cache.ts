/**
 * Table rows in front of a stream-table join's store, so that a stream row
 * whose key was looked up before needs no SQLite read. Keyed by the join key
 * itself (strings, bigints and integers, which a Map compares by value); the
 * table side's writes replace their key's entry. A bigint within the safe
 * integer range keys a map of its own as the equal number: a Map hashes a
 * number several times faster than a bigint, and the separate map keeps 5n
 * apart from 5.
 *
 * The rows are kept as their store bytes, one after another in one buffer
 * (the arena), and the first DECODED_ROWS also decoded: a large table's rows
 * are read in random order, and decoded rows (an object, its array, each
 * string) cost a CPU cache miss per object on the way and the garbage
 * collector's marking of every one, where a row's bytes are one or two
 * cache lines and no object, decoded at each hit. Bounded by the task's cache budget (TaskState.cacheMaxBytes):
 * rows read take the room left, rows written always go in, and after each
 * flush the oldest entries go until the rest fit. A failed commit (or a
 * restore) forgets everything, since the rows it rolled back may be cached.
 */
import type { StateParticipant } from './state-participant.js';

/** Bytes an entry costs beside its row's bytes (its map slots and its length in the arena), an estimate. */
const ENTRY_OVERHEAD_BYTES = 64;

/** The position of a key the table has no row for. */
const ABSENT = -1;

/**
 * How many rows are kept decoded as well: as many as the CPU's caches hold
 * with their objects (a small table is read without a decode), where a
 * larger table's rows are each decoded when read.
 */
const DECODED_ROWS = 16_384;

/** An entry kept decoded: its row, and its position in the arena. */
interface Decoded<T> {
  at: number;
  readonly row: T;
}

/** An entry: its position in the arena (ABSENT: the table has no row), or its decoded row with the position. */
type Entry<T> = number | Decoded<T>;

/** The arena's first size, and the size under which it is never compacted. */
const INITIAL_ARENA_BYTES = 64 * 1024;

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

/** Decodes a row from its store bytes, `bytes` from `start` to `end`. */
export type DecodeRow<T> = (bytes: Buffer, start: number, end: number) => T;

export class TableRowCache<T> implements StateParticipant {
  /** Each key's entry: its row's position in the arena (a 4-byte length, then the bytes). */
  private positions = new Map<unknown, Entry<T>>();
  /** The same for bigint keys within the safe range, by their number. */
  private bigints = new Map<number, Entry<T>>();
  /** How many entries are decoded. */
  private decodedRows = 0;
  private arena = Buffer.allocUnsafe(INITIAL_ARENA_BYTES);
  /** Bytes of the arena written so far. */
  private used = 0;
  /** Bytes of the arena that entries still point at. */
  private live = 0;
  /** What the entries cost against the budget. */
  private bytes = 0;

  constructor(private readonly maxBytes: number, private readonly decode: DecodeRow<T>) {}

  /** The cached row of `key` (null: known absent), or undefined when not cached. */
  get(key: unknown): T | null | undefined {
    const at = isSafeBigint(key) ? this.bigints.get(Number(key)) : this.positions.get(key);
    if (at === undefined) return undefined;
    if (typeof at !== 'number') return at.row;
    if (at === ABSENT) return null;
    const arena = this.arena;
    const start = at + 4;
    return this.decode(arena, start, start + arena.readUInt32LE(at));
  }

  /**
   * Caches a row read from the store (its bytes and what they decode to;
   * null: absent) while the budget has room: a lookup never pushes out
   * another row, so a stream whose keys rarely repeat costs the cache
   * nothing once it is full.
   */
  offer(key: unknown, row: Buffer | null, decoded: T | null): void {
    if (this.bytes + ENTRY_OVERHEAD_BYTES + (row === null ? 0 : row.length) <= this.maxBytes) this.set(key, row, decoded);
  }

  /** Caches the row of `key` (its bytes and what they decode to; null: absent) as the table side writes it. */
  set(key: unknown, row: Buffer | null, decoded: T | null): void {
    if (isSafeBigint(key)) this.put(this.bigints, Number(key), row, decoded);
    else this.put(this.positions, key, row, decoded);
  }

  private put<K>(positions: Map<K, Entry<T>>, key: K, row: Buffer | null, decoded: T | null): void {
    const previous = positions.get(key);
    if (previous !== undefined) {
      this.forget(previous);
      // Deleted first, so the entry is the newest in the map's order (the eviction order).
      positions.delete(key);
    }
    if (row === null) {
      positions.set(key, ABSENT);
    } else {
      const at = this.append(row);
      if (decoded !== null && this.decodedRows < DECODED_ROWS) {
        positions.set(key, { at, row: decoded });
        this.decodedRows++;
      } else {
        positions.set(key, at);
      }
    }
    this.bytes += ENTRY_OVERHEAD_BYTES + (row === null ? 0 : row.length);
  }

  /** Writes a row's bytes at the arena's end; returns their position. */
  private append(row: Buffer): number {
    const need = 4 + row.length;
    if (this.used + need > this.arena.length) this.makeRoom(need);
    const at = this.used;
    this.arena.writeUInt32LE(row.length, at);
    row.copy(this.arena, at + 4);
    this.used += need;
    this.live += need;
    return at;
  }

  /** What an entry no longer holds, against the budget and in the arena. */
  private forget(entry: Entry<T>): void {
    let at = entry;
    if (typeof at !== 'number') {
      this.decodedRows--;
      at = at.at;
    }
    if (at === ABSENT) {
      this.bytes -= ENTRY_OVERHEAD_BYTES;
      return;
    }
    const length = this.arena.readUInt32LE(at);
    this.bytes -= ENTRY_OVERHEAD_BYTES + length;
    this.live -= 4 + length;
  }

  /** Compacts the arena when at least half of it is replaced rows, or grows it, so that `need` more bytes fit. */
  private makeRoom(need: number): void {
    if (this.used - this.live >= this.live) this.compact(need);
    if (this.used + need > this.arena.length) this.compact(need, Math.max(2 * this.arena.length, this.used + need));
  }

  /** Copies the rows entries point at into a new arena (of `size` bytes, at least twice what they and `need` take). */
  private compact(need: number, size = Math.max(INITIAL_ARENA_BYTES, 2 * (this.live + need))): void {
    const from = this.arena;
    const to = Buffer.allocUnsafe(size);
    let used = 0;
    const move = <K>(positions: Map<K, Entry<T>>): void => {
      for (const [key, entry] of positions) {
        const at = typeof entry === 'number' ? entry : entry.at;
        if (at === ABSENT) continue;
        const length = 4 + from.readUInt32LE(at);
        from.copy(to, used, at, at + length);
        if (typeof entry === 'number') positions.set(key, used);
        else entry.at = used;
        used += length;
      }
    };
    move(this.positions);
    move(this.bigints);
    this.arena = to;
    this.used = used;
    this.live = used;
  }

  /** The store has every write: only the budget is enforced here, oldest entries first (a join's keys are of one type, so in one map). */
  flush(): void {
    this.evict(this.positions);
    this.evict(this.bigints);
    if (this.arena.length > INITIAL_ARENA_BYTES && this.used - this.live > this.live) this.compact(0);
  }

  private evict<K>(positions: Map<K, Entry<T>>): void {
    if (this.bytes <= this.maxBytes) return;
    for (const [key, entry] of positions) {
      if (this.bytes <= this.maxBytes) break;
      this.forget(entry);
      positions.delete(key);
    }
  }

  abort(): void {
    this.positions = new Map();
    this.bigints = new Map();
    this.arena = Buffer.allocUnsafe(INITIAL_ARENA_BYTES);
    this.used = 0;
    this.live = 0;
    this.bytes = 0;
    this.decodedRows = 0;
  }
}
