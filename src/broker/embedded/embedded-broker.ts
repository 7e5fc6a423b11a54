/**
 * The embedded log: every topic partition of a data directory in one SQLite
 * file (WAL), stored as Kafka RecordBatch v2 rows. One process owns a data
 * directory at a time (an OS lock, see open-data-dir.ts, which also checks the
 * directory's identity and WAL before opening); all methods are synchronous.
 *
 * The database handle is public (`database`) so that src/state can keep its
 * tables in the same file and write them inside `commitTransaction` (its
 * `participants`).
 */
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../../common/logger.js';
import type {
  AppendBuffer,
  AppendedBatch,
  AppendedRecord,
  AppendListener,
  Broker,
  ConsumedRecord,
  CreateTopicOptions,
  FetchResult,
  MaintenanceReport,
  ProducerRecord,
  ReadLimits,
  StorageStatus,
  TopicDescription,
  TransactionRequest,
} from '../broker.js';
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { BrokerError } from '../broker-error.js';
import type { AbortedTransaction, ProducerIdAndEpoch, TopicPartition, TransactionCoordinator } from '../transactions.js';
import {
  DEFAULT_TOPIC_CONFIG,
  policyCompacts,
  policyDeletes,
  resolveTopicConfig,
  validateTopicName,
  type TopicConfig,
} from '../topic-config.js';
import { appendBatch } from './append-batch.js';
import { appendRecords, commitPositions, EmbeddedAppendBuffer, type AppendJournal } from './append-records.js';
import { PartitionCompaction, UNBOUNDED, type StepBudget } from './compact-partition.js';
import { deleteRecordsBefore } from './delete-records.js';
import { storeDatabaseId, writeIdentityFile } from './data-dir-identity.js';
import type { DataDirLock } from './data-dir-lock.js';
import type { FlushPolicy } from './embedded-schema.js';
import { prepareBrokerStatements, type BrokerStatements } from './embedded-statements.js';
import { enforceRetention } from './enforce-retention.js';
import type { PartitionLog, TopicLog } from './partition-log.js';
import { openDataDir } from './open-data-dir.js';
import { fetchFromPartition, findOffsetForTimestamp, readStoredBatches } from './read-partition.js';
import { recoverPartition } from './recover-partition.js';
import {
  abortTimedOut,
  addOffsets,
  addPartitions,
  commitTxnOffsets,
  endTransaction,
  initProducerId,
  type CoordinatorContext,
} from './transaction-coordinator.js';
import { abortedTransactionsIn, countOpenTransactions, lastStableOffset } from './transaction-index.js';
import { isStorageFailure, StorageHealth } from './storage-health.js';
import { describeRecoveryReport, isCleanRecovery, type DroppedBatch, type OffsetReset, type RecoveryReport } from './recovery-report.js';

/**
 * The most partitions one topic may have. Each partition is a row and a
 * cursor in the log, created in one transaction: an absurd count (a typo,
 * PARTITIONS=2147483647) would hold the server for minutes and fill memory.
 * Kafka's controller refuses more than this many partitions per request.
 */
export const MAX_TOPIC_PARTITIONS = 10_000;

export type { FlushPolicy } from './embedded-schema.js';

export interface EmbeddedBrokerOptions {
  /** Created if missing; holds the one database file. */
  readonly dataDir: string;
  /** `os` (default): survives kill -9. `always`: fsync on every commit, survives power loss. */
  readonly flush?: FlushPolicy;
  /** The database file name inside dataDir (default `ksqlite.db`). */
  readonly fileName?: string;
  /** Defaults for topics created without explicit configs. */
  readonly defaultTopicConfig?: Partial<TopicConfig>;
  /** The wall clock (epoch ms); tests may fix it. */
  readonly clock?: () => number;
  /**
   * Open even when the write-ahead log holds committed transactions SQLite cannot read
   * (they are lost; the damage is reported). Without it such a data directory is refused.
   */
  readonly acceptDataLoss?: boolean;
  /** Start with an empty log in a used data directory whose database is missing or empty (refused otherwise). */
  readonly startFresh?: boolean;
  /** While the storage refuses writes (disk full): how often that is logged and a write is tried (default 10 s). */
  readonly storageProbeIntervalMs?: number;
}

const log = createLogger('broker');

/** Kafka's `producer.id.expiration.ms` is a day, `transactional.id.expiration.ms` a week: idle producer state goes after the longer. */
const PRODUCER_STATE_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;

/** How long one step of the maintenance timer's compactions may hold the event loop (a batch more at most). */
const MAINTENANCE_STEP_MS = 5;

/** A step budget spent `ms` after it is made. */
function timeBudget(ms: number): StepBudget {
  const until = performance.now() + ms;
  return () => performance.now() >= until;
}

function addCompaction(report: { batchesDeleted: number; batchesRewritten: number; recordsRemoved: number }, compaction: PartitionCompaction): void {
  report.batchesDeleted += compaction.outcome.batchesDeleted;
  report.batchesRewritten += compaction.outcome.batchesRewritten;
  report.recordsRemoved += compaction.outcome.recordsRemoved;
}

/** Database files open in this process: a second broker on the same file would disagree with the first. */
const openPaths = new Set<string>();

function wrapStorageError(error: unknown): unknown {
  if (error instanceof Database.SqliteError) return new BrokerError('STORAGE', `The log's storage failed: ${error.message}`, error);
  return error;
}

export function openEmbeddedBroker(options: EmbeddedBrokerOptions): EmbeddedBroker {
  return new EmbeddedBroker(options);
}

export class EmbeddedBroker implements Broker {
  /** The shared SQLite connection (for src/state's own tables). */
  readonly database: Database.Database;
  readonly path: string;
  /** The data directory's identity (also in its identity file and the database). */
  readonly dataDirId: string;
  private readonly lock: DataDirLock;
  private readonly statements: BrokerStatements;
  private readonly topics = new Map<string, TopicLog>();
  private readonly clock: () => number;
  private readonly defaultConfig: TopicConfig;
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  /** Undo entries (partition, previous log end) for in-memory state of open transactions. */
  private readonly journal: AppendJournal = [];
  /** What opening this data directory had to drop or reset because of damage (empty lists when it was sound). */
  readonly recoveryReport: RecoveryReport;
  private depth = 0;
  private readonly appendListeners = new Set<AppendListener>();
  private timer: NodeJS.Timeout | undefined;
  /** The maintenance timer's pass under way, if any. */
  private pass: Promise<void> | undefined;
  private closed = false;
  readonly transactions: TransactionCoordinator;
  private readonly health: StorageHealth;

  constructor(options: EmbeddedBrokerOptions) {
    this.clock = options.clock ?? Date.now;
    this.defaultConfig = resolveTopicConfig(options.defaultTopicConfig ?? {}, DEFAULT_TOPIC_CONFIG);
    this.path = resolve(join(options.dataDir, options.fileName ?? 'ksqlite.db'));
    if (openPaths.has(this.path)) throw new BrokerError('STORAGE', `The log at ${this.path} is already open in this process.`);
    const opened = openDataDir({
      dataDir: resolve(options.dataDir),
      path: this.path,
      flush: options.flush ?? 'os',
      acceptDataLoss: options.acceptDataLoss === true,
      startFresh: options.startFresh === true,
      now: this.clock(),
    });
    this.database = opened.database;
    this.lock = opened.lock;
    this.dataDirId = opened.identity.id;
    try {
      this.statements = prepareBrokerStatements(this.database);
      this.runInTransaction = this.database.transaction((fn: () => unknown) => fn());
      this.health = new StorageHealth(options.storageProbeIntervalMs ?? 10_000, () => this.transact(() => {
        this.statements.putStorageProbe.run();
        this.statements.deleteStorageProbe.run();
      }));
      const dropped: DroppedBatch[] = [];
      const offsetResets: OffsetReset[] = [];
      this.transactions = this.createCoordinator();
      this.transact(() => {
        if (opened.identity.storeInDatabase) storeDatabaseId(this.database, opened.identity.id);
        this.loadAndRecover(dropped, offsetResets);
        // A transaction open when the last process stopped can never complete: abort it, fencing its producer.
        const aborted = abortTimedOut({ ...this.coordinatorContext(), now: Infinity });
        if (aborted.length > 0) log.warn({ transactionalIds: aborted }, 'aborted the transactions left open by the last run');
      });
      // Written after the commit that stored the id: the file never names an id its database lacks
      // (with flush 'always' not even after a power loss; with 'os' the commit survives kill -9).
      if (opened.identity.writeFile) writeIdentityFile(opened.identityFile, opened.identity.id);
      this.recoveryReport = { wal: opened.wal, droppedBatches: dropped, offsetResets };
    } catch (error) {
      this.database.close();
      this.lock.release();
      throw error instanceof BrokerError ? error : new BrokerError('STORAGE', `Cannot open the log at ${this.path}: ${(error as Error).message}`, error);
    }
    openPaths.add(this.path);
    if (opened.identity.note !== null) log.warn({ dataDir: options.dataDir, dataDirId: this.dataDirId }, opened.identity.note);
    if (opened.orphanedWal !== null) {
      log.warn({ dataDir: options.dataDir }, `a write-ahead log without its database was moved aside to ${opened.orphanedWal}`);
    }
    if (!isCleanRecovery(this.recoveryReport)) {
      log.error({ recovery: this.recoveryReport }, describeRecoveryReport(this.recoveryReport, this.path).join('\n'));
    }
  }

  private loadAndRecover(dropped: DroppedBatch[], offsetResets: OffsetReset[]): void {
    const partitionsByTopic = new Map<string, PartitionLog[]>();
    for (const row of this.statements.allPartitions.all()) {
      const list = partitionsByTopic.get(row.topic) ?? [];
      list.push({
        id: row.id,
        topic: row.topic,
        partition: row.partition,
        logStart: row.log_start,
        logEnd: row.log_end,
        cleanEnd: -1,
        nextTombstoneExpiry: -Infinity,
        openTransactions: 0,
      });
      partitionsByTopic.set(row.topic, list);
    }
    for (const row of this.statements.allTopics.all()) {
      const partitions = (partitionsByTopic.get(row.name) ?? []).sort((a, b) => a.partition - b.partition);
      if (partitions.length !== row.partitions || partitions.some((p, i) => p.partition !== i)) {
        throw new BrokerError('CORRUPT_DATA', `Topic '${row.name}' should have ${row.partitions} partitions but storage lists ${partitions.length}.`);
      }
      for (const partition of partitions) {
        countOpenTransactions(this.statements, partition);
        const outcome = recoverPartition(this.statements, partition, this.clock());
        dropped.push(...outcome.dropped);
        offsetResets.push(...outcome.offsetResets);
      }
      const config = resolveTopicConfig(JSON.parse(row.config) as Partial<TopicConfig>, DEFAULT_TOPIC_CONFIG);
      this.topics.set(row.name, { name: row.name, config, partitions, nextStickyPartition: 0 });
    }
  }

  /**
   * Runs `fn` in one SQLite transaction (a savepoint when nested). On a throw
   * everything is rolled back, in storage and in memory.
   */
  private transact<T>(fn: () => T): T {
    if (this.depth === 0 && this.database.inTransaction) {
      throw new BrokerError('STORAGE', 'The log cannot write inside a transaction it did not open: use commitTransaction.');
    }
    const mark = this.journal.length;
    this.depth++;
    let result: T;
    let moved: PartitionLog[] | undefined;
    try {
      result = this.runInTransaction(fn) as T;
      if (this.depth === 1 && this.journal.length > 0 && this.appendListeners.size > 0) moved = this.journal.map(([partitionLog]) => partitionLog);
    } catch (error) {
      for (let i = this.journal.length - 1; i >= mark; i--) {
        const [partitionLog, logEnd] = this.journal[i]!;
        partitionLog.logEnd = logEnd;
      }
      // Storage rolled back (to the savepoint when nested): count what it holds again.
      for (let i = mark; i < this.journal.length; i++) countOpenTransactions(this.statements, this.journal[i]![0]);
      this.journal.length = mark;
      if (this.depth === 1 && isStorageFailure(error)) this.health.failed(error);
      throw wrapStorageError(error);
    } finally {
      this.depth--;
      if (this.depth === 0) this.journal.length = 0;
    }
    if (this.depth === 0) this.health.succeeded();
    if (moved !== undefined) this.notifyAppends(moved);
    return result;
  }

  private notifyAppends(moved: readonly PartitionLog[]): void {
    for (const partitionLog of new Set(moved)) {
      for (const listener of this.appendListeners) {
        try {
          listener(partitionLog.topic, partitionLog.partition);
        } catch (error) {
          log.error({ err: error }, 'an append listener failed');
        }
      }
    }
  }

  storageStatus(): StorageStatus {
    return this.health.status;
  }

  onStorageRecovered(listener: () => void): () => void {
    return this.health.onRecovered(listener);
  }

  onAppend(listener: AppendListener): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  private assertOpen(): void {
    if (this.closed) throw new BrokerError('CLOSED', 'The log is closed.');
  }

  private topicLog(name: string): TopicLog {
    this.assertOpen();
    const topic = this.topics.get(name);
    if (topic === undefined) throw new BrokerError('UNKNOWN_TOPIC', `Topic '${name}' does not exist.`);
    return topic;
  }

  private partitionLog(topic: string, partition: number): PartitionLog {
    const topicLog = this.topicLog(topic);
    const partitionLog = Number.isInteger(partition) ? topicLog.partitions[partition] : undefined;
    if (partitionLog === undefined) {
      throw new BrokerError('INVALID_PARTITION', `Topic '${topic}' has no partition ${partition}: it has partitions 0 to ${topicLog.partitions.length - 1}.`);
    }
    return partitionLog;
  }

  // ---- topics ----

  createTopic(name: string, options: CreateTopicOptions): TopicDescription {
    this.assertOpen();
    validateTopicName(name);
    const existing = this.topics.get(name);
    if (existing !== undefined) {
      if (options.ifNotExists === true) return this.describeTopic(name);
      throw new BrokerError('TOPIC_EXISTS', `Topic '${name}' already exists.`);
    }
    const count = options.partitions;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new BrokerError('INVALID_PARTITION', `Topic '${name}' needs a whole number of partitions of at least 1, not ${count}.`);
    }
    if (count > MAX_TOPIC_PARTITIONS) {
      throw new BrokerError('INVALID_PARTITION', `Topic '${name}' cannot have ${count} partitions: the most a topic can have is ${MAX_TOPIC_PARTITIONS}.`);
    }
    const config = resolveTopicConfig(options.config ?? {}, this.defaultConfig);
    const partitions = this.transact(() => {
      this.statements.insertTopic.run(name, count, JSON.stringify(config), this.clock());
      const created: PartitionLog[] = [];
      for (let p = 0; p < count; p++) {
        const id = Number(this.statements.insertPartition.run(name, p).lastInsertRowid);
        created.push({ id, topic: name, partition: p, logStart: 0, logEnd: 0, cleanEnd: -1, nextTombstoneExpiry: -Infinity, openTransactions: 0 });
      }
      return created;
    });
    this.topics.set(name, { name, config, partitions, nextStickyPartition: 0 });
    return this.describeTopic(name);
  }

  createPartitions(name: string, count: number): TopicDescription {
    const topic = this.topicLog(name);
    const current = topic.partitions.length;
    if (!Number.isSafeInteger(count) || count <= current) {
      throw new BrokerError('INVALID_PARTITION', `Topic '${name}' has ${current} partitions: it can only grow to more, not to ${count}.`);
    }
    if (count > MAX_TOPIC_PARTITIONS) {
      throw new BrokerError('INVALID_PARTITION', `Topic '${name}' cannot have ${count} partitions: the most a topic can have is ${MAX_TOPIC_PARTITIONS}.`);
    }
    const added = this.transact(() => {
      this.statements.updateTopicPartitions.run(count, name);
      const created: PartitionLog[] = [];
      for (let p = current; p < count; p++) {
        const id = Number(this.statements.insertPartition.run(name, p).lastInsertRowid);
        created.push({ id, topic: name, partition: p, logStart: 0, logEnd: 0, cleanEnd: -1, nextTombstoneExpiry: -Infinity, openTransactions: 0 });
      }
      return created;
    });
    topic.partitions = [...topic.partitions, ...added];
    return this.describeTopic(name);
  }

  deleteTopic(name: string, options: { readonly ifExists?: boolean } = {}): boolean {
    this.assertOpen();
    const topic = this.topics.get(name);
    if (topic === undefined) {
      if (options.ifExists === true) return false;
      throw new BrokerError('UNKNOWN_TOPIC', `Topic '${name}' does not exist.`);
    }
    this.transact(() => {
      for (const partition of topic.partitions) {
        this.statements.deletePartitionBatches.run(partition.id);
        this.statements.deletePartitionProducerState.run(partition.id);
        this.statements.deletePartitionTxnIndex.run(partition.id);
      }
      this.statements.deleteTopicTxnPartitions.run(name);
      this.statements.deleteTopicTxnOffsets.run(name);
      this.statements.deleteTopicPartitions.run(name);
      this.statements.deleteTopic.run(name);
      this.statements.deleteTopicGroupOffsets.run(name);
    });
    this.topics.delete(name);
    return true;
  }

  hasTopic(name: string): boolean {
    this.assertOpen();
    return this.topics.has(name);
  }

  describeTopic(name: string): TopicDescription {
    const topic = this.topicLog(name);
    return {
      name,
      partitions: topic.partitions.map((p) => ({ partition: p.partition, logStartOffset: p.logStart, logEndOffset: p.logEnd })),
      config: topic.config,
    };
  }

  listTopics(): string[] {
    this.assertOpen();
    return [...this.topics.keys()].sort();
  }

  alterTopicConfig(name: string, config: Partial<TopicConfig>): TopicDescription {
    const topic = this.topicLog(name);
    const merged = resolveTopicConfig(config, topic.config);
    this.transact(() => this.statements.updateTopicConfig.run(JSON.stringify(merged), name));
    topic.config = merged;
    for (const partition of topic.partitions) partition.cleanEnd = -1;
    return this.describeTopic(name);
  }

  // ---- appends ----

  append(topic: string, records: readonly ProducerRecord[]): AppendedRecord[] {
    const topicLog = this.topicLog(topic);
    if (records.length === 0) return [];
    return this.transact(() => appendRecords(this.statements, this.journal, topicLog, records, this.clock()));
  }

  appendBatches(topic: string, partition: number, batches: readonly Buffer[]): AppendedBatch {
    const partitionLog = this.partitionLog(topic, partition);
    const config = this.topicLog(topic).config;
    if (batches.length === 0) throw new BrokerError('INVALID_RECORD', `No record batch to append to ${topic}-${partition}.`);
    return this.transact(() => {
      const now = this.clock();
      const first = appendBatch(this.statements, this.journal, partitionLog, config, batches[0]!, now);
      for (let i = 1; i < batches.length; i++) appendBatch(this.statements, this.journal, partitionLog, config, batches[i]!, now);
      return first;
    });
  }

  // ---- reads ----

  readBatches(topic: string, partition: number, fromOffset: number, maxBytes: number, endOffset?: number): Buffer[] {
    return readStoredBatches(this.statements, this.partitionLog(topic, partition), fromOffset, maxBytes, endOffset);
  }

  abortedTransactions(topic: string, partition: number, fromOffset: number, toOffset: number): AbortedTransaction[] {
    return abortedTransactionsIn(this.statements, this.partitionLog(topic, partition), fromOffset, toOffset);
  }

  read(topic: string, partition: number, fromOffset: number, limits: ReadLimits = {}): ConsumedRecord[] {
    return this.fetch(topic, partition, fromOffset, limits).records;
  }

  fetch(topic: string, partition: number, fromOffset: number, limits: ReadLimits = {}): FetchResult {
    // Cursors only for reads of committed batches: a batch read inside a write transaction may yet be rolled back.
    return fetchFromPartition(this.statements, this.partitionLog(topic, partition), fromOffset, limits, !this.database.inTransaction);
  }

  earliestOffset(topic: string, partition: number): number {
    return this.partitionLog(topic, partition).logStart;
  }

  latestOffset(topic: string, partition: number): number {
    return lastStableOffset(this.statements, this.partitionLog(topic, partition));
  }

  logEndOffset(topic: string, partition: number): number {
    return this.partitionLog(topic, partition).logEnd;
  }

  offsetForTimestamp(topic: string, partition: number, timestamp: number): number | null {
    return findOffsetForTimestamp(this.statements, this.partitionLog(topic, partition), timestamp);
  }

  deleteRecords(topic: string, partition: number, beforeOffset: number): number {
    const partitionLog = this.partitionLog(topic, partition);
    return this.transact(() => deleteRecordsBefore(this.statements, partitionLog, beforeOffset));
  }

  // ---- consumer groups ----

  commitOffsets(group: string, offsets: readonly TopicPartitionOffset[]): void {
    this.assertOpen();
    this.transact(() => this.writeOffsets(group, offsets));
  }

  private writeOffsets(group: string, offsets: readonly TopicPartitionOffset[]): void {
    if (group.length === 0) throw new BrokerError('INVALID_RECORD', 'A consumer group needs a non-empty name.');
    const now = this.clock();
    for (const { topic, partition, offset } of offsets) {
      this.partitionLog(topic, partition);
      if (!Number.isSafeInteger(offset) || offset < 0) {
        throw new BrokerError('OFFSET_OUT_OF_RANGE', `Cannot commit offset ${offset} for ${topic}-${partition}: offsets are whole numbers >= 0.`);
      }
      this.statements.upsertGroupOffset.run(group, topic, partition, offset, now);
    }
  }

  committedOffset(group: string, topic: string, partition: number): number | null {
    this.partitionLog(topic, partition);
    return this.statements.groupOffset.get(group, topic, partition) ?? null;
  }

  committedOffsets(group: string): TopicPartitionOffset[] {
    this.assertOpen();
    return this.statements.groupOffsets.all(group).map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset }));
  }

  listGroups(): string[] {
    this.assertOpen();
    return this.statements.allGroups.all();
  }

  deleteGroup(group: string): void {
    this.assertOpen();
    this.transact(() => this.statements.deleteGroup.run(group));
  }

  // ---- the atomic commit ----

  createAppendBuffer(topic: string): AppendBuffer {
    return new EmbeddedAppendBuffer(this.topicLog(topic), this.clock);
  }

  commitTransaction(request: TransactionRequest): void {
    this.assertOpen();
    const buffers = (request.appends ?? []).map((buffer) => {
      if (!(buffer instanceof EmbeddedAppendBuffer)) throw new BrokerError('INVALID_RECORD', 'An append buffer must come from the broker that commits it.');
      return buffer;
    });
    this.transact(() => {
      const now = this.clock();
      for (const buffer of buffers) {
        // The buffer's topic may have been deleted (and even created again) since the buffer was made.
        if (this.topicLog(buffer.topic) !== buffer.log) throw new BrokerError('UNKNOWN_TOPIC', `Topic '${buffer.topic}' was deleted after records were staged for it.`);
        if (buffer.size > 0) buffer.write(this.statements, this.journal, now);
      }
      if (request.offsets !== undefined) this.writeOffsets(request.offsets.group, request.offsets.offsets);
      if (request.participants !== undefined && request.participants.length > 0) {
        const positions = commitPositions(buffers);
        for (const participant of request.participants) participant.commit(positions);
      }
    });
    for (const buffer of buffers) buffer.clear();
  }

  // ---- producers and transactions ----

  private coordinatorContext(): CoordinatorContext {
    return {
      statements: this.statements,
      journal: this.journal,
      now: this.clock(),
      partitionLog: (topic, partition) => this.partitionLog(topic, partition),
      hasTopic: (topic) => this.topics.has(topic),
      writeOffsets: (group, offsets) => this.writeOffsets(group, offsets),
    };
  }

  private createCoordinator(): TransactionCoordinator {
    const run = <T>(fn: (ctx: CoordinatorContext) => T): T => {
      this.assertOpen();
      return this.transact(() => fn(this.coordinatorContext()));
    };
    return {
      initProducerId: (id: string | null, timeoutMs: number, current: ProducerIdAndEpoch | null) => run((ctx) => initProducerId(ctx, id, timeoutMs, current)),
      addPartitions: (id: string, producer: ProducerIdAndEpoch, partitions: readonly TopicPartition[]) => run((ctx) => addPartitions(ctx, id, producer, partitions)),
      addOffsets: (id: string, producer: ProducerIdAndEpoch) => run((ctx) => addOffsets(ctx, id, producer)),
      commitOffsets: (id: string, producer: ProducerIdAndEpoch, group: string, offsets: readonly TopicPartitionOffset[]) =>
        run((ctx) => commitTxnOffsets(ctx, id, producer, group, offsets)),
      hasPendingOffset: (group: string, topic: string, partition: number) => {
        this.assertOpen();
        return this.statements.hasTxnOffset.get(group, topic, partition) !== undefined;
      },
      endTransaction: (id: string, producer: ProducerIdAndEpoch, commit: boolean) => run((ctx) => endTransaction(ctx, id, producer, commit)),
      abortTimedOut: (now?: number) => run((ctx) => abortTimedOut(now === undefined ? ctx : { ...ctx, now })),
    };
  }

  // ---- retention and compaction ----

  runMaintenance(now: number = this.clock()): MaintenanceReport {
    const pass = this.maintenancePass(() => UNBOUNDED, now);
    let step = pass.next();
    while (step.done !== true) step = pass.next();
    return step.value;
  }

  /**
   * runMaintenance, in steps: each compaction step ends once its budget says
   * so, and the next waits for the event loop's next turn, so requests and
   * tasks run between steps (the first compaction of a large changelog
   * would hold the loop for seconds). `budget` gives each step its budget.
   */
  async runMaintenanceInSteps(budget: () => StepBudget, now: number = this.clock()): Promise<MaintenanceReport> {
    const pass = this.maintenancePass(budget, now);
    let step = pass.next();
    while (step.done !== true) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      step = pass.next();
    }
    return step.value;
  }

  /**
   * One maintenance pass: retention, then compaction, partition by
   * partition; it yields after each compaction step its budget ended early,
   * so a caller runs it to the end at once or a step per turn. Between
   * steps the log may change: a compaction whose partition goes, or whose
   * topic stops compacting, is left; so is the pass when the log closes.
   */
  private *maintenancePass(budget: () => StepBudget, now: number): Generator<void, MaintenanceReport> {
    this.assertOpen();
    const report = { batchesDeleted: 0, batchesRewritten: 0, recordsRemoved: 0 };
    this.transact(() => this.statements.expireProducerState.run(now - PRODUCER_STATE_EXPIRY_MS));
    const current = (topic: TopicLog, partitionLog: PartitionLog): boolean =>
      !this.closed && this.topics.get(topic.name) === topic && topic.partitions.includes(partitionLog);
    for (const topic of [...this.topics.values()]) {
      for (const partitionLog of topic.partitions) {
        if (!current(topic, partitionLog)) continue;
        const compaction = this.maintainPartition(topic, partitionLog, now, report);
        if (compaction === undefined) continue;
        while (current(topic, partitionLog) && policyCompacts(topic.config) && !this.transact(() => compaction.step(budget()))) yield;
        addCompaction(report, compaction);
      }
      if (this.closed) break;
    }
    return report;
  }

  /** Applies retention to one partition; its compaction, to run, when its topic compacts. */
  private maintainPartition(topic: TopicLog, partitionLog: PartitionLog, now: number, report: { batchesDeleted: number }): PartitionCompaction | undefined {
    this.transact(() => {
      if (policyDeletes(topic.config)) report.batchesDeleted += enforceRetention(this.statements, partitionLog, topic.config, now);
      // Aborted transactions wholly before the log start have nothing left to hide.
      this.statements.deleteAbortedBefore.run(partitionLog.id, partitionLog.logStart);
    });
    return policyCompacts(topic.config) ? new PartitionCompaction(this.statements, partitionLog, topic.config, now) : undefined;
  }

  startMaintenance(intervalMs: number): void {
    this.assertOpen();
    this.stopMaintenance();
    this.timer = setInterval(() => {
      // A pass still under way (a large compaction) is not started again.
      if (this.pass !== undefined) return;
      this.pass = this.runMaintenanceInSteps(() => timeBudget(MAINTENANCE_STEP_MS)).then(
        (report) => {
          if (report.batchesDeleted + report.batchesRewritten > 0) log.debug(report, 'log maintenance');
        },
        (error: unknown) => {
          // A full disk is said once per interval by the storage health, not at every pass.
          if (!this.closed && this.health.status.healthy) log.error({ err: error }, 'log maintenance failed');
        },
      ).finally(() => (this.pass = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  stopMaintenance(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    if (this.closed) return;
    this.stopMaintenance();
    this.health.stop();
    this.closed = true;
    openPaths.delete(this.path);
    this.database.close();
    this.lock.release();
  }
}
