/**
 * Reads a table's materialization (see table-materializer.ts) as pull
 * queries do: the committed rows of every partition's store, by key or all
 * of them, straight from the stores' tables. Running tasks keep writing
 * through their own stores; a read sees what their last commit wrote. Every
 * row is checked against its checksum: a corrupt row fails the read.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Row } from '../expr/row.js';
import { checkKeyValueRow, checkWindowRow } from '../state/index.js';
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

/** The reads of a table's stores: one key's rows in every partition (one indexed read each), and every row of one store. */
interface Statements {
  readonly lookup: BetterSqlite3.Statement<[string, string, Buffer], StoredRow>;
  readonly scan: BetterSqlite3.Statement<[number, number], StoredRow>;
}

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>();

/** Prepared once per database and text. */
function prepare<P extends unknown[], R>(db: Database, sql: string): BetterSqlite3.Statement<P, R> {
  let cache = statementCache.get(db);
  if (cache === undefined) statementCache.set(db, cache = new Map());
  let stmt = cache.get(sql);
  if (stmt === undefined) cache.set(sql, stmt = db.prepare(sql));
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

function statements(db: Database, windowed: boolean): Statements {
  const stores = 'FROM state_stores s JOIN';
  if (!windowed) {
    const kv = TABLE_OF_KIND['key-value'];
    return {
      lookup: prepare(db, `SELECT s.partition AS partition, t.key AS key, t.value AS value, t.crc AS crc ${stores} ${kv} t ON t.store = s.id
        WHERE s.query = ? AND s.name = ? AND t.key = ? ORDER BY s.partition`),
      scan: prepare(db, `SELECT ? AS partition, key, value, crc FROM ${kv} WHERE store = ? ORDER BY key`),
    };
  }
  const win = TABLE_OF_KIND.window;
  return {
    lookup: prepare(db, `SELECT s.partition AS partition, t.key AS key, t.start_ms AS start_ms, t.end_ms AS end_ms, t.value AS value, t.crc AS crc
      ${stores} ${win} t ON t.store = s.id WHERE s.query = ? AND s.name = ? AND t.key = ? ORDER BY s.partition, t.start_ms, t.end_ms`),
    scan: prepare(db, `SELECT ? AS partition, key, start_ms, end_ms, value, crc FROM ${win} WHERE store = ? ORDER BY key, start_ms, end_ms`),
  };
}

interface StoreRef {
  readonly id: number;
  readonly partition: number;
}

export interface MaterializedTable {
  /** The rows whose key columns equal `key` (for a windowed table, every window of the key), partition by partition. */
  lookup(key: readonly unknown[]): Row[];
  /** Every row, partition by partition, in key order. */
  scan(): IterableIterator<Row>;
}

/** The materialization of the table that `queryId` writes; `windowed` picks the store kind. */
export function openMaterializedTable(db: Database, queryId: string, windowed: boolean): MaterializedTable {
  const table = windowed ? TABLE_OF_KIND.window : TABLE_OF_KIND['key-value'];
  if (!tableExists(db, 'state_stores') || !tableExists(db, table)) return { lookup: () => [], scan: function* () {} };
  const s = statements(db, windowed);
  return {
    lookup(key) {
      const rows: Row[] = [];
      for (const stored of s.lookup.all(queryId, MATERIALIZED_STORE_NAME, encodeValue(key))) rows.push(toRow(queryId, stored));
      return rows;
    },
    *scan() {
      const stores = prepare<[string, string], StoreRef>(db, 'SELECT id, partition FROM state_stores WHERE query = ? AND name = ? ORDER BY partition')
        .all(queryId, MATERIALIZED_STORE_NAME);
      for (const store of stores) {
        for (const stored of s.scan.iterate(store.partition, store.id)) yield toRow(queryId, stored);
      }
    },
  };
}

function toRow(queryId: string, stored: StoredRow): Row {
  const store = { query: queryId, name: MATERIALIZED_STORE_NAME, partition: stored.partition };
  if (stored.start_ms === undefined) checkKeyValueRow(store, stored.key, stored.value, stored.crc);
  else checkWindowRow(store, stored.key, stored.start_ms, stored.end_ms!, stored.value, stored.crc);
  const key = decodeValue(stored.key) as unknown[];
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
