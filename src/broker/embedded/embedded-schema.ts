/**
 * The log's tables in the shared SQLite file. Other layers (src/state) add
 * their own tables to the same file; ours all start with `broker_`.
 *
 * Batches live in a rowid table (large blobs do badly in WITHOUT ROWID
 * tables) with a unique index on (partition, last offset): batches of one
 * partition never overlap, so last offsets order them like base offsets do,
 * and "the first batch that can hold offset o" is one index seek.
 */
import type { Database } from 'better-sqlite3';

export type FlushPolicy = 'os' | 'always';

const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS broker_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS broker_topics (
  name TEXT PRIMARY KEY,
  partitions INTEGER NOT NULL,
  config TEXT NOT NULL,
  created_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS broker_partitions (
  id INTEGER PRIMARY KEY,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  log_start INTEGER NOT NULL,
  log_end INTEGER NOT NULL,
  UNIQUE (topic, partition)
);
CREATE TABLE IF NOT EXISTS broker_batches (
  id INTEGER PRIMARY KEY,
  tp INTEGER NOT NULL,
  base_offset INTEGER NOT NULL,
  last_offset INTEGER NOT NULL,
  max_ts INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  size INTEGER NOT NULL,
  delete_horizon INTEGER,
  payload BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS broker_batches_by_offset ON broker_batches (tp, last_offset);
CREATE TABLE IF NOT EXISTS broker_group_offsets (
  group_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  commit_ms INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, partition)
) WITHOUT ROWID;
`;

/** Sets the connection up (WAL, the flush policy) and creates the tables if missing. */
export function applyBrokerSchema(db: Database, flush: FlushPolicy): void {
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma(flush === 'always' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
  db.exec(DDL);
  const row = db.prepare<[], { value: string }>(`SELECT value FROM broker_meta WHERE key = 'schema_version'`).get();
  if (row === undefined) {
    db.prepare(`INSERT INTO broker_meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
  } else if (Number(row.value) !== SCHEMA_VERSION) {
    throw new Error(`log schema version ${row.value} is not supported (expected ${SCHEMA_VERSION})`);
  }
}
