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
import { checkKeyValueRow, checkWindowRow, keyOfTimeFirst, StateCorruptionError } from '../state/index.js';
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

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>();

/** Prepared once per database and `id` (the text `sql` gives, made only then: pull queries read per request). */
function prepare<P extends unknown[], R>(db: Database, id: string, sql: () => string): BetterSqlite3.Statement<P, R> {
  let cache = statementCache.get(db);
  if (cache === undefined) statementCache.set(db, cache = new Map());
  let stmt = cache.get(id);
  if (stmt === undefined) cache.set(id, stmt = db.prepare(sql()));
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

/**
 * The stores of a windowed table that a key lookup reads, by partition: the
 * catalogue's row of a store says its kind, and so that its kind's table
 * exists (they are made together).
 */
function storesOfChoice(db: Database, name: StoreName, choice: PartitionChoice | undefined): AnyStoreRef[] {
  if (choice === undefined) return allStores(db, name);
  if ('only' in choice) {
    const store = prepare<[string, string, number], AnyStoreRef>(db, 'store-of-partition',
      () => 'SELECT id, partition, kind FROM state_stores WHERE query = ? AND name = ? AND partition = ?').get(name.query, name.name, choice.only);
    return store === undefined ? [] : [store];
  }
  return prepare<[string, string, number], AnyStoreRef>(db, 'stores-but-partition',
    () => 'SELECT id, partition, kind FROM state_stores WHERE query = ? AND name = ? AND partition <> ? ORDER BY partition').all(name.query, name.name, choice.except);
}

function allStores(db: Database, name: StoreName): AnyStoreRef[] {
  return prepare<[string, string], AnyStoreRef>(db, 'stores', () => 'SELECT id, partition, kind FROM state_stores WHERE query = ? AND name = ? ORDER BY partition')
    .all(name.query, name.name);
}

/**
 * One key's rows in the chosen partitions of a plain table, each with its
 * partition: one statement (the store's catalogue row and its key's row
 * are read together, cheaper than a statement each).
 */
function keyValueRows(db: Database, name: StoreName, choice: PartitionChoice | undefined, key: Buffer): (StoredRow & { readonly partition: number })[] {
  const select = `SELECT s.partition AS partition, t.key AS key, t.value AS value, t.crc AS crc FROM state_stores s JOIN ${TABLE_OF_KIND['key-value']} t ON t.store = s.id
    WHERE s.query = ? AND s.name = ?`;
  type Found = StoredRow & { readonly partition: number };
  if (choice === undefined) {
    return prepare<[string, string, Buffer], Found>(db, 'kv-key-all', () => `${select} AND t.key = ? ORDER BY s.partition`).all(name.query, name.name, key);
  }
  if ('only' in choice) {
    const row = prepare<[string, string, number, Buffer], Found>(db, 'kv-key-of-partition', () => `${select} AND s.partition = ? AND t.key = ?`)
      .get(name.query, name.name, choice.only, key);
    return row === undefined ? [] : [row];
  }
  return prepare<[string, string, number, Buffer], Found>(db, 'kv-key-but-partition', () => `${select} AND s.partition <> ? AND t.key = ? ORDER BY s.partition`)
    .all(name.query, name.name, choice.except, key);
}

/** One key's windows in one window store (one statement), by start and end. */
function keyWindowsOfStore(db: Database, store: WindowStoreRef, key: Buffer): StoredRow[] {
  switch (store.kind) {
    case 'window':
      return prepare<[number, Buffer], StoredRow>(db, 'window-key',
        () => `SELECT ${WINDOW_COLUMNS} FROM ${TABLE_OF_KIND.window} WHERE store = ? AND key = ? ORDER BY start_ms, end_ms`).all(store.id, key);
    case 'time-window':
      return prepare<[{ store: number; key: Buffer }], StoredRow>(db, 'time-window-key', timeWindowKeySql).all({ store: store.id, key });
  }
}

/** Every row of one store of a plain table. */
function keyValueScan(db: Database): BetterSqlite3.Statement<[number], StoredRow> {
  return prepare(db, 'kv-scan', () => `SELECT key, value, crc FROM ${TABLE_OF_KIND['key-value']} WHERE store = ? ORDER BY key`);
}

const WINDOW_COLUMNS = 'key, start_ms, end_ms, value, crc';

/**
 * Every window of a key in one `time-window` store, in one statement
 * instead of one per window start: the store's window starts are walked
 * through its primary key, whose key column starts with the window start
 * (time-first-key.ts, built here in SQL), each start's row of the key then
 * read by its time-first key.
 */
function timeWindowKeySql(): string {
  const times = TABLE_OF_KIND['time-window'];
  const timePrefix = (start: string): string => `printf('%08x%08x', (${start} >> 32) + 2147483648, ${start} & 4294967295)`;
  // The first stored start at or after a time-first prefix: the primary key is ordered by start, then key.
  const next = (from: string): string => `(SELECT w.start_ms FROM ${times} w WHERE w.store = @store${from} ORDER BY w.key LIMIT 1)`;
  // CROSS JOIN: the starts drive the read (SQLite would otherwise walk the whole store).
  return `WITH RECURSIVE starts(start_ms) AS (
      SELECT ${next('')}
      UNION ALL
      SELECT ${next(` AND w.key >= unhex(${timePrefix('(starts.start_ms + 1)')})`)} FROM starts WHERE start_ms IS NOT NULL
    )
    SELECT w.key AS key, w.start_ms AS start_ms, w.end_ms AS end_ms, w.value AS value, w.crc AS crc
      FROM starts st CROSS JOIN ${times} w ON w.store = @store AND w.key = unhex(${timePrefix('st.start_ms')} || hex(@key)) AND w.start_ms = st.start_ms
    ORDER BY 2, 3`;
}

/** Every row of one window store, by key, start and end (a `time-window` store's, read in start order, are sorted here). */
function* windowsOfStore(db: Database, name: StoreName, store: WindowStoreRef): IterableIterator<Row> {
  const table = TABLE_OF_KIND[store.kind];
  if (store.kind === 'window') {
    const scan = prepare<[number], StoredRow>(db, 'window-scan', () => `SELECT ${WINDOW_COLUMNS} FROM ${table} WHERE store = ? ORDER BY key, start_ms, end_ms`);
    for (const stored of scan.iterate(store.id)) yield toRow(name, store.partition, stored, false);
    return;
  }
  const scan = prepare<[number], StoredRow>(db, 'time-window-scan', () => `SELECT ${WINDOW_COLUMNS} FROM ${table} WHERE store = ?`);
  const rows = scan.all(store.id).map((stored) => ({ stored, key: keyOfStored(name, store.partition, stored, true) }));
  rows.sort((a, b) => Buffer.compare(a.key, b.key) || a.stored.start_ms! - b.stored.start_ms! || a.stored.end_ms! - b.stored.end_ms!);
  for (const { stored } of rows) yield toRow(name, store.partition, stored, true);
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

export interface MaterializedTable {
  /** The rows whose key columns equal `key` (for a windowed table, every window of the key) in the chosen partitions (all by default), partition by partition. */
  lookup(key: readonly unknown[], partitions?: PartitionChoice): Row[];
  /** Every row (of `partitions` only, when given), partition by partition, in key order. */
  scan(partitions?: ReadonlySet<number>): IterableIterator<Row>;
}

/** The store `storeName` of the table that `queryId` writes; `windowed` picks the store kind. Rows are the stored key columns, then the stored values. */
export function openMaterializedTable(db: Database, queryId: string, windowed: boolean, storeName = MATERIALIZED_STORE_NAME): MaterializedTable {
  const name: StoreName = { query: queryId, name: storeName };
  // A windowed table's reads go through the catalogue's rows, whose kinds say which tables exist; a plain table's join its rows.
  if (!tableExists(db, 'state_stores') || (!windowed && !tableExists(db, TABLE_OF_KIND['key-value']))) return { lookup: () => [], scan: function* () {} };
  if (windowed) {
    return {
      lookup(key, partitions) {
        const rows: Row[] = [];
        const bytes = encodeValue(key);
        for (const store of storesOfChoice(db, name, partitions) as WindowStoreRef[]) {
          for (const stored of keyWindowsOfStore(db, store, bytes)) rows.push(toRow(name, store.partition, stored, store.kind === 'time-window'));
        }
        return rows;
      },
      *scan(partitions) {
        for (const store of allStores(db, name) as WindowStoreRef[]) if (partitions === undefined || partitions.has(store.partition)) yield* windowsOfStore(db, name, store);
      },
    };
  }
  return {
    lookup(key, partitions) {
      const rows: Row[] = [];
      for (const stored of keyValueRows(db, name, partitions, encodeValue(key))) rows.push(toRow(name, stored.partition, stored, false));
      return rows;
    },
    *scan(partitions) {
      const scan = keyValueScan(db);
      for (const store of allStores(db, name)) {
        if (partitions !== undefined && !partitions.has(store.partition)) continue;
        for (const stored of scan.iterate(store.id)) yield toRow(name, store.partition, stored, false);
      }
    },
  };
}

/** The key of a stored row: a time-first key without its prefix, which must be the row's start. */
function keyOfStored(name: StoreName, partition: number, stored: StoredRow, timeFirst: boolean): Buffer {
  if (!timeFirst) return stored.key;
  const key = keyOfTimeFirst(stored.key, stored.start_ms!);
  if (key === null) {
    throw new StateCorruptionError({ ...name, partition }, stored.key, { start: stored.start_ms!, end: stored.end_ms! });
  }
  return key;
}

function toRow(name: StoreName, partition: number, stored: StoredRow, timeFirst: boolean): Row {
  const store = { ...name, partition };
  const storedKey = keyOfStored(name, partition, stored, timeFirst);
  if (stored.start_ms === undefined) checkKeyValueRow(store, storedKey, stored.value, stored.crc);
  else checkWindowRow(store, storedKey, stored.start_ms, stored.end_ms!, stored.value, stored.crc);
  const values = decodeValue(storedKey) as unknown[];
  // The stored value is the row's timestamp, then its value columns.
  const stamped = decodeValue(stored.value) as [number, ...unknown[]];
  for (let i = 1; i < stamped.length; i++) values.push(stamped[i]);
  return {
    values,
    timestamp: stamped[0],
    partition,
    offset: -1,
    headers: [],
    window: stored.start_ms === undefined ? null : { start: stored.start_ms, end: stored.end_ms! },
    nullValue: false,
  };
}
