/**
 * Reads a table's materialization (see table-materializer.ts), or the store
 * of the aggregate that serves it (build-topology.ts, aggregateStoreReader:
 * rows of key columns and accumulators), as pull queries do: the committed rows of the partitions' stores, by key or all
 * of them, straight from the stores' tables. Running tasks keep writing
 * through their own stores; a read sees what their last commit wrote. Every
 * row is checked against its checksum: a corrupt row fails the read.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Row } from '../expr/row.js';
import { checkKeyValueRow, checkWindowRow, keyOfTimeFirst, StateCorruptionError, type StoreIdentity } from '../state/index.js';
import { hasTable, TABLE_OF_KIND, type StoreKind } from '../state/store-schema.js';
import { MATERIALIZED_STORE_NAME } from './table-materializer.js';
import { decodeValue, encodeValue } from './value-codec.js';

type Database = BetterSqlite3.Database;

interface StoredRow {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly crc: number;
  readonly start_ms?: number;
  readonly end_ms?: number;
}

/** Which partitions' stores a key lookup reads: one, every other one, or (no choice) all of them. */
export type PartitionChoice = { readonly only: number } | { readonly except: number };

/** The window starts a key lookup of a windowed table reads: from `from` (included) to `to` (excluded). */
export interface WindowStarts {
  readonly from: number;
  readonly to: number;
}

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>();

/** Prepared once per database and `id` (the text `sql` gives, made only then: pull queries read per request); `raw`: rows as arrays. */
function prepare<P extends unknown[], R>(db: Database, id: string, sql: () => string, raw = false): BetterSqlite3.Statement<P, R> {
  let cache = statementCache.get(db);
  if (cache === undefined) statementCache.set(db, cache = new Map());
  let stmt = cache.get(id);
  if (stmt === undefined) {
    stmt = db.prepare(sql());
    if (raw) stmt.raw(true);
    cache.set(id, stmt);
  }
  return stmt as unknown as BetterSqlite3.Statement<P, R>;
}

const existingTables = new WeakMap<Database, Set<string>>();

/** Whether the store table exists; once it does it stays, so only that answer is remembered. */
function tableExists(db: Database, table: string): boolean {
  let known = existingTables.get(db);
  if (known === undefined) existingTables.set(db, known = new Set());
  if (known.has(table)) return true;
  if (!hasTable(db, table)) return false;
  known.add(table);
  return true;
}

function allStores(db: Database, name: StoreName): AnyStoreRef[] {
  return prepare<[string, string], AnyStoreRef>(db, 'stores', () => 'SELECT id, partition, kind FROM state_stores WHERE query = ? AND name = ? ORDER BY partition')
    .all(name.query, name.name);
}

function storeOfPartition(db: Database, name: StoreName, partition: number): AnyStoreRef | undefined {
  return prepare<[string, string, number], AnyStoreRef>(db, 'store-of-partition',
    () => 'SELECT id, partition, kind FROM state_stores WHERE query = ? AND name = ? AND partition = ?').get(name.query, name.name, partition);
}

/** One key's value and checksum in one store of a plain table (its primary key), as `[value, crc]`. */
function keyValueOfStore(db: Database, store: StoreRef, key: Buffer): [Buffer, number] | undefined {
  return prepare<[number, Buffer], [Buffer, number]>(db, 'kv-key', () => `SELECT value, crc FROM ${TABLE_OF_KIND['key-value']} WHERE store = ? AND key = ?`, true)
    .get(store.id, key);
}

/** A key's window as a lookup reads it: `[start_ms, end_ms, value, crc]` (its key is the one looked up). */
type KeyWindow = [number, number, Buffer, number];

/** One key's windows in one window store (one statement), by start and end; `starts` narrows them to a range of starts. */
function keyWindowsOfStore(db: Database, store: WindowStoreRef, key: Buffer, starts: WindowStarts | undefined): KeyWindow[] {
  switch (store.kind) {
    case 'window':
      if (starts !== undefined) {
        return prepare<[number, Buffer, number, number], KeyWindow>(db, 'window-key-starts',
          () => `SELECT ${KEY_WINDOW_COLUMNS} FROM ${TABLE_OF_KIND.window} WHERE store = ? AND key = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms, end_ms`, true)
          .all(store.id, key, starts.from, starts.to);
      }
      return prepare<[number, Buffer], KeyWindow>(db, 'window-key',
        () => `SELECT ${KEY_WINDOW_COLUMNS} FROM ${TABLE_OF_KIND.window} WHERE store = ? AND key = ? ORDER BY start_ms, end_ms`, true).all(store.id, key);
    case 'time-window':
      if (starts !== undefined) {
        return prepare<[{ store: number; key: Buffer; from: number; to: number }], KeyWindow>(db, 'time-window-key-starts', () => timeWindowKeySql(true), true)
          .all({ store: store.id, key, from: starts.from, to: starts.to });
      }
      return prepare<[{ store: number; key: Buffer }], KeyWindow>(db, 'time-window-key', () => timeWindowKeySql(false), true).all({ store: store.id, key });
  }
}

/** Every row of one store of a plain table. */
function keyValueScan(db: Database): BetterSqlite3.Statement<[number], StoredRow> {
  return prepare(db, 'kv-scan', () => `SELECT key, value, crc FROM ${TABLE_OF_KIND['key-value']} WHERE store = ? ORDER BY key`);
}

const WINDOW_COLUMNS = 'key, start_ms, end_ms, value, crc';
const KEY_WINDOW_COLUMNS = 'start_ms, end_ms, value, crc';

/**
 * Every window of a key in one `time-window` store, in one statement
 * instead of one per window start: the store's window starts are walked
 * through its primary key, whose key column starts with the window start
 * (time-first-key.ts, built here in SQL), each start's row of the key then
 * read by its time-first key (so that the rows found hold the key looked
 * up, which is not read again). `bounded`: the walk starts at `@from` and
 * stops before `@to`.
 */
function timeWindowKeySql(bounded: boolean): string {
  const times = TABLE_OF_KIND['time-window'];
  const timePrefix = (start: string): string => `printf('%08x%08x', (${start} >> 32) + 2147483648, ${start} & 4294967295)`;
  // The first stored start at or after a time-first prefix: the primary key is ordered by start, then key.
  const next = (from: string): string => `(SELECT w.start_ms FROM ${times} w WHERE w.store = @store${from} ORDER BY w.key LIMIT 1)`;
  // CROSS JOIN: the starts drive the read (SQLite would otherwise walk the whole store).
  return `WITH RECURSIVE starts(start_ms) AS (
      SELECT ${next(bounded ? ` AND w.key >= unhex(${timePrefix('@from')})` : '')}
      UNION ALL
      SELECT ${next(` AND w.key >= unhex(${timePrefix('(starts.start_ms + 1)')})`)} FROM starts WHERE start_ms IS NOT NULL${bounded ? ' AND start_ms < @to' : ''}
    )
    SELECT w.start_ms AS start_ms, w.end_ms AS end_ms, w.value AS value, w.crc AS crc
      FROM starts st CROSS JOIN ${times} w ON w.store = @store AND w.key = unhex(${timePrefix('st.start_ms')} || hex(@key)) AND w.start_ms = st.start_ms
    ${bounded ? 'WHERE st.start_ms < @to ' : ''}ORDER BY 1, 2`;
}

/** Every row of one window store, by key, start and end (a `time-window` store's, read in start order, are sorted here). */
function* windowsOfStore(db: Database, store: Store): IterableIterator<Row> {
  const windowOf = (stored: StoredRow): { start: number; end: number } => ({ start: stored.start_ms!, end: stored.end_ms! });
  if (store.kind === 'window') {
    const scan = prepare<[number], StoredRow>(db, 'window-scan', () => `SELECT ${WINDOW_COLUMNS} FROM ${TABLE_OF_KIND.window} WHERE store = ? ORDER BY key, start_ms, end_ms`);
    for (const stored of scan.iterate(store.id)) yield toRow(store, stored.key, stored.value, stored.crc, windowOf(stored));
    return;
  }
  const scan = prepare<[number], StoredRow>(db, 'time-window-scan', () => `SELECT ${WINDOW_COLUMNS} FROM ${TABLE_OF_KIND['time-window']} WHERE store = ?`);
  const rows = scan.all(store.id).map((stored) => ({ stored, key: keyOfStored(store, stored, true) }));
  rows.sort((a, b) => Buffer.compare(a.key, b.key) || a.stored.start_ms! - b.stored.start_ms! || a.stored.end_ms! - b.stored.end_ms!);
  for (const { stored, key } of rows) yield toRow(store, key, stored.value, stored.crc, windowOf(stored));
}

/** A store's query and name. */
interface StoreName {
  readonly query: string;
  readonly name: string;
}

interface StoreRef {
  readonly id: number;
  readonly partition: number;
}

interface WindowStoreRef extends StoreRef {
  readonly kind: 'window' | 'time-window';
}

interface AnyStoreRef extends StoreRef {
  readonly kind: StoreKind;
}

/** A store of the table as read: its catalogue row, and its identity for a corruption error. */
interface Store extends AnyStoreRef {
  readonly identity: StoreIdentity;
}

export interface MaterializedTable {
  /**
   * The rows whose key columns equal `key` (for a windowed table, every window
   * of the key, or those whose start is in `starts`) in the chosen partitions
   * (all by default), partition by partition.
   */
  lookup(key: readonly unknown[], partitions?: PartitionChoice, starts?: WindowStarts): Row[];
  /** Every row (of `partitions` only, when given), partition by partition, in key order. */
  scan(partitions?: ReadonlySet<number>): IterableIterator<Row>;
}

/**
 * The store `storeName` of the table that `queryId` writes; `windowed` picks
 * the store kind. Rows are the stored key columns, then the stored values.
 * The table remembers the catalogue ids of the stores it has found (a key
 * lookup in one partition then reads the store's rows alone): a store keeps
 * its id until its query's stores are dropped, so a table must not outlive
 * the running query it was opened for.
 */
export function openMaterializedTable(db: Database, queryId: string, windowed: boolean, storeName = MATERIALIZED_STORE_NAME): MaterializedTable {
  const name: StoreName = { query: queryId, name: storeName };
  const known = new Map<number, Store>();
  const storeOf = (ref: AnyStoreRef): Store => {
    let store = known.get(ref.partition);
    if (store === undefined) known.set(ref.partition, store = { ...ref, identity: { ...name, partition: ref.partition } });
    return store;
  };
  // The catalogue (and a plain table's rows) may not exist yet: nothing is read until they do, and then they stay.
  let ready = false;
  const isReady = (): boolean => (ready ||= tableExists(db, 'state_stores') && (windowed || tableExists(db, TABLE_OF_KIND['key-value'])));
  const knownStore = (partition: number): Store | undefined => {
    const found = known.get(partition);
    if (found !== undefined) return found;
    const ref = storeOfPartition(db, name, partition);
    return ref === undefined ? undefined : storeOf(ref);
  };
  const storesOfChoice = (choice: PartitionChoice | undefined): Store[] => {
    if (choice === undefined) return allStores(db, name).map(storeOf);
    if ('only' in choice) {
      const store = knownStore(choice.only);
      return store === undefined ? [] : [store];
    }
    return allStores(db, name).filter((s) => s.partition !== choice.except).map(storeOf);
  };
  if (windowed) {
    return {
      lookup(key, partitions, starts) {
        const rows: Row[] = [];
        if (!isReady()) return rows;
        const bytes = encodeValue(key);
        for (const store of storesOfChoice(partitions)) {
          for (const [start, end, value, crc] of keyWindowsOfStore(db, store as WindowStoreRef, bytes, starts)) rows.push(toRow(store, bytes, value, crc, { start, end }));
        }
        return rows;
      },
      *scan(partitions) {
        if (!isReady()) return;
        for (const ref of allStores(db, name)) if (partitions === undefined || partitions.has(ref.partition)) yield* windowsOfStore(db, storeOf(ref));
      },
    };
  }
  return {
    lookup(key, partitions) {
      const rows: Row[] = [];
      if (!isReady()) return rows;
      const bytes = encodeValue(key);
      if (partitions !== undefined && 'only' in partitions) {
        const store = knownStore(partitions.only);
        const found = store === undefined ? undefined : keyValueOfStore(db, store, bytes);
        if (found !== undefined) rows.push(toRow(store!, bytes, found[0], found[1], null));
        return rows;
      }
      for (const store of storesOfChoice(partitions)) {
        const found = keyValueOfStore(db, store, bytes);
        if (found !== undefined) rows.push(toRow(store, bytes, found[0], found[1], null));
      }
      return rows;
    },
    *scan(partitions) {
      if (!isReady()) return;
      const scan = keyValueScan(db);
      for (const ref of allStores(db, name)) {
        if (partitions !== undefined && !partitions.has(ref.partition)) continue;
        const store = storeOf(ref);
        for (const stored of scan.iterate(store.id)) yield toRow(store, stored.key, stored.value, stored.crc, null);
      }
    },
  };
}

/** The key of a stored row: a time-first key without its prefix, which must be the row's start. */
function keyOfStored(store: Store, stored: StoredRow, timeFirst: boolean): Buffer {
  if (!timeFirst) return stored.key;
  const key = keyOfTimeFirst(stored.key, stored.start_ms!);
  if (key === null) throw new StateCorruptionError(store.identity, stored.key, { start: stored.start_ms!, end: stored.end_ms! });
  return key;
}

const NO_HEADERS: Row['headers'] = Object.freeze([]);

/** A stored row (its key without a time-first prefix) as a table row, once its checksum is checked. */
function toRow(store: Store, key: Buffer, value: Buffer, crc: number, window: { readonly start: number; readonly end: number } | null): Row {
  if (window === null) checkKeyValueRow(store.identity, key, value, crc);
  else checkWindowRow(store.identity, key, window.start, window.end, value, crc);
  const values = decodeValue(key) as unknown[];
  // The stored value is the row's timestamp, then its value columns.
  const stamped = decodeValue(value) as [number, ...unknown[]];
  for (let i = 1; i < stamped.length; i++) values.push(stamped[i]);
  return { values, timestamp: stamped[0], partition: store.partition, offset: -1, headers: NO_HEADERS, window, nullValue: false };
}
