/**
 * A window store: (key bytes, window start, window end) -> value bytes, one
 * (query, name, partition), backed by the shared `state_windows` table
 * (keyed by key, or for time windows by window start: time-first-key.ts). It
 * serves time windows (end = start + size: `fetch` a key's windows by start,
 * `fetchAll` windows by start) and session windows (`findSessions`).
 *
 * Writes are staged in a cache and flushed like the key-value store's (see
 * key-value-store.ts for the contract). Retention: `purgeExpired(bound)`
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

interface CacheEntry {
  readonly key: Buffer;
  readonly keyId: string;
  readonly windowId: string;
  readonly start: number;
  readonly end: number;
  value: Buffer | null;
  dirty: boolean;
}

const NO_BOUND = Number.MIN_SAFE_INTEGER;

/** The statements of `state_windows`, prepared once per database and shared by its stores. */
export class WindowStatements {
  readonly get: BetterSqlite3.Statement<[number, Buffer, number, number], [Buffer, number]>;
  readonly fetchKey: BetterSqlite3.Statement<[number, Buffer, number, number, number], [number, number, Buffer, number]>;
  readonly fetchAll: BetterSqlite3.Statement<[number, number, number, number], [Buffer, number, number, Buffer, number]>;
  readonly sessions: BetterSqlite3.Statement<[number, Buffer, number, number], [number, number, Buffer, number]>;
  readonly upsert: BatchedStatement;
  readonly deleteOne: BetterSqlite3.Statement<[number, Buffer, number, number]>;
  /** The first window start in [from, to] (time-window stores). */
  readonly nextStart: BetterSqlite3.Statement<[number, number, number], number>;
  /** A stored key's windows of one start (time-window stores). */
  readonly atStart: BetterSqlite3.Statement<[number, Buffer, number, number], [number, number, Buffer, number]>;
  readonly purge: BetterSqlite3.Statement<[number, number, number]>;
  readonly clear: BetterSqlite3.Statement<[number]>;

  constructor(db: Database) {
    this.get = db
      .prepare<[number, Buffer, number, number], [Buffer, number]>(
        'SELECT value, crc FROM state_windows WHERE store = ? AND key = ? AND start_ms = ? AND end_ms = ?',
      )
      .raw();
    this.fetchKey = db
      .prepare<[number, Buffer, number, number, number], [number, number, Buffer, number]>(
        `SELECT start_ms, end_ms, value, crc FROM state_windows
         WHERE store = ? AND key = ? AND start_ms >= ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms, end_ms`,
      )
      .raw();
    this.fetchAll = db
      .prepare<[number, number, number, number], [Buffer, number, number, Buffer, number]>(
        `SELECT key, start_ms, end_ms, value, crc FROM state_windows
         WHERE store = ? AND start_ms >= ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms, key, end_ms`,
      )
      .raw();
    this.sessions = db
      .prepare<[number, Buffer, number, number], [number, number, Buffer, number]>(
        `SELECT start_ms, end_ms, value, crc FROM state_windows
         WHERE store = ? AND key = ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms, end_ms`,
      )
      .raw();
    this.upsert = new BatchedStatement(
      db,
      (n) =>
        `INSERT INTO state_windows (store, key, start_ms, end_ms, value, crc) VALUES ${placeholderRows(n, 6)} ` +
        'ON CONFLICT (store, key, start_ms, end_ms) DO UPDATE SET value = excluded.value, crc = excluded.crc',
      6,
    );
    this.nextStart = db
      .prepare<[number, number, number], number>('SELECT start_ms FROM state_windows WHERE store = ? AND start_ms >= ? AND start_ms <= ? ORDER BY start_ms LIMIT 1')
      .pluck();
    this.atStart = db
      .prepare<[number, Buffer, number, number], [number, number, Buffer, number]>(
        'SELECT start_ms, end_ms, value, crc FROM state_windows WHERE store = ? AND key = ? AND start_ms = ? AND end_ms >= ? ORDER BY end_ms',
      )
      .raw();
    this.deleteOne = db.prepare('DELETE FROM state_windows WHERE store = ? AND key = ? AND start_ms = ? AND end_ms = ?');
    this.purge = db.prepare('DELETE FROM state_windows WHERE store = ? AND start_ms < ? AND end_ms < ?');
    this.clear = db.prepare('DELETE FROM state_windows WHERE store = ?');
  }
}

export interface WindowStoreOptions extends StoreIdentity {
  readonly id: number;
  readonly statements: WindowStatements;
  /** Rows keyed by window start, then key (a `time-window` store, see time-first-key.ts). */
  readonly timeFirst?: boolean;
  /** How many windows the cache keeps after a flush (default 10 000). */
  readonly cacheEntries?: number;
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
  private readonly transact: (fn: () => void) => void;
  private readonly onClose: () => void;
  /** key id -> window id -> entry. */
  private cache = new Map<string, Map<string, CacheEntry>>();
  private cacheSize = 0;
  private dirty = new Set<CacheEntry>();
  private flushed = new Set<CacheEntry>();
  /** Windows that ended before this are expired. */
  private purgeBound = NO_BOUND;
  /** Whether storage may still hold expired windows. */
  private purgePending = false;
  private closed = false;

  constructor(options: WindowStoreOptions) {
    this.query = options.query;
    this.name = options.name;
    this.partition = options.partition;
    this.id = options.id;
    this.statements = options.statements;
    this.timeFirst = options.timeFirst ?? false;
    this.cacheEntries = options.cacheEntries ?? 10_000;
    this.transact = options.transact;
    this.onClose = options.onClose;
  }

  /** The value of one window of `key`, or null. */
  get(key: Buffer, start: number, end: number): Buffer | null {
    if (end < this.purgeBound) return null;
    const id = keyId(key);
    const windowId = `${start}:${end}`;
    const cached = this.cache.get(id)?.get(windowId);
    if (cached !== undefined) return cached.value;
    this.assertOpen();
    const row = this.statements.get.get(this.id, this.storedKey(key, start), start, end);
    let value: Buffer | null = null;
    if (row !== undefined) {
      checkWindowRow(this, key, start, end, row[0], row[1]);
      value = row[0];
    }
    this.insert({ key, keyId: id, windowId, start, end, value, dirty: false });
    return value;
  }

  /**
   * Stages a window's value; null deletes the window. Returns false, storing
   * nothing, when the window is already expired.
   */
  put(key: Buffer, start: number, end: number, value: Buffer | null): boolean {
    if (end < this.purgeBound) return false;
    const id = keyId(key);
    const windowId = `${start}:${end}`;
    let entry = this.cache.get(id)?.get(windowId);
    if (entry === undefined) {
      this.assertOpen();
      entry = { key, keyId: id, windowId, start, end, value, dirty: true };
      this.insert(entry);
    } else {
      entry.value = value;
      if (entry.dirty) return true;
      entry.dirty = true;
    }
    this.dirty.add(entry);
    return true;
  }

  delete(key: Buffer, start: number, end: number): void {
    this.put(key, start, end, null);
  }

  /** The windows of `key` whose start is in [from, to], by start then end. */
  fetch(key: Buffer, from: number, to: number): WindowedValue[] {
    this.assertOpen();
    const found: WindowedValue[] = [];
    if (this.timeFirst) {
      // The window starts are few (the live windows): one seek for each, then one lookup of the key.
      for (let start = this.statements.nextStart.get(this.id, from, to); start !== undefined; start = start >= to ? undefined : this.statements.nextStart.get(this.id, start + 1, to)) {
        for (const [s, end, value, checksum] of this.statements.atStart.all(this.id, timeFirstKey(start, key), start, this.purgeBound)) {
          found.push(this.checked(key, s, end, value, checksum));
        }
      }
    } else {
      for (const [start, end, value, checksum] of this.statements.fetchKey.all(this.id, key, from, to, this.purgeBound)) {
        found.push(this.checked(key, start, end, value, checksum));
      }
    }
    return this.mergeStaged(found, this.stagedOf(key, (e) => e.start >= from && e.start <= to), compareByWindow);
  }

  /** Every key's windows whose start is in [from, to], by start, then key bytes, then end. */
  fetchAll(from: number, to: number): WindowedValue[] {
    this.assertOpen();
    const rows = this.statements.fetchAll.all(this.id, from, to, this.purgeBound);
    const found = rows.map(([stored, start, end, value, checksum]) => this.checked(this.keyOfStored(stored, start, end), start, end, value, checksum));
    const staged = [...this.dirty].filter((e) => e.start >= from && e.start <= to && e.end >= this.purgeBound);
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
    const upserts: unknown[] = [];
    const deletes: CacheEntry[] = [];
    for (const entry of this.dirty) {
      if (entry.end < this.purgeBound) continue;
      if (entry.value === null) deletes.push(entry);
      else upserts.push(this.id, this.storedKey(entry.key, entry.start), entry.start, entry.end, entry.value, windowChecksum(entry.key, entry.start, entry.end, entry.value));
    }
    if (upserts.length > 0 || deletes.length > 0 || this.purgePending) {
      this.transact(() => {
        if (this.purgePending) this.statements.purge.run(this.id, this.purgeBound, this.purgeBound);
        if (upserts.length > 0) this.statements.upsert.run([], upserts);
        for (const entry of deletes) this.statements.deleteOne.run(this.id, this.storedKey(entry.key, entry.start), entry.start, entry.end);
      });
    }
    this.purgePending = false;
    for (const entry of this.dirty) entry.dirty = false;
    this.flushed = this.dirty;
    this.dirty = new Set();
    this.evictClean();
  }

  abort(): void {
    for (const entry of this.dirty) this.remove(entry);
    for (const entry of this.flushed) this.remove(entry);
    this.dirty = new Set();
    this.flushed = new Set();
    // A rolled-back flush may have taken its purge with it: purge again next time.
    this.purgePending = this.purgeBound !== NO_BOUND;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache = new Map();
    this.cacheSize = 0;
    this.dirty = new Set();
    this.flushed = new Set();
    this.onClose();
  }

  /** How many windows are staged and not yet flushed. */
  get stagedCount(): number {
    return this.dirty.size;
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
    this.dirty = new Set();
    this.flushed = new Set();
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

  private stagedOf(key: Buffer, keep: (entry: CacheEntry) => boolean): CacheEntry[] {
    const windows = this.cache.get(keyId(key));
    if (windows === undefined) return [];
    const out: CacheEntry[] = [];
    for (const entry of windows.values()) if (entry.dirty && entry.end >= this.purgeBound && keep(entry)) out.push(entry);
    return out;
  }

  /** Storage rows with the staged entries laid over them (staged wins; null values remove), sorted. */
  private mergeStaged(
    found: WindowedValue[],
    staged: readonly CacheEntry[],
    compare: (a: WindowedValue, b: WindowedValue) => number,
  ): WindowedValue[] {
    if (staged.length === 0) return found;
    const byId = new Map<string, WindowedValue | null>();
    for (const row of found) byId.set(`${row.start}:${row.end}:${keyId(row.key)}`, row);
    for (const entry of staged) {
      byId.set(
        `${entry.windowId}:${entry.keyId}`,
        entry.value === null ? null : { key: entry.key, start: entry.start, end: entry.end, value: entry.value },
      );
    }
    const out: WindowedValue[] = [];
    for (const row of byId.values()) if (row !== null) out.push(row);
    return out.sort(compare);
  }

  private insert(entry: CacheEntry): void {
    let windows = this.cache.get(entry.keyId);
    if (windows === undefined) {
      windows = new Map();
      this.cache.set(entry.keyId, windows);
    }
    windows.set(entry.windowId, entry);
    this.cacheSize++;
  }

  private remove(entry: CacheEntry): void {
    const windows = this.cache.get(entry.keyId);
    if (windows === undefined || windows.get(entry.windowId) !== entry) return;
    windows.delete(entry.windowId);
    this.cacheSize--;
    if (windows.size === 0) this.cache.delete(entry.keyId);
  }

  private evictClean(): void {
    if (this.cacheSize <= this.cacheEntries) return;
    for (const [id, windows] of this.cache) {
      if (this.cacheSize <= this.cacheEntries) break;
      // After a flush nothing is dirty, so whole keys go at once.
      this.cacheSize -= windows.size;
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
