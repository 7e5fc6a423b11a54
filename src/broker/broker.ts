/**
 * The seam between the engine and its log. The embedded implementation
 * (src/broker/embedded) keeps topics in one SQLite file. Every method is
 * synchronous; what a task needs at its batch boundaries, which a remote log
 * answers asynchronously, is the narrower `TaskLog` (task-log.ts).
 *
 * Offsets and timestamps are JS numbers (safe integers): offsets are dense per
 * partition from 0, timestamps are epoch milliseconds.
 */
import type { TopicConfig } from './topic-config.js';
import type { AbortedTransaction, TransactionCoordinator } from './transactions.js';
import type { TopicPartitionOffset } from './topic-partition-offset.js';

export type { TopicConfig, CleanupPolicy, TimestampType } from './topic-config.js';

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record handed to `append`. */
export interface ProducerRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Epoch ms; defaults to the append time. Ignored for LogAppendTime topics. */
  readonly timestamp?: number;
  readonly headers?: readonly RecordHeader[];
  /** An explicit partition; otherwise Kafka's default partitioner picks one. */
  readonly partition?: number;
  /**
   * The bytes the default partitioner hashes instead of the key: Kafka
   * Streams partitions a windowed key by the key without its window, so all
   * windows of a key land in one partition.
   */
  readonly partitionKey?: Buffer;
}

/** Where `append` put one record, in input order. */
export interface AppendedRecord {
  readonly partition: number;
  readonly offset: number;
  /** The stored timestamp (the append time on LogAppendTime topics). */
  readonly timestamp: number;
}

/** A record read back from a partition. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export interface ReadLimits {
  /** At most this many records (default 500). */
  readonly maxRecords?: number;
  /**
   * At most about this many encoded record bytes (default 50 MiB). Whole
   * records only; the first record is returned even when it alone is larger.
   */
  readonly maxBytes?: number;
  /**
   * Answer at once even at the end of the partition: a remote log's fetch
   * from the end otherwise waits there for records (a long poll), and a task
   * holding uncommitted work must not wait past its commit interval.
   */
  readonly noWait?: boolean;
}

/** What `fetch` returns: the records, and where the next fetch should start. */
export interface FetchResult {
  readonly records: ConsumedRecord[];
  /**
   * The offset after the last record returned, or the log end offset when the
   * read reached the end. Compaction leaves gaps, also at the end of a log, so
   * `last offset + 1` can stop short of the end: use this to move on.
   */
  readonly nextOffset: number;
  /** Where the partition ended for this reader as the read saw it (read_committed: its last stable offset), when the log says. */
  readonly endOffset?: number;
}

export interface PartitionDescription {
  readonly partition: number;
  /** The earliest offset still readable. */
  readonly logStartOffset: number;
  /** The offset the next append gets (Kafka's log end offset / high watermark). */
  readonly logEndOffset: number;
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: readonly PartitionDescription[];
  readonly config: TopicConfig;
}

export interface CreateTopicOptions {
  readonly partitions: number;
  readonly config?: Partial<TopicConfig>;
  /** Return the existing topic instead of failing when it exists. */
  readonly ifNotExists?: boolean;
}

/**
 * Records for one topic staged for a later `commitTransaction`. Each record is
 * checked (partition, timestamp, size, the key a compacted topic needs) and
 * encoded as it is added, so a buffer holds bytes rather than record objects
 * and an invalid record fails on its own, at `add`. A successful commit
 * empties the buffers it wrote; after a failed one they still hold their
 * records, for the caller to commit again or `clear`.
 */
export interface AppendBuffer {
  readonly topic: string;
  /** Records added since the buffer was last emptied. */
  readonly size: number;
  add(record: ProducerRecord): void;
  clear(): void;
}

/** Where a commit left the partitions it appended to. */
export interface CommitPositions {
  /** The offset after the commit's last record in `topic`/`partition`, or undefined when it appended none there. */
  endOffset(topic: string, partition: number): number | undefined;
}

/**
 * Local state that commits with a task's outputs and offsets (its state
 * stores). The log knows nothing of what it writes, only when to run it.
 */
export interface CommitParticipant {
  /**
   * Makes the staged state durable. The embedded log runs it inside the
   * commit's one SQLite transaction, after the appends and offsets, so all
   * of it commits or vanishes together; a remote log runs it after its own
   * commit succeeded, as a local checkpoint (`positions` tells which
   * changelog offsets the state then reflects). Synchronous; throw to fail the commit.
   */
  commit(positions: CommitPositions): void;
}

/**
 * One all-or-nothing unit of work: staged output records, the consumed input
 * offsets of a group, and the state that commits with them. If anything
 * throws, nothing is kept.
 */
export interface TransactionRequest {
  readonly appends?: readonly AppendBuffer[];
  readonly offsets?: { readonly group: string; readonly offsets: readonly TopicPartitionOffset[] };
  readonly participants?: readonly CommitParticipant[];
  /** The task's identity for a remote log's transactional producer (`<group>-<taskId>`); the embedded log ignores it. */
  readonly transactionalId?: string;
  /**
   * True (processing.guarantee at_least_once): a remote log may produce the appends without a transaction, flush
   * them, and only then commit the offsets, so a crash between reprocesses input rather than losing it. The
   * embedded log ignores it: its commit is one SQLite transaction either way.
   */
  readonly atLeastOnce?: boolean;
}

/** Where `appendBatches` stored its first batch. */
export interface AppendedBatch {
  readonly baseOffset: number;
  /** The time stamped on a LogAppendTime topic's batch, or -1 on a CreateTime topic. */
  readonly logAppendTime: number;
}

/** Called after a commit moved the log end of a topic partition. */
export type AppendListener = (topic: string, partition: number) => void;

/** What one maintenance pass did. */
export interface MaintenanceReport {
  readonly batchesDeleted: number;
  readonly batchesRewritten: number;
  readonly recordsRemoved: number;
}

/** Whether the log's storage takes writes (a full disk does not), and why not. */
export interface StorageStatus {
  readonly healthy: boolean;
  readonly reason?: string;
  /** Since when (epoch ms) writes fail. */
  readonly since?: number;
}

export interface Broker {
  /** Whether the last write transaction committed or the storage refused it (disk full). */
  storageStatus(): StorageStatus;
  /** Calls `listener` when the storage takes writes again after refusing them; returns the unsubscribe. */
  onStorageRecovered(listener: () => void): () => void;
  createTopic(name: string, options: CreateTopicOptions): TopicDescription;
  /** Returns false when the topic did not exist and `ifExists` was set. */
  deleteTopic(name: string, options?: { readonly ifExists?: boolean }): boolean;
  hasTopic(name: string): boolean;
  describeTopic(name: string): TopicDescription;
  /** Topic names in ascending order. */
  listTopics(): string[];
  alterTopicConfig(name: string, config: Partial<TopicConfig>): TopicDescription;
  /**
   * Kafka's CreatePartitions: grows the topic to `count` partitions (more
   * than it has; partitions are never removed). Keys hash over the new
   * count from then on, as in Kafka.
   */
  createPartitions(name: string, count: number): TopicDescription;

  append(topic: string, records: readonly ProducerRecord[]): AppendedRecord[];
  /**
   * Stores encoded RecordBatch v2 batches (a Kafka producer's, uncompressed
   * or in any of Kafka's codecs) as sent at the partition's log end, all or none, after checking each
   * whole; only base offsets are rewritten (and, on LogAppendTime topics,
   * timestamp type and max timestamp). Returns where the first went.
   */
  appendBatches(topic: string, partition: number, batches: readonly Buffer[]): AppendedBatch;
  /**
   * The stored batches holding offsets >= `fromOffset` (the first may start
   * before it), whole, up to about `maxBytes` (at least one when there is
   * one), none starting at or after `endOffset` (default the log end; the
   * last stable offset for a read_committed fetch). Transaction markers and
   * aborted batches included: Kafka clients filter them. `fromOffset` must
   * lie in [log start, log end].
   */
  readBatches(topic: string, partition: number, fromOffset: number, maxBytes: number, endOffset?: number): Buffer[];
  /** The aborted transactions with records in [fromOffset, toOffset), for a read_committed fetch. */
  abortedTransactions(topic: string, partition: number, fromOffset: number, toOffset: number): AbortedTransaction[];
  /** Kafka's producer ids and transaction coordinator. */
  readonly transactions: TransactionCoordinator;
  /** Calls `listener` after every commit that appended to a partition; returns the unsubscribe. */
  onAppend(listener: AppendListener): () => void;
  /** A buffer staging records for `topic`, for `commitTransaction`. */
  createAppendBuffer(topic: string): AppendBuffer;
  /**
   * Records from `fromOffset` (inclusive; may fall inside a batch or a
   * compaction gap), read committed: never past `latestOffset`, without
   * transaction markers nor the records of aborted transactions.
   */
  read(topic: string, partition: number, fromOffset: number, limits?: ReadLimits): ConsumedRecord[];
  /** Like `read`, also telling where to continue. */
  fetch(topic: string, partition: number, fromOffset: number, limits?: ReadLimits): FetchResult;
  earliestOffset(topic: string, partition: number): number;
  /**
   * The end of what readers read: the log end, or the first offset of the
   * earliest transaction still open in the partition (Kafka's last stable offset).
   */
  latestOffset(topic: string, partition: number): number;
  /** The offset the next append gets (Kafka's log end offset, the high watermark). */
  logEndOffset(topic: string, partition: number): number;
  /** The first offset whose timestamp is >= `timestamp`, or null when there is none. */
  offsetForTimestamp(topic: string, partition: number, timestamp: number): number | null;
  /**
   * Kafka's DeleteRecords: moves the partition's log start offset up to
   * `beforeOffset` (an offset up to the log end; one at or below the log start
   * changes nothing), deleting the stored batches that lie wholly before it.
   * Returns the log start offset after the call.
   */
  deleteRecords(topic: string, partition: number, beforeOffset: number): number;

  commitOffsets(group: string, offsets: readonly TopicPartitionOffset[]): void;
  committedOffset(group: string, topic: string, partition: number): number | null;
  committedOffsets(group: string): TopicPartitionOffset[];
  listGroups(): string[];
  deleteGroup(group: string): void;

  commitTransaction(request: TransactionRequest): void;

  /** Applies retention and compaction to every topic now. */
  runMaintenance(now?: number): MaintenanceReport;
  /** Runs maintenance every `intervalMs` on an unref'd timer until stopped or closed. */
  startMaintenance(intervalMs: number): void;
  stopMaintenance(): void;

  close(): void;
}
