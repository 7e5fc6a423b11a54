/**
 * A transient query: the operators of a query run over every partition of
 * its source, delivering result rows to a callback instead of a topic. It
 * keeps its positions in memory and commits nothing (only processing-log
 * entries are written). The scheduler polls its partition readers alongside
 * persistent tasks, a bounded batch at a time; a paused query (its client
 * reads too slowly) reads nothing until resumed.
 *
 * A push query runs until its LIMIT, `close()` or its consumer's end; a scan
 * (a pull query on a stream) stops at the end offsets taken when it started.
 * A push query whose plan needs stores and internal topics (a join) runs the
 * tasks of a whole topology instead of partition readers (`tasks`); it pauses
 * and ends the same way.
 * An error its operators do not route to the processing log (a bug, a
 * corrupt batch) ends it as failed, and its client gets the error.
 *
 * It reads through the same task log as persistent tasks (task-log.ts): a
 * fetch that answers later leaves its reader waiting in the scheduler, and
 * the records are processed when they arrive.
 */
import type { AppendBuffer, FetchResult, ProducerRecord } from '../broker/broker.js';
import type { TaskLog } from '../broker/task-log.js';
import { andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { Row } from '../expr/row.js';
import type { SqlType } from '../schema/sql-type.js';
import { toProducerRecord, type ProcessingLogEntry } from './processing-log.js';
import type { PollResult, SchedulableTask } from './scheduler.js';
import type { RecordProcessor, TaskOutput } from './task.js';

export type TransientEnd =
  | { readonly kind: 'limit' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly error: unknown };

/** A task of a transient query's topology, as the query schedules and ends it. */
export interface TransientTask extends SchedulableTask {
  close(): void;
}

/**
 * The common options, and where rows come from: one source's partitions, or
 * the tasks of a topology (built later when they wait for the log, such as
 * for topics a remote log creates; a failure to build them fails the query).
 */
export type TransientQueryOptions = CommonOptions & (PartitionOptions | { readonly tasks: (query: TransientQuery) => MaybeAsync<readonly TransientTask[]> });

interface CommonOptions {
  readonly id: string;
  /** The SELECT it runs (SHOW QUERIES). */
  readonly statementText: string;
  /** The source it reads and the columns it answers with (SHOW QUERIES EXTENDED). */
  readonly sourceName?: string;
  readonly columns?: readonly { readonly name: string; readonly type: SqlType }[];
  readonly limit?: number;
  readonly onRow: (row: Row) => void;
  /** Called once, when the query ends for any reason. */
  readonly onEnd: (end: TransientEnd) => void;
}

interface PartitionOptions {
  readonly log: TaskLog;
  readonly topic: string;
  /** How many partitions `topic` has: a reader each. */
  readonly partitions: number;
  /** Where each partition starts reading (a remote log answers later: the reader reads once it knows). */
  readonly startOffset: (partition: number) => MaybeAsync<number>;
  /** Scan mode: where each partition stops (exclusive); absent for a push query. */
  readonly endOffsets?: readonly MaybeAsync<number>[];
  /** Records one partition reader processes per turn (default 500). */
  readonly batchSize?: number;
  readonly processingLogTopic: string;
  readonly buildProcessor: (output: TaskOutput, onRow: (row: Row) => void) => RecordProcessor;
}

export interface TaskHost {
  add(task: SchedulableTask): void;
  remove(task: SchedulableTask): void;
  wake(): void;
}

export class TransientQuery {
  readonly id: string;
  readonly statementText: string;
  readonly sourceName: string | undefined;
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  /** A scan (pull query) ends at the offsets it started with; a push query runs on. */
  readonly isScan: boolean;
  private taskReaders: readonly TransientTask[];
  private readonly partitionReaders: readonly PartitionReader[];
  private readonly options: TransientQueryOptions;
  private delivered = 0;
  private paused = false;
  private ended = false;
  private host: TaskHost | undefined;

  constructor(options: TransientQueryOptions) {
    this.options = options;
    this.id = options.id;
    this.statementText = options.statementText;
    this.sourceName = options.sourceName;
    this.columns = options.columns ?? [];
    if ('tasks' in options) {
      this.isScan = false;
      this.partitionReaders = [];
      this.taskReaders = [];
      const tasks = options.tasks(this);
      if (isPromise(tasks)) tasks.then((built) => this.addTasks(built), (error: unknown) => this.fail(error));
      else this.addTasks(tasks);
      return;
    }
    this.isScan = options.endOffsets !== undefined;
    const readers: PartitionReader[] = [];
    for (let p = 0; p < options.partitions; p++) readers.push(new PartitionReader(this, options, p, (row) => this.deliver(row)));
    this.taskReaders = this.partitionReaders = readers;
  }

  /** What the scheduler polls: the partition readers, or the topology's tasks once built. */
  get readers(): readonly TransientTask[] {
    return this.taskReaders;
  }

  private addTasks(tasks: readonly TransientTask[]): void {
    const gated = tasks.map((task) => this.gated(task));
    if (this.ended) {
      for (const task of gated) task.close();
      return;
    }
    this.taskReaders = gated;
    if (this.host !== undefined) for (const task of gated) this.host.add(task);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Rows handed to the consumer so far. */
  get rowCount(): number {
    return this.delivered;
  }

  /** Hands the partition readers to the scheduler. */
  start(host: TaskHost): void {
    this.host = host;
    if (this.options.limit === 0) {
      this.finish({ kind: 'limit' });
      return;
    }
    for (const r of this.readers) host.add(r);
  }

  /** Stops reading until `resume` (backpressure from a slow consumer). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.host?.wake();
  }

  /** Ends the query (client gone, /close-query, server stop). */
  close(): void {
    this.finish({ kind: 'closed' });
  }

  /** Whether readers should poll now. */
  get canRead(): boolean {
    return !this.ended && !this.paused;
  }

  /** Called by a reader that reached its end offset. */
  readerDone(): void {
    if (this.partitionReaders.every((r) => r.isDone)) this.finish({ kind: 'complete' });
  }

  /** Delivers a row of the query's last operator (a topology task's, or a partition reader's). */
  deliver(row: Row): void {
    if (this.ended) return;
    this.delivered++;
    this.options.onRow(row);
    if (this.options.limit !== undefined && this.delivered >= this.options.limit) this.finish({ kind: 'limit' });
  }

  /** A topology task that reads nothing while the query is paused or ended. */
  private gated(task: TransientTask): TransientTask {
    return {
      topic: task.topic,
      partition: task.partition,
      poll: (maxRecords) => (this.canRead ? task.poll(maxRecords) : 0),
      fail: (error) => task.fail(error),
      close: () => task.close(),
    };
  }

  fail(error: unknown): void {
    this.finish({ kind: 'failed', error });
  }

  private finish(end: TransientEnd): void {
    if (this.ended) return;
    this.ended = true;
    for (const r of this.readers) {
      this.host?.remove(r);
      r.close();
    }
    this.options.onEnd(end);
  }
}

/** One partition of a transient query's source, as the scheduler polls it. */
export class PartitionReader implements SchedulableTask, TaskOutput {
  readonly topic: string;
  readonly partition: number;
  private readonly query: TransientQuery;
  private readonly options: CommonOptions & PartitionOptions;
  private readonly processor: RecordProcessor;
  /** Processing-log entries of the current batch, committed after it (best effort). */
  private logEntries: AppendBuffer | undefined;
  private position = 0;
  /** Scan mode: where the partition stops. */
  private end: number | undefined;
  /** While the log has not said where the partition starts (or a scan ends): the wait, and what it failed with. */
  private positioning: Promise<void> | undefined;
  private positionFailure: { readonly error: unknown } | undefined;
  private done = false;

  constructor(query: TransientQuery, options: CommonOptions & PartitionOptions, partition: number, onRow: (row: Row) => void) {
    this.query = query;
    this.options = options;
    this.topic = options.topic;
    this.partition = partition;
    const placed = andThen(options.startOffset(partition), (start) => andThen(options.endOffsets?.[partition], (end) => {
      this.position = start;
      this.end = end;
    }));
    if (isPromise(placed)) {
      this.positioning = placed.then(
        () => {
          this.positioning = undefined;
        },
        (error: unknown) => {
          this.positioning = undefined;
          this.positionFailure = { error };
        },
      );
    }
    this.processor = options.buildProcessor(this, onRow);
  }

  get isDone(): boolean {
    return this.done;
  }

  emit(_topic: string, _record: ProducerRecord): void {
    // A transient query has no sink: rows leave through onRow.
  }

  logError(entry: ProcessingLogEntry): void {
    try {
      (this.logEntries ??= this.options.log.createAppendBuffer(this.options.processingLogTopic)).add(toProducerRecord(entry));
    } catch {
      // The processing log is best effort for transient queries.
    }
  }

  /** Reads and processes a batch; what throws (not routed to the processing log) ends the query through `fail`. */
  poll(maxRecords: number): PollResult {
    if (!this.query.canRead || this.done) return 0;
    if (this.positionFailure !== undefined) throw this.positionFailure.error;
    if (this.positioning !== undefined) return this.positioning.then(() => 0);
    const { log } = this.options;
    const { end } = this;
    const latest = log.latestOffset(this.topic, this.partition);
    // Nothing new: answer without a read (many idle push queries must cost little).
    if (end === undefined && this.position >= latest) return 0;
    let max = Math.min(maxRecords, this.options.batchSize ?? 500);
    if (end !== undefined) max = Math.min(max, end - this.position);
    if (max <= 0) {
      this.markDone();
      return 0;
    }
    const fetched = sharedFetch(log, this.topic, this.partition, this.position, max, latest);
    return isPromise(fetched) ? fetched.then((result) => this.process(result, end)) : this.process(fetched, end);
  }

  /** Processes what a read returned, up to a scan's end. */
  private process({ records, nextOffset }: FetchResult, end: number | undefined): number {
    let read = 0;
    // A read from the log start (records before the position were deleted) may pass a scan's end.
    let count = records.length;
    if (end !== undefined) while (count > 0 && records[count - 1]!.offset >= end) count--;
    try {
      this.position = count < records.length ? end! : nextOffset;
      for (; read < count; read++) {
        if (!this.query.canRead) break;
        this.processor.process(records[read]!);
      }
      if (read < count) this.position = records[read]!.offset;
    } finally {
      this.flushLog();
    }
    if (end !== undefined && this.position >= end) this.markDone();
    return read;
  }

  fail(error: unknown): void {
    this.query.fail(error);
  }

  close(): void {
    this.processor.close?.();
  }

  private markDone(): void {
    if (this.done) return;
    this.done = true;
    this.query.readerDone();
  }

  private flushLog(): void {
    const entries = this.logEntries;
    if (entries === undefined) return;
    this.logEntries = undefined;
    const ignore = (): void => {
      // The processing log is best effort for transient queries.
    };
    try {
      const committed = this.options.log.commit({ appends: [entries] });
      if (isPromise(committed)) committed.catch(ignore);
    } catch {
      ignore();
    }
  }
}

interface RecentFetch {
  readonly start: number;
  readonly max: number;
  readonly latest: number;
  readonly result: MaybeAsync<FetchResult>;
}

/** By log, topic and partition. */
const recentFetches = new WeakMap<TaskLog, Map<string, (RecentFetch | undefined)[]>>();

/**
 * A fetch that push queries at the same place in the same partition share:
 * a thousand subscribers of one stream read each new record once. Records
 * are immutable once appended, so while the log's end has not moved the same
 * read gives the same records; one read per partition is remembered, until
 * the event loop turns.
 */
function sharedFetch(log: TaskLog, topic: string, partition: number, start: number, max: number, latest: number): MaybeAsync<FetchResult> {
  let byTopic = recentFetches.get(log);
  if (byTopic === undefined) recentFetches.set(log, byTopic = new Map());
  let byPartition = byTopic.get(topic);
  if (byPartition === undefined) byTopic.set(topic, byPartition = []);
  const recent = byPartition[partition];
  if (recent !== undefined && recent.start === start && recent.max === max && recent.latest === latest) return recent.result;
  const result = log.fetch(topic, partition, start, { maxRecords: max });
  const entry = { start, max, latest, result };
  byPartition[partition] = entry;
  // Shared within one turn of the scheduler: the records are not held any longer.
  const fetches = byPartition;
  setImmediate(() => {
    if (fetches[partition] === entry) fetches[partition] = undefined;
  }).unref();
  return result;
}
