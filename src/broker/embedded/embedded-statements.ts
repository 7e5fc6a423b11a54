/** Every SQL statement the embedded log runs, prepared once per connection. */
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;
/** The part of a better-sqlite3 statement the log uses, under a name declaration files can refer to. */
export interface Statement<P extends unknown[], R = unknown> {
  run(...params: P): { changes: number; lastInsertRowid: number | bigint };
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
}

function prepare<P extends unknown[], R = unknown>(db: Database, sql: string): Statement<P, R> {
  return db.prepare<P, R>(sql);
}

/** Rows as arrays (cheaper than objects on the read path). */
function prepareRaw<P extends unknown[], R>(db: Database, sql: string): Statement<P, R> {
  return db.prepare<P, R>(sql).raw();
}

/** The first column of each row, alone. */
function preparePluck<P extends unknown[], R>(db: Database, sql: string): Statement<P, R> {
  return db.prepare<P, R>(sql).pluck();
}

export interface BatchRow {
  readonly id: number;
  readonly base_offset: number;
  readonly last_offset: number;
  readonly max_ts: number;
  readonly record_count: number;
  readonly size: number;
  readonly delete_horizon: number | null;
  readonly payload: Buffer;
}

export interface TopicRow {
  readonly name: string;
  readonly partitions: number;
  readonly config: string;
}

export interface PartitionRow {
  readonly id: number;
  readonly topic: string;
  readonly partition: number;
  readonly log_start: number;
  readonly log_end: number;
}

export function prepareBrokerStatements(db: Database) {
  return {
    insertBatch: prepare<[number, number, number, number, number, number, Buffer]>(
      db,
      'INSERT INTO broker_batches (tp, base_offset, last_offset, max_ts, record_count, size, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    /** [base_offset, last_offset, payload] of the batches holding offsets >= ?, in order (raw rows). */
    batchesFrom: prepareRaw<[number, number], [number, number, Buffer]>(
      db,
      'SELECT base_offset, last_offset, payload FROM broker_batches WHERE tp = ? AND last_offset >= ? ORDER BY last_offset',
    ),
    batchesWithTimestampFrom: prepare<[number, number], { base_offset: number; last_offset: number; payload: Buffer }>(
      db,
      'SELECT base_offset, last_offset, payload FROM broker_batches WHERE tp = ? AND max_ts >= ? ORDER BY last_offset',
    ),
    batchesNewestFirst: prepare<[number], BatchRow>(
      db,
      'SELECT id, base_offset, last_offset, max_ts, record_count, size, delete_horizon, payload FROM broker_batches WHERE tp = ? ORDER BY last_offset DESC',
    ),
    batchesOldestFirst: prepare<[number], BatchRow>(
      db,
      'SELECT id, base_offset, last_offset, max_ts, record_count, size, delete_horizon, payload FROM broker_batches WHERE tp = ? ORDER BY last_offset',
    ),
    batchMetaOldestFirst: prepare<[number], Omit<BatchRow, 'payload'>>(
      db,
      'SELECT id, base_offset, last_offset, max_ts, record_count, size, delete_horizon FROM broker_batches WHERE tp = ? ORDER BY last_offset',
    ),
    lastBatchEnd: prepare<[number], { last_offset: number | null }>(
      db,
      'SELECT MAX(last_offset) AS last_offset FROM broker_batches WHERE tp = ?',
    ),
    partitionSize: prepare<[number], { total: number | null }>(db, 'SELECT SUM(size) AS total FROM broker_batches WHERE tp = ?'),
    deleteBatch: prepare<[number]>(db, 'DELETE FROM broker_batches WHERE id = ?'),
    deletePartitionBatches: prepare<[number]>(db, 'DELETE FROM broker_batches WHERE tp = ?'),
    /** The batches of a partition whose every offset lies before ?. */
    deleteBatchesBefore: prepare<[number, number]>(db, 'DELETE FROM broker_batches WHERE tp = ? AND last_offset < ?'),
    rewriteBatch: prepare<[number, number, number, number | null, Buffer, number]>(
      db,
      'UPDATE broker_batches SET max_ts = ?, record_count = ?, size = ?, delete_horizon = ?, payload = ? WHERE id = ?',
    ),
    setDeleteHorizon: prepare<[number, number]>(db, 'UPDATE broker_batches SET delete_horizon = ? WHERE id = ?'),

    allTopics: prepare<[], TopicRow>(db, 'SELECT name, partitions, config FROM broker_topics ORDER BY name'),
    insertTopic: prepare<[string, number, string, number]>(
      db,
      'INSERT INTO broker_topics (name, partitions, config, created_ms) VALUES (?, ?, ?, ?)',
    ),
    updateTopicConfig: prepare<[string, string]>(db, 'UPDATE broker_topics SET config = ? WHERE name = ?'),
    updateTopicPartitions: prepare<[number, string]>(db, 'UPDATE broker_topics SET partitions = ? WHERE name = ?'),
    deleteTopic: prepare<[string]>(db, 'DELETE FROM broker_topics WHERE name = ?'),

    allPartitions: prepare<[], PartitionRow>(db, 'SELECT id, topic, partition, log_start, log_end FROM broker_partitions'),
    insertPartition: prepare<[string, number]>(
      db,
      'INSERT INTO broker_partitions (topic, partition, log_start, log_end) VALUES (?, ?, 0, 0)',
    ),
    updatePartitionBounds: prepare<[number, number, number]>(
      db,
      'UPDATE broker_partitions SET log_start = ?, log_end = ? WHERE id = ?',
    ),
    deleteTopicPartitions: prepare<[string]>(db, 'DELETE FROM broker_partitions WHERE topic = ?'),

    upsertGroupOffset: prepare<[string, string, number, number, number]>(
      db,
      `INSERT INTO broker_group_offsets (group_id, topic, partition, offset, commit_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET offset = excluded.offset, commit_ms = excluded.commit_ms`,
    ),
    groupOffset: preparePluck<[string, string, number], number>(
      db,
      'SELECT offset FROM broker_group_offsets WHERE group_id = ? AND topic = ? AND partition = ?',
    ),
    groupOffsets: prepare<[string], { topic: string; partition: number; offset: number }>(
      db,
      'SELECT topic, partition, offset FROM broker_group_offsets WHERE group_id = ? ORDER BY topic, partition',
    ),
    /** Offsets committed for a topic partition beyond ? (scans the table: runs only when a start drops batches). */
    groupOffsetsPast: prepare<[string, number, number], { group_id: string; offset: number }>(
      db,
      'SELECT group_id, offset FROM broker_group_offsets WHERE topic = ? AND partition = ? AND offset > ? ORDER BY group_id',
    ),
    allGroups: preparePluck<[], string>(db, 'SELECT DISTINCT group_id FROM broker_group_offsets ORDER BY group_id'),
    deleteGroup: prepare<[string]>(db, 'DELETE FROM broker_group_offsets WHERE group_id = ?'),
    deleteTopicGroupOffsets: prepare<[string]>(db, 'DELETE FROM broker_group_offsets WHERE topic = ?'),
    /** A page's worth of bytes written and taken back: the storage probe's write (storage-health.ts). */
    putStorageProbe: prepare<[]>(db, "INSERT OR REPLACE INTO broker_meta (key, value) VALUES ('storage_probe', randomblob(16384))"),
    deleteStorageProbe: prepare<[]>(db, "DELETE FROM broker_meta WHERE key = 'storage_probe'"),
  };
}

export type BrokerStatements = ReturnType<typeof prepareBrokerStatements>;
