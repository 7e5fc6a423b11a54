/**
 * A window store: (key bytes, window start, window end) -> value bytes, one
 * (query, name, partition), backed by the shared `state_windows` table
 * (keyed by key), or `state_time_windows` (time windows, keyed by window
 * start: time-first-key.ts). It
 * serves time windows (end = start + size: `fetch` a key's windows by start,
 * `fetchAll` windows by start) and session windows (`findSessions`).
 *
 * Writes are staged in a cache and flushed like the key-value store's (see
 * key-value-store.ts for the contract); a store whose owner caches what it
 * writes (`ownerCaches`) has no cache, only its staged writes. Retention: `purgeExpired(bound)`
 * expires every window that ended before `bound`. From then on reads never
 * show such windows and puts of them are ignored (as Kafka Streams drops
 * writes to expired segments); the next flush deletes them from storage.
 * The bound only grows.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { BatchedStatement, placeholderRows } from './batched-statement.js';
import { keyId } from './byte-order.js';
import { checkWindowRow, windowChecksum } from './row-checksum.js';
import { StateCorruptionError, storeMisuse } from './state-error.js';
import { keyOfTimeFirst, timeFirstKey } from './time-first-key.js';
import type { StateStore, StoreIdentity, WindowedValue } from './state-store.js';

type Database = BetterSqlite3.Database;

/** A window write waiting for the next flush. */
interface StagedEntry {
  readonly key: Buffer;
  readonly start: number;
  readonly end: number;
  value: Buffer | null;
  dirty: boolean;
}

interface CacheEntry extends StagedEntry {
  readonly keyId: string;
}

/**
 * The cached windows of one key: while it has one, the entry itself (most
 * keys of a time-window store: no Map per key), else its entries by window id.
 */
type KeyWindows = CacheEntry | Map<string, CacheEntry>;

/** The id of a window among its key's. */
function windowIdOf(start: number, end: number): string {
  return `${start}:${end}`;
}

const NO_BOUND = Number.MIN_SAFE_INTEGER;

const NO_PARAMS: readonly unknown[] = [];

/**
 * The statements of one window table, prepared once per database and kind
 * and shared by its stores: `state_windows` (key-first rows, with an index by
 * start) or `state_time_windows` (time-first rows, where a range of the key
 * column is a range of window starts).
 */
export class WindowStatements {
  readonly get: BetterSqlite3.Statement<[number, Buffer, number, number], [Buffer, number]>;
  readonly fetchKey: BetterSqlite3.Statement<[number, Buffer, number, number, number], [number, number, Buffer, number]>;
  readonly sessions: BetterSqlite3.Statement<[number, Buffer, number, number], [number, number, Buffer, number]>;
  readonly upsert: BatchedStatement;
  readonly deleteOne: BetterSqlite3.Statement<[number, Buffer, number, number]>;
  /** A stored key's windows of one start (time-window stores). */
  readonly atStart: BetterSqlite3.Statement<[number, Buffer, number, number], [number, number, Buffer, number]>;
  readonly clear: BetterSqlite3.Statement<[number]>;
  private readonly timeFirst: boolean;
  private readonly allByStart: BetterSqlite3.Statement<[number, unknown, unknown, number], [Buffer, number, number, Buffer, number]>;
  private readonly firstStart: BetterSqlite3.Statement<[number, unknown, unknown], number>;
  private readonly purgeBefore: BetterSqlite3.Statement<[number, unknown, number]>;
  private readonly lastStart: BetterSqlite3.Statement<[number], number | null>;

  constructor(db: Database, timeFirst: boolean) {
    this.timeFirst = timeFirst;
    const table = timeFirst ? 'state_time_windows' : 'state_windows';
    // The bounds of a range of window starts: the start column (indexed), or the time prefix of the key column.
    const startColumn = timeFirst ? 'key' : 'start_ms';
    const byStart = timeFirst ? 'key, start_ms, end_ms' : 'start_ms, key, end_ms';
    this.get = db
      .prepare<[number, Buffer, number, number], [Buffer, number]>(
        `SELECT value, crc FROM ${table} WHERE store = ? AND key = ? AND start_ms = ? AND end_ms = ?`,
      )
      .raw();
    this.fetchKey = db
      .prepare<[number, Buffer, number, number, number], [number, number, Buffer, number]>(
        `SELECT start_ms, end_ms, value, crc FROM ${table}
         WHERE store = ? AND key = ? AND start_ms >= ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms, end_ms`,
      )
      .raw();
    this.allByStart = db
      .prepare<[number, unknown, unknown, number], [Buffer, number, number, Buffer, number]>(
        `SELECT key, start_ms, end_ms, value, crc FROM ${table}
         WHERE store = ? AND ${startColumn} >= ? AND ${startColumn} < ? AND end_ms >= ? ORDER BY ${byStart}`,
      )
      .raw();
    this.sessions = db
      .prepare<[number, Buffer, number, number], [number, number, Buffer, number]>(
        `SELECT start_ms, end_ms, value, crc FROM ${table}
         WHERE store = ? AND key = ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms, end_ms`,
      )
      .raw();
    this.upsert = new BatchedStatement(
      db,
      (n) =>
        `INSERT INTO ${table} (store, key, start_ms, end_ms, value, crc) VALUES ${placeholderRows(n, 6)} ` +
        'ON CONFLICT (store, key, start_ms, end_ms) DO UPDATE SET value = excluded.value, crc = excluded.crc',
      6,
    );
    this.firstStart = db
      .prepare<[number, unknown, unknown], number>(
        `SELECT start_ms FROM ${table} WHERE store = ? AND ${startColumn} >= ? AND ${startColumn} < ? ORDER BY ${startColumn} LIMIT 1`,
      )
      .pluck();
    this.atStart = db
      .prepare<[number, Buffer, number, number], [number, number, Buffer, number]>(
        `SELECT start_ms, end_ms, value, crc FROM ${table} WHERE store = ? AND key = ? AND start_ms = ? AND end_ms >= ? ORDER BY end_ms`,
      )
      .raw();
    this.deleteOne = db.prepare(`DELETE FROM ${table} WHERE store = ? AND key = ? AND start_ms = ? AND end_ms = ?`);
    this.purgeBefore = db.prepare(`DELETE FROM ${table} WHERE store = ? AND ${startColumn} < ? AND end_ms < ?`);
    this.clear = db.prepare(`DELETE FROM ${table} WHERE store = ?`);
    this.lastStart = db
      .prepare<[number], number | null>(
        timeFirst
          ? `SELECT start_ms FROM ${table} WHERE store = ? ORDER BY key DESC LIMIT 1`
          : `SELECT MAX(start_ms) FROM ${table} WHERE store = ?`,
      )
      .pluck();
  }

  /** The latest window start `store` holds (a seek of the index or key), or -Infinity for none. */
  latestStart(store: number): number {
    return this.lastStart.get(store) ?? -Infinity;
  }

  /** Every window of `store` with a start in [from, to] and an end at or after `minEnd`, by start, key, end. */
  fetchAll(store: number, from: number, to: number, minEnd: number): [Buffer, number, number, Buffer, number][] {
    return this.allByStart.all(store, this.startBound(from), this.startBound(to + 1), minEnd);
  }

  /** The first window start of `store` in [from, to]. */
  nextStart(store: number, from: number, to: number): number | undefined {
    return this.firstStart.get(store, this.startBound(from), this.startBound(to + 1));
  }

  /** Deletes the windows of `store` that start and end before `bound`. */
  purge(store: number, bound: number): void {
    this.purgeBefore.run(store, this.startBound(bound), bound);
  }

  /** A window start as a bound of the start column; of a time-first key column, the start's prefix (before any key of it). */
  private startBound(start: number): unknown {
    const clamped = Math.min(Math.max(start, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
    return this.timeFirst ? timeFirstKey(clamped, EMPTY) : clamped;
  }
}

const EMPTY = Buffer.alloc(0);

export interface WindowStoreOptions extends StoreIdentity {
  readonly id: number;
  readonly statements: WindowStatements;
  /** Rows keyed by window start, then key (a `time-window` store, see time-first-key.ts). */
  readonly timeFirst?: boolean;
  /** How many windows the cache keeps after a flush (default 10 000). */
  readonly cacheEntries?: number;
  /**
   * The owner keeps every window it wrote since the last flush in a cache of
   * its own and never reads one of them from the store (an aggregate's
   * accumulators): the store then has no cache, its reads go to storage and
   * its writes are only staged, in order (a window written twice is staged
   * twice: the later write wins).
   */
  readonly ownerCaches?: boolean;
  readonly transact: (fn: () => void) => void;
  readonly onClose: () => void;
}

export class WindowStore implements StateStore {
  readonly query: string;
  readonly name: string;
  readonly partition: number;
  private readonly id: number;
  private readonly statements: WindowStatements;
  private readonly timeFirst: boolean;
  private readonly cacheEntries: number;
  private readonly ownerCaches: boolean;
  private readonly transact: (fn: () => void) => void;
  private readonly onClose: () => void;
  /** key id -> its windows. */
  private cache = new Map<string, KeyWindows>();
  private cacheSize = 0;
  /** The entries staged since the last flush (each once when cached: an entry is listed when it turns dirty). */
  private dirty: StagedEntry[] = [];
  private flushed: StagedEntry[] = [];
  /** Windows that ended before this are expired. */
  private purgeBound = NO_BOUND;
  /** Whether storage may still hold expired windows. */
  private purgePending = false;
  /**
   * No window in storage starts after this (read from storage when first
   * needed, raised by each flush, never lowered: a rolled-back flush or a
   * purge leaves it too high, which only costs a read). A window starting
   * later can only be staged, so its reads skip storage: a stream-stream
   * join's lookup of the record's own new window costs no SQL.
   */
  private storedStartBound: number | undefined;
  private closed = false;

  constructor(options: WindowStoreOptions) {
    this.query = options.query;
    this.name = options.name;
    this.partition = options.partition;
    this.id = options.id;
    this.statements = options.statements;
    this.timeFirst = options.timeFirst ?? false;
    this.cacheEntries = options.cacheEntries ?? 10_000;
    this.ownerCaches = options.ownerCaches ?? false;
    this.transact = options.transact;
    this.onClose = options.onClose;
  }

  /** The value of one window of `key`, or null. */
  get(key: Buffer, start: number, end: number): Buffer | null {
    if (end < this.purgeBound) return null;
    const id = this.ownerCaches ? '' : keyId(key);
    const cached = this.ownerCaches ? undefined : this.cached(id, start, end);
    if (cached !== undefined) return cached.value;
    this.assertOpen();
    const row = this.mayBeStored(start) ? this.statements.get.get(this.id, this.storedKey(key, start), start, end) : undefined;
    let value: Buffer | null = null;
    if (row !== undefined) {
      checkWindowRow(this, key, start, end, row[0], row[1]);
      value = row[0];
    }
    if (!this.ownerCaches) this.insert({ key, keyId: id, start, end, value, dirty: false });
    return value;
  }

  /**
   * Stages a window's value; null deletes the window. Returns false, storing
   * nothing, when the window is already expired.
   */
  put(key: Buffer, start: number, end: number, value: Buffer | null): boolean {
    if (end < this.purgeBound) return false;
    if (this.ownerCaches) {
      this.assertOpen();
      this.dirty.push({ key, start, end, value, dirty: true });
      return true;
    }
    const id = keyId(key);
    let entry = this.cached(id, start, end);
    if (entry === undefined) {
      this.assertOpen();
      entry = { key, keyId: id, start, end, value, dirty: true };
      this.insert(entry);
    } else {
      entry.value = value;
      if (entry.dirty) return true;
      entry.dirty = true;
    }
    this.dirty.push(entry);
    return true;
  }

  delete(key: Buffer, start: number, end: number): void {
    this.put(key, start, end, null);
  }

  /** The windows of `key` whose start is in [from, to], by start then end. */
  fetch(key: Buffer, from: number, to: number): WindowedValue[] {
    this.assertOpen();
    const found: WindowedValue[] = [];
    const stored = this.mayBeStored(from);
    if (stored && this.timeFirst) {
      // The window starts are few (the live windows): one seek for each, then one lookup of the key.
      for (let start = this.statements.nextStart(this.id, from, to); start !== undefined; start = start >= to ? undefined : this.statements.nextStart(this.id, start + 1, to)) {
        for (const [s, end, value, checksum] of this.statements.atStart.all(this.id, timeFirstKey(start, key), start, this.purgeBound)) {
          found.push(this.checked(key, s, end, value, checksum));
        }
      }
    } else if (stored) {
      for (const [start, end, value, checksum] of this.statements.fetchKey.all(this.id, key, from, to, this.purgeBound)) {
        found.push(this.checked(key, start, end, value, checksum));
      }
    }
    return this.mergeStaged(found, this.stagedOf(key, (e) => e.start >= from && e.start <= to), compareByWindow);
  }

  /** Every key's windows whose start is in [from, to], by start, then key bytes, then end. */
  fetchAll(from: number, to: number): WindowedValue[] {
    this.assertOpen();
    const rows = this.mayBeStored(from) ? this.statements.fetchAll(this.id, from, to, this.purgeBound) : [];
    const found = rows.map(([stored, start, end, value, checksum]) => this.checked(this.keyOfStored(stored, start, end), start, end, value, checksum));
    const staged = this.dirty.filter((e) => e.start >= from && e.start <= to && e.end >= this.purgeBound);
    return this.mergeStaged(found, staged, compareByStartThenKey);
  }

  /**
   * The sessions of `key` that end at or after `earliestEnd` and start at or
   * before `latestStart` (the sessions a record at time t with gap g merges
   * with: earliestEnd = t - g, latestStart = t + g), by start then end.
   */
  findSessions(key: Buffer, earliestEnd: number, latestStart: number): WindowedValue[] {
    this.assertOpen();
    if (this.timeFirst) throw storeMisuse(`The window store '${this.name}' of ${this.query} holds time windows, not sessions.`);
    const rows = this.statements.sessions.all(this.id, key, latestStart, Math.max(earliestEnd, this.purgeBound));
    const found = rows.map(([start, end, value, checksum]) => this.checked(key, start, end, value, checksum));
    return this.mergeStaged(
      found,
      this.stagedOf(key, (e) => e.start <= latestStart && e.end >= earliestEnd),
      compareByWindow,
    );
  }

  /** Expires every window that ended before `bound` (staged: storage follows at the next flush). */
  purgeExpired(bound: number): void {
    if (bound <= this.purgeBound) return;
    this.purgeBound = bound;
    this.purgePending = true;
  }

  flush(): void {
    this.assertOpen();
    const upserts: StagedEntry[] = [];
    const deletes: StagedEntry[] = [];
    for (const entry of this.dirty) {
      if (entry.end < this.purgeBound) continue;
      if (entry.value === null) {
        deletes.push(entry);
        continue;
      }
      if (this.storedStartBound !== undefined && entry.start > this.storedStartBound) this.storedStartBound = entry.start;
      upserts.push(entry);
    }
    if (upserts.length > 0 || deletes.length > 0 || this.purgePending) {
      this.transact(() => {
        if (this.purgePending) this.statements.purge(this.id, this.purgeBound);
        if (upserts.length > 0) {
          this.statements.upsert.runRows(upserts.length, NO_PARAMS, (row, params, at) => {
            const { key, start, end, value } = upserts[row]!;
            params[at] = this.id;
            params[at + 1] = this.storedKey(key, start);
            params[at + 2] = start;
            params[at + 3] = end;
            params[at + 4] = value;
            params[at + 5] = windowChecksum(key, start, end, value!);
          });
        }
        for (const entry of deletes) this.statements.deleteOne.run(this.id, this.storedKey(entry.key, entry.start), entry.start, entry.end);
      });
    }
    this.purgePending = false;
    for (const entry of this.dirty) entry.dirty = false;
    // Only a store with a cache of its own takes back what a failed commit flushed (abort).
    this.flushed = this.ownerCaches ? [] : this.dirty;
    this.dirty = [];
    this.evictClean();
  }

  abort(): void {
    if (!this.ownerCaches) {
      for (const entry of this.dirty) this.remove(entry as CacheEntry);
      for (const entry of this.flushed) this.remove(entry as CacheEntry);
    }
    this.dirty = [];
    this.flushed = [];
    // A rolled-back flush may have taken its purge with it: purge again next time.
    this.purgePending = this.purgeBound !== NO_BOUND;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache = new Map();
    this.cacheSize = 0;
    this.dirty = [];
    this.flushed = [];
    this.onClose();
  }

  /** How many window writes are staged and not yet flushed. */
  get stagedCount(): number {
    return this.dirty.length;
  }

  /** The window writes staged since the last flush (a null value: a deletion), expired ones left out, for a changelog. */
  *staged(): IterableIterator<{ readonly key: Buffer; readonly start: number; readonly end: number; readonly value: Buffer | null }> {
    for (const entry of this.dirty) if (entry.end >= this.purgeBound) yield entry;
  }

  /** Deletes every stored window at once and forgets the cache (a copy that cannot be trusted is restored anew). */
  wipe(): void {
    this.assertOpen();
    this.transact(() => this.statements.clear.run(this.id));
    this.cache = new Map();
    this.cacheSize = 0;
    this.dirty = [];
    this.flushed = [];
    this.storedStartBound = undefined;
  }

  /** Whether storage may hold a window that starts at `start`. */
  private mayBeStored(start: number): boolean {
    this.storedStartBound ??= this.statements.latestStart(this.id);
    return start <= this.storedStartBound;
  }

  /** The key column of a window's row. */
  private storedKey(key: Buffer, start: number): Buffer {
    return this.timeFirst ? timeFirstKey(start, key) : key;
  }

  /** The key of a row's key column (a time-first prefix that disagrees with the row's start is a damaged row). */
  private keyOfStored(stored: Buffer, start: number, end: number): Buffer {
    if (!this.timeFirst) return stored;
    const key = keyOfTimeFirst(stored, start);
    if (key === null) throw new StateCorruptionError(this, stored, { start, end });
    return key;
  }

  /** A window read from storage, once it matches its checksum (computed over the key without its time prefix). */
  private checked(key: Buffer, start: number, end: number, value: Buffer, checksum: number): WindowedValue {
    checkWindowRow(this, key, start, end, value, checksum);
    return { key, start, end, value };
  }

  private stagedOf(key: Buffer, keep: (entry: StagedEntry) => boolean): StagedEntry[] {
    if (this.ownerCaches) return this.dirty.filter((entry) => entry.end >= this.purgeBound && entry.key.equals(key) && keep(entry));
    const windows = this.cache.get(keyId(key));
    if (windows === undefined) return [];
    const out: StagedEntry[] = [];
    for (const entry of windows instanceof Map ? windows.values() : [windows]) if (entry.dirty && entry.end >= this.purgeBound && keep(entry)) out.push(entry);
    return out;
  }

  /** Storage rows with the staged entries laid over them (staged wins; null values remove), sorted. */
  private mergeStaged(
    found: WindowedValue[],
    staged: readonly StagedEntry[],
    compare: (a: WindowedValue, b: WindowedValue) => number,
  ): WindowedValue[] {
    if (staged.length === 0) return found;
    const byId = new Map<string, WindowedValue | null>();
    for (const row of found) byId.set(`${windowIdOf(row.start, row.end)}:${keyId(row.key)}`, row);
    for (const entry of staged) {
      byId.set(
        `${windowIdOf(entry.start, entry.end)}:${keyId(entry.key)}`,
        entry.value === null ? null : { key: entry.key, start: entry.start, end: entry.end, value: entry.value },
      );
    }
    const out: WindowedValue[] = [];
    for (const row of byId.values()) if (row !== null) out.push(row);
    return out.sort(compare);
  }

  /** The cached entry of a key's window. */
  private cached(id: string, start: number, end: number): CacheEntry | undefined {
    const windows = this.cache.get(id);
    if (windows === undefined) return undefined;
    if (windows instanceof Map) return windows.get(windowIdOf(start, end));
    return windows.start === start && windows.end === end ? windows : undefined;
  }

  /** Caches an entry whose window `cached` just missed. */
  private insert(entry: CacheEntry): void {
    const windows = this.cache.get(entry.keyId);
    if (windows === undefined) {
      this.cache.set(entry.keyId, entry);
    } else if (windows instanceof Map) {
      windows.set(windowIdOf(entry.start, entry.end), entry);
    } else {
      const both = new Map<string, CacheEntry>();
      both.set(windowIdOf(windows.start, windows.end), windows);
      both.set(windowIdOf(entry.start, entry.end), entry);
      this.cache.set(entry.keyId, both);
    }
    this.cacheSize++;
  }

  private remove(entry: CacheEntry): void {
    const windows = this.cache.get(entry.keyId);
    if (windows === entry) {
      this.cache.delete(entry.keyId);
      this.cacheSize--;
      return;
    }
    if (!(windows instanceof Map)) return;
    const windowId = windowIdOf(entry.start, entry.end);
    if (windows.get(windowId) !== entry) return;
    windows.delete(windowId);
    this.cacheSize--;
    if (windows.size === 0) this.cache.delete(entry.keyId);
  }

  private evictClean(): void {
    if (this.cacheSize <= this.cacheEntries) return;
    // After a flush nothing is dirty, so whole keys go at once; a store behind its owner's cache keeps none.
    if (this.cacheEntries === 0) {
      this.cache = new Map();
      this.cacheSize = 0;
      return;
    }
    for (const [id, windows] of this.cache) {
      if (this.cacheSize <= this.cacheEntries) break;
      this.cacheSize -= windows instanceof Map ? windows.size : 1;
      this.cache.delete(id);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw storeMisuse(`The window store '${this.name}' (partition ${this.partition}) of ${this.query} is closed.`);
  }
}

function compareByWindow(a: WindowedValue, b: WindowedValue): number {
  return a.start - b.start || a.end - b.end;
}

function compareByStartThenKey(a: WindowedValue, b: WindowedValue): number {
  return a.start - b.start || Buffer.compare(a.key, b.key) || a.end - b.end;
}
