/**
 * Reads a table's materialization (see table-materializer.ts) as pull
 * queries do: the committed rows of every partition's store, by key or all
 * of them, straight from the stores' tables. Running tasks keep writing
 * through their own stores; a read sees what their last commit wrote.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Row } from '../expr/row.js';
import { hasTable, TABLE_OF_KIND } from '../state/store-schema.js';
import { MATERIALIZED_STORE_NAME } from './table-materializer.js';
import { decodeValue, encodeValue } from './value-codec.js';

type Database = BetterSqlite3.Database;

interface StoredRow {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly start_ms?: number;
  readonly end_ms?: number;
}

/** The reads of one store: one key's rows, and every row. */
interface Statements {
  readonly get: BetterSqlite3.Statement<[number, Buffer], StoredRow>;
  readonly scan: BetterSqlite3.Statement<[number], StoredRow>;
}

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>();

/** Prepared once per database and text, so a key lookup costs one indexed read per partition. */
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
  if (!windowed) {
    const kv = TABLE_OF_KIND['key-value'];
    return {
      get: prepare(db, `SELECT key, value FROM ${kv} WHERE store = ? AND key = ?`),
      scan: prepare(db, `SELECT key, value FROM ${kv} WHERE store = ? ORDER BY key`),
    };
  }
  const win = TABLE_OF_KIND.window;
  return {
    get: prepare(db, `SELECT key, start_ms, end_ms, value FROM ${win} WHERE store = ? AND key = ? ORDER BY start_ms, end_ms`),
    scan: prepare(db, `SELECT key, start_ms, end_ms, value FROM ${win} WHERE store = ? ORDER BY key, start_ms, end_ms`),
  };
}

interface StoreRef {
  readonly id: number;
  readonly partition: number;
}

export interface MaterializedTable {
  /** The rows whose key columns equal `key` (for a windowed table, every window of the key). */
  lookup(key: readonly unknown[]): Row[];
  /** Every row, partition by partition, in key order. */
  scan(): IterableIterator<Row>;
}

/** The materialization of the table that `queryId` writes; `windowed` picks the store kind. */
export function openMaterializedTable(db: Database, queryId: string, windowed: boolean): MaterializedTable {
  const table = windowed ? TABLE_OF_KIND.window : TABLE_OF_KIND['key-value'];
  if (!tableExists(db, 'state_stores') || !tableExists(db, table)) return { lookup: () => [], scan: function* () {} };
  const stores = prepare<[string, string], StoreRef>(db, 'SELECT id, partition FROM state_stores WHERE query = ? AND name = ? ORDER BY partition')
    .all(queryId, MATERIALIZED_STORE_NAME);
  const s = statements(db, windowed);
  return {
    lookup(key) {
      const encoded = encodeValue(key);
      const rows: Row[] = [];
      for (const store of stores) {
        if (windowed) for (const stored of s.get.all(store.id, encoded)) rows.push(toRow(stored, store.partition));
        else {
          const stored = s.get.get(store.id, encoded);
          if (stored !== undefined) rows.push(toRow(stored, store.partition));
        }
      }
      return rows;
    },
    *scan() {
      for (const store of stores) {
        for (const stored of s.scan.iterate(store.id)) yield toRow(stored, store.partition);
      }
    },
  };
}

function toRow(stored: StoredRow, partition: number): Row {
  const key = decodeValue(stored.key) as unknown[];
  const [timestamp, ...values] = decodeValue(stored.value) as [number, ...unknown[]];
  return {
    values: [...key, ...values],
    timestamp,
    partition,
    offset: -1,
    headers: [],
    window: stored.start_ms === undefined ? null : { start: stored.start_ms, end: stored.end_ms! },
    nullValue: false,
  };
}
