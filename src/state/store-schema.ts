/**
 * The state stores' tables in the shared SQLite file (ours all start with
 * `state_`). There is one table per store KIND, not per store: rows carry the
 * integer id the catalogue gives each (query, store name, partition), so a
 * thousand stores cost three tables, not a thousand, and dropping a query's
 * stores is a few indexed deletes.
 *
 * Keys are BLOBs: SQLite compares BLOBs with memcmp and then by length, which
 * is the unsigned lexicographic byte order Kafka Streams' stores use.
 * Tables are created lazily, when the first store of their kind is opened.
 */
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

export type StoreKind = 'key-value' | 'window';

const CATALOGUE_DDL = `
CREATE TABLE IF NOT EXISTS state_stores (
  id INTEGER PRIMARY KEY,
  query TEXT NOT NULL,
  name TEXT NOT NULL,
  partition INTEGER NOT NULL,
  kind TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (query, name, partition)
);
`;

const KIND_DDL: { readonly [K in StoreKind]: string } = {
  'key-value': `
CREATE TABLE IF NOT EXISTS state_kv (
  store INTEGER NOT NULL,
  key BLOB NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (store, key)
) WITHOUT ROWID;
`,
  // The primary key serves one key's windows by start (fetch, findSessions);
  // the index serves every key's windows by start (fetchAll, purges).
  window: `
CREATE TABLE IF NOT EXISTS state_windows (
  store INTEGER NOT NULL,
  key BLOB NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (store, key, start_ms, end_ms)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS state_windows_by_start ON state_windows (store, start_ms);
`,
};

/** The table holding the rows of a store kind. */
export const TABLE_OF_KIND: { readonly [K in StoreKind]: string } = {
  'key-value': 'state_kv',
  window: 'state_windows',
};

export function hasTable(db: Database, table: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(table) !== undefined;
}

/** Creates the catalogue and the table of `kind` if they are missing. */
export function createStoreTables(db: Database, kind: StoreKind): void {
  db.exec(CATALOGUE_DDL + KIND_DDL[kind]);
}
