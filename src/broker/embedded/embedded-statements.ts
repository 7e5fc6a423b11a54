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

export interface TransactionRow {
  readonly transactional_id: string;
  readonly producer_id: number;
  readonly epoch: number;
  readonly timeout_ms: number;
  /** EMPTY (no transaction yet), ONGOING, COMMITTED or ABORTED (the last one ended so). */
  readonly state: string;
  readonly started_ms: number;
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
    /** [base_offset, last_offset, size] of the batches holding offsets >= ?, in order: what a read may take, without reading payloads. */
    batchSizesFrom: prepareRaw<[number, number], [number, number, number]>(
      db,
      'SELECT base_offset, last_offset, size FROM broker_batches WHERE tp = ? AND last_offset >= ? ORDER BY last_offset',
    ),
    /** [base_offset, last_offset, payload] of the batches whose last offset is between the two given, in order. */
    batchesBetween: prepareRaw<[number, number, number], [number, number, Buffer]>(
      db,
      'SELECT base_offset, last_offset, payload FROM broker_batches WHERE tp = ? AND last_offset >= ? AND last_offset <= ? ORDER BY last_offset',
    ),
    batchesWithTimestampFrom: prepare<[number, number], { base_offset: number; last_offset: number; payload: Buffer }>(
      db,
      'SELECT base_offset, last_offset, payload FROM broker_batches WHERE tp = ? AND max_ts >= ? ORDER BY last_offset',
    ),
    batchesNewestFirst: prepare<[number], BatchRow>(
      db,
      'SELECT id, base_offset, last_offset, max_ts, record_count, size, delete_horizon, payload FROM broker_batches WHERE tp = ? ORDER BY last_offset DESC',
    ),
    /** The batches of a partition whose last offset is at or after the first ? and before the second, oldest first. */
    batchesToCompact: prepare<[number, number, number], BatchRow>(
      db,
      'SELECT id, base_offset, last_offset, max_ts, record_count, size, delete_horizon, payload FROM broker_batches WHERE tp = ? AND last_offset >= ? AND last_offset < ? ORDER BY last_offset',
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

    nextProducerId: preparePluck<[], string>(db, "SELECT value FROM broker_meta WHERE key = 'next_producer_id'"),
    setNextProducerId: prepare<[string]>(
      db,
      "INSERT INTO broker_meta (key, value) VALUES ('next_producer_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ),
    producerState: prepare<[number, number], { epoch: number; batches: string }>(
      db,
      'SELECT epoch, batches FROM broker_producer_state WHERE tp = ? AND producer_id = ?',
    ),
    upsertProducerState: prepare<[number, number, number, string, number]>(
      db,
      `INSERT INTO broker_producer_state (tp, producer_id, epoch, batches, last_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tp, producer_id) DO UPDATE SET epoch = excluded.epoch, batches = excluded.batches, last_ms = excluded.last_ms`,
    ),
    deletePartitionProducerState: prepare<[number]>(db, 'DELETE FROM broker_producer_state WHERE tp = ?'),
    expireProducerState: prepare<[number]>(
      db,
      `DELETE FROM broker_producer_state WHERE last_ms < ?
       AND NOT EXISTS (SELECT 1 FROM broker_txn_index i WHERE i.tp = broker_producer_state.tp
                       AND i.producer_id = broker_producer_state.producer_id AND i.last_offset IS NULL)`,
    ),

    openTransactionOf: preparePluck<[number, number], number>(
      db,
      'SELECT first_offset FROM broker_txn_index WHERE tp = ? AND producer_id = ? AND last_offset IS NULL',
    ),
    insertOpenTransaction: prepare<[number, number, number]>(
      db,
      'INSERT INTO broker_txn_index (tp, producer_id, first_offset, last_offset) VALUES (?, ?, ?, NULL)',
    ),
    abortTransactionEntry: prepare<[number, number, number]>(
      db,
      'UPDATE broker_txn_index SET last_offset = ? WHERE tp = ? AND producer_id = ? AND last_offset IS NULL',
    ),
    deleteOpenTransaction: prepare<[number, number]>(db, 'DELETE FROM broker_txn_index WHERE tp = ? AND producer_id = ? AND last_offset IS NULL'),
    countOpenTransactions: preparePluck<[number], number>(db, 'SELECT COUNT(*) FROM broker_txn_index WHERE tp = ? AND last_offset IS NULL'),
    firstOpenOffset: preparePluck<[number], number | null>(db, 'SELECT MIN(first_offset) FROM broker_txn_index WHERE tp = ? AND last_offset IS NULL'),
    /** An aborted transaction of producer ? holding offset ? (first_offset <= ? <= last_offset). */
    isAborted: preparePluck<[number, number, number, number], number>(
      db,
      'SELECT 1 FROM broker_txn_index WHERE tp = ? AND producer_id = ? AND first_offset <= ? AND last_offset >= ? LIMIT 1',
    ),
    /** Aborted transactions overlapping [?, ?): those ending at or after the first and starting before the second. */
    abortedOverlapping: prepare<[number, number, number], { producer_id: number; first_offset: number }>(
      db,
      'SELECT producer_id, first_offset FROM broker_txn_index WHERE tp = ? AND last_offset >= ? AND first_offset < ? ORDER BY first_offset',
    ),
    deleteAbortedBefore: prepare<[number, number]>(db, 'DELETE FROM broker_txn_index WHERE tp = ? AND last_offset < ?'),
    deletePartitionTxnIndex: prepare<[number]>(db, 'DELETE FROM broker_txn_index WHERE tp = ?'),

    transaction: prepare<[string], TransactionRow>(
      db,
      'SELECT transactional_id, producer_id, epoch, timeout_ms, state, started_ms FROM broker_transactions WHERE transactional_id = ?',
    ),
    transactionOfProducer: prepare<[number], TransactionRow>(
      db,
      'SELECT transactional_id, producer_id, epoch, timeout_ms, state, started_ms FROM broker_transactions WHERE producer_id = ?',
    ),
    ongoingTransactions: prepare<[], TransactionRow>(
      db,
      "SELECT transactional_id, producer_id, epoch, timeout_ms, state, started_ms FROM broker_transactions WHERE state = 'ONGOING' ORDER BY transactional_id",
    ),
    upsertTransaction: prepare<[string, number, number, number, string, number]>(
      db,
      `INSERT INTO broker_transactions (transactional_id, producer_id, epoch, timeout_ms, state, started_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (transactional_id) DO UPDATE SET producer_id = excluded.producer_id, epoch = excluded.epoch,
       timeout_ms = excluded.timeout_ms, state = excluded.state, started_ms = excluded.started_ms`,
    ),
    txnPartitions: prepare<[string], { topic: string; partition: number }>(
      db,
      'SELECT topic, partition FROM broker_txn_partitions WHERE transactional_id = ? ORDER BY topic, partition',
    ),
    hasTxnPartition: preparePluck<[string, string, number], number>(
      db,
      'SELECT 1 FROM broker_txn_partitions WHERE transactional_id = ? AND topic = ? AND partition = ?',
    ),
    insertTxnPartition: prepare<[string, string, number]>(
      db,
      'INSERT OR IGNORE INTO broker_txn_partitions (transactional_id, topic, partition) VALUES (?, ?, ?)',
    ),
    clearTxnPartitions: prepare<[string]>(db, 'DELETE FROM broker_txn_partitions WHERE transactional_id = ?'),
    deleteTopicTxnPartitions: prepare<[string]>(db, 'DELETE FROM broker_txn_partitions WHERE topic = ?'),
    upsertTxnOffset: prepare<[string, string, string, number, number]>(
      db,
      `INSERT INTO broker_txn_offsets (transactional_id, group_id, topic, partition, offset) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (transactional_id, group_id, topic, partition) DO UPDATE SET offset = excluded.offset`,
    ),
    txnOffsets: prepare<[string], { group_id: string; topic: string; partition: number; offset: number }>(
      db,
      'SELECT group_id, topic, partition, offset FROM broker_txn_offsets WHERE transactional_id = ? ORDER BY group_id, topic, partition',
    ),
    clearTxnOffsets: prepare<[string]>(db, 'DELETE FROM broker_txn_offsets WHERE transactional_id = ?'),
    hasTxnOffset: preparePluck<[string, string, number], number>(
      db,
      'SELECT 1 FROM broker_txn_offsets WHERE group_id = ? AND topic = ? AND partition = ? LIMIT 1',
    ),
    deleteTopicTxnOffsets: prepare<[string]>(db, 'DELETE FROM broker_txn_offsets WHERE topic = ?'),
    /** A page's worth of bytes written and taken back: the storage probe's write (storage-health.ts). */
    putStorageProbe: prepare<[]>(db, "INSERT OR REPLACE INTO broker_meta (key, value) VALUES ('storage_probe', randomblob(16384))"),
    deleteStorageProbe: prepare<[]>(db, "DELETE FROM broker_meta WHERE key = 'storage_probe'"),
  };
}

export type BrokerStatements = ReturnType<typeof prepareBrokerStatements>;
