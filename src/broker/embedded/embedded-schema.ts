/**
 * The log's tables in the shared SQLite file. Other layers (src/state) add
 * their own tables to the same file; ours all start with `broker_`.
 *
 * Batches live in a rowid table (large blobs do badly in WITHOUT ROWID
 * tables) with a unique index on (partition, last offset): batches of one
 * partition never overlap, so last offsets order them like base offsets do,
 * and "the first batch that can hold offset o" is one index seek. The schema
 * itself enforces that they never overlap (two writers, or a bug, would
 * otherwise give one offset two records for good): a trigger refuses a batch
 * that overlaps the first stored batch ending at or after its base offset (the
 * only one that can overlap it), and a batch's offsets never change.
 *
 * Producers (Kafka's idempotence and transactions) keep their state in the
 * same file, written in the transaction of the append or marker it follows,
 * so a crash never separates a batch from its sequence numbers or its
 * transaction's bounds: per partition and producer id the epoch and the last
 * batches' sequences (`broker_producer_state`); per partition the first offset
 * of every open transaction and the span of every aborted one
 * (`broker_txn_index`, Kafka's aborted transaction index); per transactional
 * id the coordinator's state, partitions and pending group offsets.
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
CREATE TRIGGER IF NOT EXISTS broker_batches_no_overlap BEFORE INSERT ON broker_batches
WHEN NEW.last_offset < NEW.base_offset
  OR (SELECT base_offset FROM broker_batches
      WHERE tp = NEW.tp AND last_offset >= NEW.base_offset ORDER BY last_offset LIMIT 1) <= NEW.last_offset
BEGIN
  SELECT RAISE(ABORT, 'broker_batches: a batch must not overlap a stored batch of its partition, nor have its last offset before its base offset');
END;
CREATE TRIGGER IF NOT EXISTS broker_batches_offsets_fixed BEFORE UPDATE OF tp, base_offset, last_offset ON broker_batches
WHEN NEW.tp IS NOT OLD.tp OR NEW.base_offset IS NOT OLD.base_offset OR NEW.last_offset IS NOT OLD.last_offset
BEGIN
  SELECT RAISE(ABORT, 'broker_batches: a stored batch keeps its partition and offsets');
END;
CREATE TABLE IF NOT EXISTS broker_group_offsets (
  group_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  commit_ms INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, partition)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS broker_producer_state (
  tp INTEGER NOT NULL,
  producer_id INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  batches TEXT NOT NULL,
  last_ms INTEGER NOT NULL,
  PRIMARY KEY (tp, producer_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS broker_txn_index (
  tp INTEGER NOT NULL,
  producer_id INTEGER NOT NULL,
  first_offset INTEGER NOT NULL,
  last_offset INTEGER,
  PRIMARY KEY (tp, producer_id, first_offset)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS broker_txn_index_by_end ON broker_txn_index (tp, last_offset);
CREATE TABLE IF NOT EXISTS broker_transactions (
  transactional_id TEXT PRIMARY KEY,
  producer_id INTEGER NOT NULL UNIQUE,
  epoch INTEGER NOT NULL,
  timeout_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  started_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS broker_txn_partitions (
  transactional_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  PRIMARY KEY (transactional_id, topic, partition)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS broker_txn_offsets (
  transactional_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  PRIMARY KEY (transactional_id, group_id, topic, partition)
) WITHOUT ROWID;
`;

/** Sets the connection up (WAL, the flush policy) and creates the tables if missing. */
export function applyBrokerSchema(db: Database, flush: FlushPolicy): void {
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  // A checkpoint that empties the WAL also shrinks its file: the WAL does not keep disk space a full disk needs.
  db.pragma('journal_size_limit = 0');
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
