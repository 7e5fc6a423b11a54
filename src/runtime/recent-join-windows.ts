/**
 * The windows one side of a stream-stream join wrote lately (a key and time
 * -> the encoded list of the side's rows there, as its window store holds
 * them), kept in memory beside the store: the other side's reads cover the
 * last window's times, so most of them are answered here with no SQLite
 * read. Exact, not a cache that may miss: every window written through it is
 * here until evicted, so a read of a range after the `horizon` is answered
 * here alone. The values are the stored bytes, not decoded rows: a few
 * objects per window to keep, so holding a window's worth adds little to
 * garbage collection, and only a match decodes.
 *
 * What the store held before (an earlier run's rows, restored ones) has
 * times up to the horizon given at the start. Memory is bounded: past the
 * budget the windows written first go, and the horizon rises to their
 * times, so reads reaching back there go to the store again. Windows the
 * store expired go as it expires them (and reads skip them before that).
 * A failed commit may have rolled back windows held here: the owner then
 * drops this and starts a new one.
 */

/** Bytes a window costs beside its key and value (its objects and map slot), an estimate. */
const ENTRY_OVERHEAD_BYTES = 160;

export interface RecentWindow {
  readonly start: number;
  readonly value: Buffer;
}

/** A window held: in two chains, its key's windows and every window, each in the order first written. */
interface Entry {
  readonly id: RecentKey;
  readonly start: number;
  value: Buffer;
  bytes: number;
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

const NONE: readonly RecentWindow[] = [];

export class RecentJoinWindows {
  /** Each key's first window held (the rest follow by `nextOfKey`): no list per key, most keys have one window. */
  private readonly byKey = new Map<RecentKey, Entry>();
  /** The window written first and last of those held. */
  private first: Entry | undefined;
  private last: Entry | undefined;
  private bytes = 0;
  /** Windows before this time are expired: the store shows none of them. */
  private expiredBefore = Number.MIN_SAFE_INTEGER;

  /** `horizon`: the latest record time the store may hold that was not written through this. */
  constructor(private horizon: number, private readonly maxBytes: number) {}

  /** Whether a read of times from `from` on is answered here alone. */
  covers(from: number): boolean {
    return from > this.horizon;
  }

  /** The value of key `id`'s window at `start` (a time `covers` admits), or null. */
  get(id: RecentKey, start: number): Buffer | null {
    if (start < this.expiredBefore) return null;
    for (let entry = this.byKey.get(id); entry !== undefined; entry = entry.nextOfKey) if (entry.start === start) return entry.value;
    return null;
  }

  /** Records that the store took `value` for key `id`'s window at `start` (`keyBytes`: the key's encoded size). */
  put(id: RecentKey, start: number, value: Buffer, keyBytes: number): void {
    let keyEntry = this.byKey.get(id);
    for (let entry = keyEntry; entry !== undefined; entry = entry.nextOfKey) {
      if (entry.start !== start) continue;
      this.bytes += value.length - entry.value.length;
      entry.bytes += value.length - entry.value.length;
      entry.value = value;
      this.evictPastBudget();
      return;
    }
    const added: Entry = { id, start, value, bytes: keyBytes + value.length + ENTRY_OVERHEAD_BYTES, nextOfKey: undefined, nextWritten: undefined };
    if (keyEntry === undefined) {
      this.byKey.set(id, added);
    } else {
      while (keyEntry.nextOfKey !== undefined) keyEntry = keyEntry.nextOfKey;
      keyEntry.nextOfKey = added;
    }
    if (this.last === undefined) this.first = added;
    else this.last.nextWritten = added;
    this.last = added;
    this.bytes += added.bytes;
    this.evictPastBudget();
  }

  /** Key `id`'s windows that start in [from, to] (a range `covers` admits), by start: as the store lists them. */
  fetch(id: RecentKey, from: number, to: number): readonly RecentWindow[] {
    const earliest = Math.max(from, this.expiredBefore);
    let found: RecentWindow[] | undefined;
    let ordered = true;
    for (let entry = this.byKey.get(id); entry !== undefined; entry = entry.nextOfKey) {
      if (entry.start < earliest || entry.start > to) continue;
      if (found === undefined) found = [];
      else if (entry.start < found[found.length - 1]!.start) ordered = false;
      found.push(entry);
    }
    if (found === undefined) return NONE;
    return ordered ? found : found.sort((a, b) => a.start - b.start);
  }

  /** The store expired every window before `bound`. */
  expire(bound: number): void {
    if (bound <= this.expiredBefore) return;
    this.expiredBefore = bound;
    while (this.first !== undefined && this.first.start < bound) this.dropFirst();
  }

  private evictPastBudget(): void {
    while (this.bytes > this.maxBytes) {
      const first = this.dropFirst();
      if (first.start > this.horizon) this.horizon = first.start;
    }
  }

  /** Forgets the window written first (the first of its key's too). */
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
