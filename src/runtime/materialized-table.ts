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
import { hasTable, TABLE_OF_KIND } from '../state/store-schema.js';
import { MATERIALIZED_STORE_NAME } from './table-materializer.js';
import { decodeValue, encodeValue } from './value-codec.js';

type Database = BetterSqlite3.Database;

interface StoredRow {
  readonly partition: number;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly crc: number;
  readonly start_ms?: number;
  readonly end_ms?: number;
}

/** Which partitions' stores a key lookup reads: one, every other one, or (no choice) all of them. */
export type PartitionChoice = { readonly only: number } | { readonly except: number };

type ChoiceKind = 'all' | 'only' | 'except';

const kindOf = (choice: PartitionChoice | undefined): ChoiceKind => (choice === undefined ? 'all' : 'only' in choice ? 'only' : 'except');

/** The condition on the stores `s` that a choice makes, on the parameter `@partition`. */
const PARTITION_CONDITION: Readonly<Record<ChoiceKind, string>> = { all: '', only: ' AND s.partition = @partition', except: ' AND s.partition <> @partition' };

interface LookupParameters {
  readonly query: string;
  readonly name: string;
  readonly key: Buffer;
  readonly partition?: number;
}

function lookupParameters(name: StoreName, key: readonly unknown[], choice: PartitionChoice | undefined): LookupParameters {
  const base = { query: name.query, name: name.name, key: encodeValue(key) };
  return choice === undefined ? base : { ...base, partition: 'only' in choice ? choice.only : choice.except };
}

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

/** One key's rows in the chosen partitions of a plain table (one indexed read per store). */
function keyValueLookup(db: Database, choice: PartitionChoice | undefined): BetterSqlite3.Statement<[LookupParameters], StoredRow> {
  const kind = kindOf(choice);
  return prepare(db, `kv-lookup:${kind}`, () => `SELECT s.partition AS partition, t.key AS key, t.value AS value, t.crc AS crc
      FROM state_stores s JOIN ${TABLE_OF_KIND['key-value']} t ON t.store = s.id
      WHERE s.query = @query AND s.name = @name${PARTITION_CONDITION[kind]} AND t.key = @key ORDER BY s.partition`);
}

/** Every row of one store of a plain table. */
function keyValueScan(db: Database): BetterSqlite3.Statement<[number, number], StoredRow> {
  return prepare(db, 'kv-scan', () => `SELECT ? AS partition, key, value, crc FROM ${TABLE_OF_KIND['key-value']} WHERE store = ? ORDER BY key`);
}

const WINDOW_COLUMNS = 'key, start_ms, end_ms, value, crc';

/**
 * Every window of a key in the chosen partitions' stores, in one statement (one
 * read of the database instead of one per store and window start): a
 * `window` store's rows of the key are one range; a `time-window` store's
 * window starts are walked through its primary key, whose key column starts
 * with the window start (time-first-key.ts, built here in SQL), each
 * start's row of the key then read by its time-first key. Rows come by
 * partition, then window.
 */
function keyWindowsStatement(db: Database, choice: PartitionChoice | undefined): BetterSqlite3.Statement<[LookupParameters], StoredRow & { readonly time_first: number }> {
  const kind = kindOf(choice);
  const sessions = TABLE_OF_KIND.window;
  const times = TABLE_OF_KIND['time-window'];
  // Tables are made per store kind on first use: only those that exist are read.
  const hasTimes = tableExists(db, times);
  const hasSessions = tableExists(db, sessions);
  return prepare(db, `key-windows:${kind}:${hasTimes}:${hasSessions}`, () => keyWindowsSql(PARTITION_CONDITION[kind], hasTimes, hasSessions));
}

function keyWindowsSql(partitions: string, hasTimes: boolean, hasSessions: boolean): string {
  const sessions = TABLE_OF_KIND.window;
  const times = TABLE_OF_KIND['time-window'];
  const timePrefix = (start: string): string => `printf('%08x%08x', (${start} >> 32) + 2147483648, ${start} & 4294967295)`;
  // The first stored start of a store at or after a time-first prefix: the primary key is ordered by start, then key.
  const next = (store: string, from: string): string =>
    `(SELECT w.start_ms FROM ${times} w WHERE w.store = ${store}${from} ORDER BY w.key LIMIT 1)`;
  const timeRows = hasTimes ? `SELECT st.partition AS partition, 1 AS time_first, w.key AS key, w.start_ms AS start_ms, w.end_ms AS end_ms, w.value AS value, w.crc AS crc
      FROM starts st JOIN ${times} w ON w.store = st.store AND w.key = unhex(${timePrefix('st.start_ms')} || hex(@key)) AND w.start_ms = st.start_ms` : undefined;
  const sessionRows = hasSessions ? `SELECT s.partition AS partition, 0 AS time_first, w.key AS key, w.start_ms AS start_ms, w.end_ms AS end_ms, w.value AS value, w.crc AS crc
      FROM state_stores s JOIN ${sessions} w ON w.store = s.id WHERE s.query = @query AND s.name = @name${partitions} AND s.kind = 'window' AND w.key = @key` : undefined;
  const starts = timeRows === undefined ? '' : `WITH RECURSIVE starts(store, partition, start_ms) AS (
      SELECT s.id, s.partition, ${next('s.id', '')} FROM state_stores s WHERE s.query = @query AND s.name = @name${partitions} AND s.kind = 'time-window'
      UNION ALL
      SELECT store, partition, ${next('starts.store', ` AND w.key >= unhex(${timePrefix('(starts.start_ms + 1)')})`)} FROM starts WHERE start_ms IS NOT NULL
    )
    `;
  return `${starts}${[timeRows, sessionRows].filter((part) => part !== undefined).join('\n    UNION ALL\n    ')}
    ORDER BY 1, 4, 5`;
}

/** Every row of one window store, by key, start and end (a `time-window` store's, read in start order, are sorted here). */
function* windowsOfStore(db: Database, name: StoreName, store: WindowStoreRef): IterableIterator<Row> {
  const table = TABLE_OF_KIND[store.kind];
  if (store.kind === 'window') {
    const scan = prepare<[number, number], StoredRow>(db, 'window-scan', () => `SELECT ? AS partition, ${WINDOW_COLUMNS} FROM ${table} WHERE store = ? ORDER BY key, start_ms, end_ms`);
    for (const stored of scan.iterate(store.partition, store.id)) yield toRow(name, stored, false);
    return;
  }
  const scan = prepare<[number, number], StoredRow>(db, 'time-window-scan', () => `SELECT ? AS partition, ${WINDOW_COLUMNS} FROM ${table} WHERE store = ?`);
  const rows = scan.all(store.partition, store.id).map((stored) => ({ stored, key: keyOfStored(name, stored, true) }));
  rows.sort((a, b) => Buffer.compare(a.key, b.key) || a.stored.start_ms! - b.stored.start_ms! || a.stored.end_ms! - b.stored.end_ms!);
  for (const { stored } of rows) yield toRow(name, stored, true);
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

export interface MaterializedTable {
  /** The rows whose key columns equal `key` (for a windowed table, every window of the key) in the chosen partitions (all by default), partition by partition. */
  lookup(key: readonly unknown[], partitions?: PartitionChoice): Row[];
  /** Every row (of `partitions` only, when given), partition by partition, in key order. */
  scan(partitions?: ReadonlySet<number>): IterableIterator<Row>;
}

/** The store `storeName` of the table that `queryId` writes; `windowed` picks the store kind. Rows are the stored key columns, then the stored values. */
export function openMaterializedTable(db: Database, queryId: string, windowed: boolean, storeName = MATERIALIZED_STORE_NAME): MaterializedTable {
  const name: StoreName = { query: queryId, name: storeName };
  const tables = windowed ? [TABLE_OF_KIND.window, TABLE_OF_KIND['time-window']] : [TABLE_OF_KIND['key-value']];
  if (!tableExists(db, 'state_stores') || !tables.some((t) => tableExists(db, t))) return { lookup: () => [], scan: function* () {} };
  const stores = <R extends StoreRef>(): R[] =>
    prepare<[string, string], R>(db, 'stores', () => 'SELECT id, partition, kind FROM state_stores WHERE query = ? AND name = ? ORDER BY partition')
      .all(queryId, storeName);
  if (windowed) {
    return {
      lookup(key, partitions) {
        const rows: Row[] = [];
        for (const stored of keyWindowsStatement(db, partitions).all(lookupParameters(name, key, partitions))) rows.push(toRow(name, stored, stored.time_first === 1));
        return rows;
      },
      *scan(partitions) {
        for (const store of stores<WindowStoreRef>()) if (partitions === undefined || partitions.has(store.partition)) yield* windowsOfStore(db, name, store);
      },
    };
  }
  return {
    lookup(key, partitions) {
      const rows: Row[] = [];
      for (const stored of keyValueLookup(db, partitions).all(lookupParameters(name, key, partitions))) rows.push(toRow(name, stored, false));
      return rows;
    },
    *scan(partitions) {
      const scan = keyValueScan(db);
      for (const store of stores()) {
        if (partitions !== undefined && !partitions.has(store.partition)) continue;
        for (const stored of scan.iterate(store.partition, store.id)) yield toRow(name, stored, false);
      }
    },
  };
}

/** The key of a stored row: a time-first key without its prefix, which must be the row's start. */
function keyOfStored(name: StoreName, stored: StoredRow, timeFirst: boolean): Buffer {
  if (!timeFirst) return stored.key;
  const key = keyOfTimeFirst(stored.key, stored.start_ms!);
  if (key === null) {
    throw new StateCorruptionError({ ...name, partition: stored.partition }, stored.key, { start: stored.start_ms!, end: stored.end_ms! });
  }
  return key;
}

function toRow(name: StoreName, stored: StoredRow, timeFirst: boolean): Row {
  const store = { ...name, partition: stored.partition };
  const storedKey = keyOfStored(name, stored, timeFirst);
  if (stored.start_ms === undefined) checkKeyValueRow(store, storedKey, stored.value, stored.crc);
  else checkWindowRow(store, storedKey, stored.start_ms, stored.end_ms!, stored.value, stored.crc);
  const key = decodeValue(storedKey) as unknown[];
  const [timestamp, ...values] = decodeValue(stored.value) as [number, ...unknown[]];
  return {
    values: [...key, ...values],
    timestamp,
    partition: stored.partition,
    offset: -1,
    headers: [],
    window: stored.start_ms === undefined ? null : { start: stored.start_ms, end: stored.end_ms! },
    nullValue: false,
  };
}
