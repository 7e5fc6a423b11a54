/**
 * A key-value store of byte keys and byte values, one (query, name,
 * partition), backed by the shared `state_kv` table.
 *
 * In front of storage sits a cache of entries: every write goes there
 * (staged, "dirty"), and reads that miss are remembered (also when the key is
 * absent), so per-record get/put pairs touch SQLite only on the first read of
 * a key. `flush` writes the dirty entries with a few multi-row statements;
 * `abort` evicts every entry written since the last successful flush, so
 * later reads fall back to what storage holds. Clean entries beyond the cache
 * budget (a number of entries, or of bytes) are evicted, oldest first, after
 * each flush.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { BatchedStatement, placeholderList, placeholderRows } from './batched-statement.js';
import { keyId, prefixUpperBound } from './byte-order.js';
import { checkKeyValueRow, keyValueChecksum } from './row-checksum.js';
import { storeMisuse } from './state-error.js';
import type { KeyValue, StateStore, StoreIdentity } from './state-store.js';

type Database = BetterSqlite3.Database;

interface CacheEntry {
  readonly key: Buffer;
  /** null: the key is absent (deleted, or known not to exist). */
  value: Buffer | null;
  dirty: boolean;
}

/** Bytes a cache entry costs beside its key and value (its objects, map slot and id), an estimate. */
const ENTRY_OVERHEAD_BYTES = 160;

function valueBytes(value: Buffer | null): number {
  return value === null ? 0 : value.length;
}

/** An entry's estimated bytes: its key is held twice (the Buffer and its id string). */
function entryBytes(key: Buffer, value: Buffer | null): number {
  return ENTRY_OVERHEAD_BYTES + 2 * key.length + valueBytes(value);
}

/** A scan bound: a key, and whether the key itself is in range. */
interface Bound {
  readonly key: Buffer;
  readonly inclusive: boolean;
}

const PAGE_ROWS = 512;

/** The statements of `state_kv`, prepared once per database and shared by its stores. */
export class KeyValueStatements {
  readonly get: BetterSqlite3.Statement<[number, Buffer], [Buffer, number]>;
  readonly upsert: BatchedStatement;
  readonly delete: BatchedStatement;
  readonly clear: BetterSqlite3.Statement<[number]>;
  private readonly db: Database;
  private readonly pages = new Map<string, BetterSqlite3.Statement<unknown[], [Buffer, Buffer, number]>>();

  constructor(db: Database) {
    this.db = db;
    this.get = db.prepare<[number, Buffer], [Buffer, number]>('SELECT value, crc FROM state_kv WHERE store = ? AND key = ?').raw();
    this.upsert = new BatchedStatement(
      db,
      (n) =>
        `INSERT INTO state_kv (store, key, value, crc) VALUES ${placeholderRows(n, 4)} ` +
        'ON CONFLICT (store, key) DO UPDATE SET value = excluded.value, crc = excluded.crc',
      4,
    );
    this.delete = new BatchedStatement(db, (n) => `DELETE FROM state_kv WHERE store = ? AND key IN (${placeholderList(n)})`, 1);
    this.clear = db.prepare<[number]>('DELETE FROM state_kv WHERE store = ?');
  }

  /** Up to PAGE_ROWS [key, value, checksum] rows of `store` between the bounds, in key order. */
  page(store: number, lower: Bound | null, upper: Bound | null): [Buffer, Buffer, number][] {
    const lowerOp = lower === null ? '' : lower.inclusive ? '>=' : '>';
    const upperOp = upper === null ? '' : upper.inclusive ? '<=' : '<';
    const name = `${lowerOp}|${upperOp}`;
    let statement = this.pages.get(name);
    if (statement === undefined) {
      const where = ['store = ?'];
      if (lowerOp !== '') where.push(`key ${lowerOp} ?`);
      if (upperOp !== '') where.push(`key ${upperOp} ?`);
      statement = this.db
        .prepare<unknown[], [Buffer, Buffer, number]>(`SELECT key, value, crc FROM state_kv WHERE ${where.join(' AND ')} ORDER BY key LIMIT ${PAGE_ROWS}`)
        .raw();
      this.pages.set(name, statement);
    }
    const params: unknown[] = [store];
    if (lower !== null) params.push(lower.key);
    if (upper !== null) params.push(upper.key);
    return statement.all(params);
  }
}

export interface KeyValueStoreOptions extends StoreIdentity {
  /** The catalogue id of the store (its rows' `store` column). */
  readonly id: number;
  readonly database: Database;
  readonly statements: KeyValueStatements;
  /** How many entries the cache keeps after a flush (default 10 000) ... */
  readonly cacheEntries?: number;
  /** ... or, when given, how many bytes of entries (estimated: keys, values and their objects) instead. */
  readonly cacheBytes?: number;
  /** Runs `fn` in the current transaction, or in a new one. */
  readonly transact: (fn: () => void) => void;
  readonly onClose: () => void;
}

export class KeyValueStore implements StateStore {
  readonly query: string;
  readonly name: string;
  readonly partition: number;
  private readonly id: number;
  private readonly statements: KeyValueStatements;
  private readonly cacheEntries: number;
  private readonly cacheBytes: number;
  /** The estimated bytes of the cached entries. */
  private cachedBytes = 0;
  private readonly transact: (fn: () => void) => void;
  private readonly onClose: () => void;
  private cache = new Map<string, CacheEntry>();
  /** Entries written since the last flush. */
  private dirty = new Map<string, CacheEntry>();
  /** Entries the last flush wrote: a failed commit rolls them back. */
  private flushed = new Map<string, CacheEntry>();
  private closed = false;
  /** The last key seen and its id: an aggregation's put follows a get of the same Buffer. */
  private lastKey: Buffer | null = null;
  private lastId = '';

  constructor(options: KeyValueStoreOptions) {
    this.query = options.query;
    this.name = options.name;
    this.partition = options.partition;
    this.id = options.id;
    this.statements = options.statements;
    this.cacheEntries = options.cacheBytes === undefined ? (options.cacheEntries ?? 10_000) : Infinity;
    this.cacheBytes = options.cacheBytes ?? Infinity;
    this.transact = options.transact;
    this.onClose = options.onClose;
  }

  /** The value of `key`, or null. */
  get(key: Buffer): Buffer | null {
    const id = this.idOf(key);
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached.value;
    this.assertOpen();
    const row = this.statements.get.get(this.id, key);
    let value: Buffer | null = null;
    if (row !== undefined) {
      checkKeyValueRow(this, key, row[0], row[1]);
      value = row[0];
    }
    this.cache.set(id, { key, value, dirty: false });
    this.cachedBytes += entryBytes(key, value);
    return value;
  }

  /** Stages `key` -> `value`; a null value deletes the key. */
  put(key: Buffer, value: Buffer | null): void {
    const id = this.idOf(key);
    let entry = this.cache.get(id);
    if (entry === undefined) {
      this.assertOpen();
      entry = { key, value, dirty: true };
      this.cache.set(id, entry);
      this.cachedBytes += entryBytes(key, value);
    } else {
      this.cachedBytes += valueBytes(value) - valueBytes(entry.value);
      entry.value = value;
      if (entry.dirty) return;
      entry.dirty = true;
    }
    this.dirty.set(id, entry);
  }

  delete(key: Buffer): void {
    this.put(key, null);
  }

  /** Entries with `from` <= key <= `to` in key order; a null bound is open. */
  range(from: Buffer | null, to: Buffer | null): IterableIterator<KeyValue> {
    return this.scan(from === null ? null : { key: from, inclusive: true }, to === null ? null : { key: to, inclusive: true });
  }

  /** Entries whose key starts with `prefix`, in key order. */
  prefixScan(prefix: Buffer): IterableIterator<KeyValue> {
    const upper = prefixUpperBound(prefix);
    return this.scan({ key: prefix, inclusive: true }, upper === null ? null : { key: upper, inclusive: false });
  }

  /** Every entry in key order. */
  all(): IterableIterator<KeyValue> {
    return this.scan(null, null);
  }

  /**
   * Merges storage, read a page at a time (no cursor stays open, so the caller
   * may write between steps), with the changes staged when the scan started.
   */
  private *scan(lower: Bound | null, upper: Bound | null): IterableIterator<KeyValue> {
    this.assertOpen();
    const staged: { key: Buffer; value: Buffer | null }[] = [];
    for (const entry of this.dirty.values()) {
      if (isWithin(entry.key, lower, upper)) staged.push({ key: entry.key, value: entry.value });
    }
    staged.sort((a, b) => Buffer.compare(a.key, b.key));
    let next = 0;
    let cursor = lower;
    for (;;) {
      const rows = this.statements.page(this.id, cursor, upper);
      for (const [key, value, checksum] of rows) {
        while (next < staged.length && Buffer.compare(staged[next]!.key, key) < 0) {
          const entry = staged[next++]!;
          if (entry.value !== null) yield { key: entry.key, value: entry.value };
        }
        if (next < staged.length && staged[next]!.key.equals(key)) {
          const entry = staged[next++]!;
          if (entry.value !== null) yield { key: entry.key, value: entry.value };
          continue;
        }
        checkKeyValueRow(this, key, value, checksum);
        yield { key, value };
      }
      if (rows.length < PAGE_ROWS) break;
      cursor = { key: rows[rows.length - 1]![0], inclusive: false };
    }
    for (; next < staged.length; next++) {
      const entry = staged[next]!;
      if (entry.value !== null) yield { key: entry.key, value: entry.value };
    }
  }

  flush(): void {
    this.assertOpen();
    if (this.dirty.size === 0) {
      this.flushed = this.dirty;
      return;
    }
    const upserts: unknown[] = [];
    const deletes: Buffer[] = [];
    // In key order (ids are latin1 text of the keys, so they sort as the bytes do): each write lands next to the
    // one before instead of at a random page of a large store, which takes SQLite about a third less time.
    const ids = [...this.dirty.keys()].sort();
    for (const id of ids) {
      const entry = this.dirty.get(id)!;
      if (entry.value === null) deletes.push(entry.key);
      else upserts.push(this.id, entry.key, entry.value, keyValueChecksum(entry.key, entry.value));
    }
    this.transact(() => {
      if (upserts.length > 0) this.statements.upsert.run([], upserts);
      if (deletes.length > 0) this.statements.delete.run([this.id], deletes);
    });
    for (const entry of this.dirty.values()) entry.dirty = false;
    this.flushed = this.dirty;
    this.dirty = new Map();
    this.evictClean();
  }

  abort(): void {
    for (const id of this.dirty.keys()) this.uncache(id);
    for (const id of this.flushed.keys()) this.uncache(id);
    this.dirty = new Map();
    this.flushed = new Map();
  }

  /**
   * Replaces what storage holds for this store with `entries`: the store's
   * content at the last commit, rebuilt from elsewhere (a corrupt row cannot
   * be repaired in place). Written at once, in the current transaction or its
   * own; staged writes stay staged and still win over storage.
   */
  restore(entries: Iterable<KeyValue>): void {
    this.assertOpen();
    const rows: unknown[] = [];
    for (const { key, value } of entries) rows.push(this.id, key, value, keyValueChecksum(key, value));
    this.transact(() => {
      this.statements.clear.run(this.id);
      if (rows.length > 0) this.statements.upsert.run([], rows);
    });
    for (const [id, entry] of this.cache) if (!entry.dirty) this.uncache(id);
  }

  /** Drops every entry: staged as a removal of each stored key plus the staged ones. */
  clear(): void {
    for (const entry of [...this.all()]) this.put(entry.key, null);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache = new Map();
    this.cachedBytes = 0;
    this.dirty = new Map();
    this.flushed = new Map();
    this.lastKey = null;
    this.onClose();
  }

  /** How many entries are staged and not yet flushed. */
  get stagedCount(): number {
    return this.dirty.size;
  }

  /** The writes staged since the last flush (a null value: a deletion), for a changelog. */
  *staged(): IterableIterator<{ readonly key: Buffer; readonly value: Buffer | null }> {
    for (const entry of this.dirty.values()) yield entry;
  }

  /** Deletes every stored entry at once and forgets the cache (a copy that cannot be trusted is restored anew). */
  wipe(): void {
    this.assertOpen();
    this.transact(() => this.statements.clear.run(this.id));
    this.cache = new Map();
    this.cachedBytes = 0;
    this.dirty = new Map();
    this.flushed = new Map();
    this.lastKey = null;
  }

  private idOf(key: Buffer): string {
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.lastId = keyId(key);
    }
    return this.lastId;
  }

  private uncache(id: string): void {
    const entry = this.cache.get(id);
    if (entry === undefined) return;
    this.cache.delete(id);
    this.cachedBytes -= entryBytes(entry.key, entry.value);
  }

  private evictClean(): void {
    let excess = this.cache.size - this.cacheEntries;
    if (excess <= 0 && this.cachedBytes <= this.cacheBytes) return;
    // A store behind its owner's cache keeps nothing, and after a flush nothing is dirty: drop it all at once.
    if (this.cacheEntries === 0 && this.dirty.size === 0) {
      this.cache = new Map();
      this.cachedBytes = 0;
      return;
    }
    for (const [id, entry] of this.cache) {
      if (excess <= 0 && this.cachedBytes <= this.cacheBytes) break;
      if (entry.dirty) continue;
      this.uncache(id);
      excess--;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw storeMisuse(`The state store '${this.name}' (partition ${this.partition}) of ${this.query} is closed.`);
  }
}

function isWithin(key: Buffer, lower: Bound | null, upper: Bound | null): boolean {
  if (lower !== null) {
    const c = Buffer.compare(key, lower.key);
    if (c < 0 || (c === 0 && !lower.inclusive)) return false;
  }
  if (upper !== null) {
    const c = Buffer.compare(key, upper.key);
    if (c > 0 || (c === 0 && !upper.inclusive)) return false;
  }
  return true;
}
