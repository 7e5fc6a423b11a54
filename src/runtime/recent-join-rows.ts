/**
 * The records one side of a stream-stream join wrote lately, as rows, kept in
 * memory beside the side's window store: the other side's reads cover the
 * last window's times, so most of them are answered here with no SQLite read
 * and no decode. Exact, not a cache that may miss: every record written
 * through it is here until evicted, so a read of a range after the
 * `horizon` is answered here alone.
 *
 * What the store held before (an earlier run's rows, restored ones) has
 * times up to the horizon given at the start. Memory is bounded: past the
 * budget the records written first go, and the horizon rises to their
 * times, so reads reaching back there go to the store again. Records the
 * store expired go as it expires them (and reads skip them before that).
 * A failed commit may have rolled back rows held here: the owner then drops
 * this and starts a new one.
 */
import type { SideRow } from './join-operator.js';

/** Bytes a row costs beside its encoded size (its objects, list and map slots), an estimate. */
const ENTRY_OVERHEAD_BYTES = 160;

/** Compacts the list of rows by write order once this many at its head are gone. */
const COMPACT_AFTER = 4096;

export interface RecentRow {
  readonly time: number;
  readonly row: SideRow;
}

interface Entry extends RecentRow {
  readonly id: RecentKey;
  readonly bytes: number;
}

/**
 * A key's id here: a BIGINT key in the safe range (no window) as its number, which a Map hashes several times faster
 * than a string or a bigint; any other key as the string of its encoded bytes (byte-order.ts' keyId). A number never
 * equals a string, so ids stay apart exactly as the store's encoded keys do.
 */
export type RecentKey = number | string;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** The id of join key `key` (of a row without a window), or undefined when it has none but its encoded bytes' string. */
export function numericKey(key: unknown): number | undefined {
  return typeof key === 'bigint' && key <= MAX_SAFE && key >= MIN_SAFE ? Number(key) : undefined;
}

const NONE: readonly RecentRow[] = [];

export class RecentJoinRows {
  private readonly byKey = new Map<RecentKey, Entry[]>();
  /** Every row held, by write order, from `head` on. */
  private written: (Entry | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  /** Rows before this time are expired: the store shows none of them. */
  private expiredBefore = Number.MIN_SAFE_INTEGER;

  /** `horizon`: the latest record time the store may hold that was not written through this. */
  constructor(private horizon: number, private readonly maxBytes: number) {}

  /** Whether a read of times from `from` on is answered here alone. */
  covers(from: number): boolean {
    return from > this.horizon;
  }

  /** Records that the store took `row` at `time` under the key `id` (its encoded size, key and row: `size` bytes). */
  add(id: RecentKey, time: number, row: SideRow, size: number): void {
    const entry: Entry = { id, time, row, bytes: size + ENTRY_OVERHEAD_BYTES };
    const rows = this.byKey.get(id);
    if (rows === undefined) this.byKey.set(id, [entry]);
    else rows.push(entry);
    this.written.push(entry);
    this.bytes += entry.bytes;
    while (this.bytes > this.maxBytes) {
      const first = this.drop();
      if (first.time > this.horizon) this.horizon = first.time;
    }
  }

  /**
   * The rows of key `id` at times in [from, to] (a range `covers` admits), by
   * time, then write order: as the store lists them.
   */
  rows(id: RecentKey, from: number, to: number): readonly RecentRow[] {
    const rows = this.byKey.get(id);
    if (rows === undefined) return NONE;
    const earliest = Math.max(from, this.expiredBefore);
    let found: RecentRow[] | undefined;
    let ordered = true;
    for (const entry of rows) {
      if (entry.time < earliest || entry.time > to) continue;
      if (found === undefined) found = [];
      else if (entry.time < found[found.length - 1]!.time) ordered = false;
      found.push(entry);
    }
    if (found === undefined) return NONE;
    // The sort is stable: rows of one time keep their write order.
    return ordered ? found : found.sort((a, b) => a.time - b.time);
  }

  /** Whether key `id` has a row at `time` (a time `covers` admits). */
  has(id: RecentKey, time: number): boolean {
    const rows = this.byKey.get(id);
    return rows !== undefined && time >= this.expiredBefore && rows.some((entry) => entry.time === time);
  }

  /** The store expired every record before `bound`. */
  expire(bound: number): void {
    if (bound <= this.expiredBefore) return;
    this.expiredBefore = bound;
    for (let first = this.written[this.head]; first !== undefined && first.time < bound; first = this.written[this.head]) this.drop();
  }

  /** Forgets the row written first (the first of its key's too). */
  private drop(): Entry {
    const first = this.written[this.head]!;
    this.written[this.head++] = undefined;
    this.bytes -= first.bytes;
    const rows = this.byKey.get(first.id)!;
    if (rows.length === 1) this.byKey.delete(first.id);
    else rows.shift();
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.written.length) {
      this.written = this.written.slice(this.head);
      this.head = 0;
    }
    return first;
  }
}
