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
  readonly partition: number;
}

/** The two reads of a store kind: one key's rows, and every row. */
interface Statements {
  readonly get: BetterSqlite3.Statement<[string, string, Buffer], StoredRow>;
  readonly scan: BetterSqlite3.Statement<[string, string], StoredRow>;
}

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>();

/** Prepared once per database and text, so a key lookup costs one indexed read. */
function prepare<P extends unknown[], R>(db: Database, sql: string): BetterSqlite3.Statement<P, R> {
  let cache = statementCache.get(db);
  if (cache === undefined) statementCache.set(db, cache = new Map());
  let stmt = cache.get(sql);
  if (stmt === undefined) cache.set(sql, stmt = db.prepare(sql));
  return stmt as unknown as BetterSqlite3.Statement<P, R>;
}

const STORES = `SELECT id, partition FROM state_stores WHERE query = ? AND name = ?`;

function statements(db: Database, windowed: boolean): Statements {
  if (!windowed) {
    const kv = TABLE_OF_KIND['key-value'];
    return {
      get: prepare(db, `SELECT s.partition, d.key, d.value FROM (${STORES}) s JOIN ${kv} d ON d.store = s.id WHERE d.key = ?`),
      scan: prepare(db, `SELECT s.partition, d.key, d.value FROM (${STORES}) s JOIN ${kv} d ON d.store = s.id ORDER BY s.partition, d.key`),
    };
  }
  const win = TABLE_OF_KIND.window;
  return {
    get: prepare(db, `SELECT s.partition, d.key, d.start_ms, d.end_ms, d.value FROM (${STORES}) s JOIN ${win} d ON d.store = s.id WHERE d.key = ? ORDER BY s.partition, d.start_ms, d.end_ms`),
    scan: prepare(db, `SELECT s.partition, d.key, d.start_ms, d.end_ms, d.value FROM (${STORES}) s JOIN ${win} d ON d.store = s.id ORDER BY s.partition, d.key, d.start_ms, d.end_ms`),
  };
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
  const ready = (): boolean => hasTable(db, 'state_stores') && hasTable(db, table);
  let prepared: Statements | undefined;
  const get = (): Statements | undefined => {
    if (prepared === undefined && ready()) prepared = statements(db, windowed);
    return prepared;
  };
  return {
    lookup(key) {
      const s = get();
      if (s === undefined) return [];
      const encoded = encodeValue(key);
      const rows = s.get.all(queryId, MATERIALIZED_STORE_NAME, encoded);
      return rows.map(toRow);
    },
    *scan() {
      const s = get();
      if (s === undefined) return;
      for (const stored of s.scan.iterate(queryId, MATERIALIZED_STORE_NAME)) yield toRow(stored);
    },
  };
}

function toRow(stored: StoredRow): Row {
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
