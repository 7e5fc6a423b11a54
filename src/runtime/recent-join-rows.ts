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

export interface RecentRow {
  readonly time: number;
  readonly row: SideRow;
}

/** A row held: in two chains, its key's rows and every row, each in write order. */
interface Entry extends RecentRow {
  readonly id: RecentKey;
  readonly bytes: number;
  nextOfKey: Entry | undefined;
  nextWritten: Entry | undefined;
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
  /** Each key's first row held (the rest follow by `nextOfKey`): no list per key, most keys have one row. */
  private readonly byKey = new Map<RecentKey, Entry>();
  /** The row written first and last of those held. */
  private first: Entry | undefined;
  private last: Entry | undefined;
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
    const entry: Entry = { id, time, row, bytes: size + ENTRY_OVERHEAD_BYTES, nextOfKey: undefined, nextWritten: undefined };
    let keyRow = this.byKey.get(id);
    if (keyRow === undefined) {
      this.byKey.set(id, entry);
    } else {
      while (keyRow.nextOfKey !== undefined) keyRow = keyRow.nextOfKey;
      keyRow.nextOfKey = entry;
    }
    if (this.last === undefined) this.first = entry;
    else this.last.nextWritten = entry;
    this.last = entry;
    this.bytes += entry.bytes;
    while (this.bytes > this.maxBytes) {
      const first = this.dropFirst();
      if (first.time > this.horizon) this.horizon = first.time;
    }
  }

  /**
   * The rows of key `id` at times in [from, to] (a range `covers` admits), by
   * time, then write order: as the store lists them.
   */
  rows(id: RecentKey, from: number, to: number): readonly RecentRow[] {
    const earliest = Math.max(from, this.expiredBefore);
    let found: RecentRow[] | undefined;
    let ordered = true;
    for (let entry = this.byKey.get(id); entry !== undefined; entry = entry.nextOfKey) {
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
    if (time < this.expiredBefore) return false;
    for (let entry = this.byKey.get(id); entry !== undefined; entry = entry.nextOfKey) if (entry.time === time) return true;
    return false;
  }

  /** The store expired every record before `bound`. */
  expire(bound: number): void {
    if (bound <= this.expiredBefore) return;
    this.expiredBefore = bound;
    while (this.first !== undefined && this.first.time < bound) this.dropFirst();
  }

  /** Forgets the row written first (the first of its key's too). */
  private dropFirst(): Entry {
    const first = this.first!;
    this.first = first.nextWritten;
    if (this.first === undefined) this.last = undefined;
    this.bytes -= first.bytes;
    if (first.nextOfKey === undefined) this.byKey.delete(first.id);
    else this.byKey.set(first.id, first.nextOfKey);
    return first;
  }
}
