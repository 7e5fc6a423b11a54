/**
 * The state stores' tables in the shared SQLite file (ours all start with
 * `state_`). There is one table per store KIND, not per store: rows carry the
 * integer id the catalogue gives each (query, store name, partition), so a
 * thousand stores cost three tables, not a thousand, and dropping a query's
 * stores is a few indexed deletes.
 *
 * Keys are BLOBs: SQLite compares BLOBs with memcmp and then by length, which
 * is the unsigned lexicographic byte order Kafka Streams' stores use. Every
 * row carries the checksum of its key and value (`crc`, see row-checksum.ts).
 * Tables are created lazily, when the first store of their kind is opened.
 *
 * Versions (`state_meta`'s `schema_version`): 1, rows without checksums
 * (data dirs written before checksums existed have state tables but no
 * `state_meta`); 2, rows with checksums; 3, `time-window` stores in a table
 * of their own. Opening a registry migrates an older database once.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { keyValueChecksum, windowChecksum } from './row-checksum.js';
import { storageFailure } from './state-error.js';

type Database = BetterSqlite3.Database;

/**
 * A `window` store's key column is the key (a key's windows are one range:
 * joins, sessions); a `time-window` store's is the window start, then the
 * key (time-first-key.ts), so its rows lie in window start order and need no
 * second index by start: they have a table of their own without one, which
 * halves what each of their writes costs SQLite.
 */
export type StoreKind = 'key-value' | 'window' | 'time-window';

const SCHEMA_VERSION = 3;

const META_DDL = `
CREATE TABLE IF NOT EXISTS state_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

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

// The primary key serves one key's windows by start (fetch, findSessions) of
// a window store, every window of a start by key of a time-window store; the
// index serves every key's windows by start (fetchAll, purges) and the
// window starts of a time-window store.
const WINDOW_DDL = `
CREATE TABLE IF NOT EXISTS state_windows (
  store INTEGER NOT NULL,
  key BLOB NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  value BLOB NOT NULL,
  crc INTEGER NOT NULL,
  PRIMARY KEY (store, key, start_ms, end_ms)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS state_windows_by_start ON state_windows (store, start_ms);
`;

// The primary key serves everything: its key column starts with the window start.
const TIME_WINDOW_DDL = `
CREATE TABLE IF NOT EXISTS state_time_windows (
  store INTEGER NOT NULL,
  key BLOB NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  value BLOB NOT NULL,
  crc INTEGER NOT NULL,
  PRIMARY KEY (store, key, start_ms, end_ms)
) WITHOUT ROWID;
`;

const KIND_DDL: { readonly [K in StoreKind]: string } = {
  'key-value': `
CREATE TABLE IF NOT EXISTS state_kv (
  store INTEGER NOT NULL,
  key BLOB NOT NULL,
  value BLOB NOT NULL,
  crc INTEGER NOT NULL,
  PRIMARY KEY (store, key)
) WITHOUT ROWID;
`,
  window: WINDOW_DDL,
  'time-window': TIME_WINDOW_DDL,
};

/** The table holding the rows of a store kind. */
export const TABLE_OF_KIND: { readonly [K in StoreKind]: string } = {
  'key-value': 'state_kv',
  window: 'state_windows',
  'time-window': 'state_time_windows',
};

const tableQueries = new WeakMap<Database, BetterSqlite3.Statement<[string], number>>();

/** Prepared once per database: pull queries ask it on every read of a store kind not yet made. */
export function hasTable(db: Database, table: string): boolean {
  let query = tableQueries.get(db);
  if (query === undefined) tableQueries.set(db, query = db.prepare<[string], number>(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck());
  return query.get(table) !== undefined;
}

/** Creates the catalogue and the table of `kind` if they are missing. */
export function createStoreTables(db: Database, kind: StoreKind): void {
  db.exec(META_DDL + CATALOGUE_DDL + KIND_DDL[kind]);
  db.prepare(`INSERT OR IGNORE INTO state_meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
}

/**
 * Brings the state tables of `db` to the current version (run once per
 * connection, before any store is read). A database without state tables
 * is left alone: they are created when the first store opens.
 */
export function migrateStoreTables(db: Database): void {
  let version = schemaVersion(db);
  if (version === undefined || version === SCHEMA_VERSION) return;
  if (version < 1 || version > SCHEMA_VERSION) {
    throw storageFailure(`The state stores' schema version ${version} is not supported (this version of ksqlite reads version ${SCHEMA_VERSION}).`);
  }
  if (version === 1) {
    db.function('state_kv_crc', { deterministic: true }, (key, value) => keyValueChecksum(key as Buffer, value as Buffer));
    db.function('state_window_crc', { deterministic: true }, (key, start, end, value) =>
      windowChecksum(key as Buffer, Number(start), Number(end), value as Buffer));
  }
  db.transaction(() => {
    if (version === 1) {
      if (hasTable(db, TABLE_OF_KIND['key-value'])) addChecksums(db, 'key-value');
      if (hasTable(db, TABLE_OF_KIND.window)) addChecksums(db, 'window');
      version = 2;
    }
    if (version === 2) moveTimeWindows(db);
    db.exec(META_DDL);
    db.prepare(`INSERT OR REPLACE INTO state_meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
  })();
}

/** Version 2 -> 3: the rows of `time-window` stores move from `state_windows` to their own table. */
function moveTimeWindows(db: Database): void {
  if (!hasTable(db, TABLE_OF_KIND.window) || !hasTable(db, 'state_stores')) return;
  if (db.prepare(`SELECT 1 FROM state_stores WHERE kind = 'time-window' LIMIT 1`).get() === undefined) return;
  const moved = "store IN (SELECT id FROM state_stores WHERE kind = 'time-window')";
  db.exec(TIME_WINDOW_DDL);
  db.exec(`INSERT INTO ${TABLE_OF_KIND['time-window']} SELECT store, key, start_ms, end_ms, value, crc FROM ${TABLE_OF_KIND.window} WHERE ${moved}`);
  db.exec(`DELETE FROM ${TABLE_OF_KIND.window} WHERE ${moved}`);
}

/** The stored version; 1 for state tables from before versions were kept; undefined for none. */
function schemaVersion(db: Database): number | undefined {
  if (hasTable(db, 'state_meta')) {
    const value = db.prepare<[], string>(`SELECT value FROM state_meta WHERE key = 'schema_version'`).pluck().get();
    if (value !== undefined) return Number(value);
  }
  return hasTable(db, TABLE_OF_KIND['key-value']) || hasTable(db, TABLE_OF_KIND.window) ? 1 : undefined;
}

/** Version 1 -> 2 for one kind: the table rebuilt with every row's checksum (the SQL functions of `migrateStoreTables`). */
function addChecksums(db: Database, kind: StoreKind): void {
  const table = TABLE_OF_KIND[kind];
  const columns = kind === 'key-value' ? 'store, key, value' : 'store, key, start_ms, end_ms, value';
  const checksum = kind === 'key-value' ? 'state_kv_crc(key, value)' : 'state_window_crc(key, start_ms, end_ms, value)';
  // The index moves with a renamed table: drop it so the new table gets its own.
  if (kind === 'window') db.exec('DROP INDEX IF EXISTS state_windows_by_start');
  db.exec(`ALTER TABLE ${table} RENAME TO ${table}_v1`);
  db.exec(KIND_DDL[kind]);
  db.exec(`INSERT INTO ${table} (${columns}, crc) SELECT ${columns}, ${checksum} FROM ${table}_v1`);
  db.exec(`DROP TABLE ${table}_v1`);
}
