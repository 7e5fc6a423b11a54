/**
 * A stream task: one source topic-partition of one sub-topology of one
 * query. It reads a batch at its position, pushes every record through its
 * operators synchronously, and ends the batch with ONE atomic commit to the
 * log holding the outputs, the new input offset and the state changes (its
 * stores, as a commit participant). A crash anywhere before the commit
 * leaves nothing behind; after it, everything.
 *
 * The log's batch-boundary calls (where the group stands, fetch, commit,
 * purge) may answer later (task-log.ts): the batch then goes on when they
 * do, and the poll returns a promise the scheduler waits for. On the
 * embedded log they answer at once and a poll allocates no promise.
 *
 * Operators route per-record errors to the processing log themselves and go
 * on. Anything else a poll throws or rejects with (a bug, a store or commit
 * failure, a corrupt batch) discards the uncommitted work and reaches the
 * scheduler, which hands it to `fail`: the task's query stops.
 */
import type { AppendBuffer, CommitParticipant, ConsumedRecord, ProducerRecord } from '../broker/broker.js';
import type { TopicPartitionOffset } from '../broker/topic-partition-offset.js';
import type { TaskLog } from '../broker/task-log.js';
import { andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import { createLogger, type Logger } from '../common/logger.js';
import { isBrokerError } from '../broker/broker-error.js';
import type { QueryStatistics } from './query-statistics.js';
import type { PollResult, SchedulableTask } from './scheduler.js';
import { RecordProcessingFailure } from './record-processing-failure.js';
import { productionError, toProducerRecord, type ProcessingLogEntry } from './processing-log.js';

/** Where operators send what they produce during a batch. */
export interface TaskOutput {
  emit(topic: string, record: ProducerRecord): void;
  logError(entry: ProcessingLogEntry): void;
}

/** The state of a task's operators: committed by the log with the task's commit, discarded by the task when it fails. */
export interface ProcessorState extends CommitParticipant {
  /** Forgets the changes staged since the last successful commit. */
  abort(): void;
  /** Before each commit recording `inputs`: emits what the commit must append for the state (its changelog records). */
  prepareCommit?(inputs: readonly TopicPartitionOffset[]): void;
  /**
   * On a log that restores state, before the first record: brings the
   * stores up to their changelogs' end (a changelog the task reads, up to
   * the task's position there).
   */
  restore?(log: TaskLog, inputPosition: (topic: string) => number): MaybeAsync<void>;
}

/** The operators of one task, as one entry point. */
export interface RecordProcessor {
  process(record: ConsumedRecord): void;
  readonly state?: ProcessorState;
  close?(): void;
}

export interface TaskOptions {
  readonly log: TaskLog;
  /** The consumer group whose committed offsets are this task's position (ksqlDB's application id). */
  readonly group: string;
  /** The query the task belongs to: every log line of the task names it. */
  readonly queryId?: string;
  /** Where each commit adds what the task consumed, produced and sent to the processing log. */
  readonly statistics?: QueryStatistics;
  /** Kafka Streams' task id, `<sub-topology>_<partition>`, named in the error that stops the query. */
  readonly taskId: string;
  /** The topics the task reads (one partition of each): one, or both sides of a join. */
  readonly topics: readonly string[];
  readonly partition: number;
  /** Where the task starts in `topic` when its group has no committed offset there (a remote log answers later). */
  readonly startOffset: (topic: string) => MaybeAsync<number>;
  readonly processingLogTopic: string;
  /** The logger name of the processing-log entries the task writes itself (records the log refuses). */
  readonly logger: string;
  readonly buildProcessor: (output: TaskOutput) => RecordProcessor;
  /** Under a backlog, commit after this many records (default 20,000) ... */
  readonly commitRecords?: number;
  /** ... or this long after the last commit (default 100 ms). A task that caught up commits at once ... */
  readonly commitIntervalMs?: number;
  /**
   * ... unless this is false: then it too waits for `commitIntervalMs` (on a log whose commit costs round trips, a
   * live stream's trickle would otherwise cost a commit per poll).
   */
  readonly commitWhenCaughtUp?: boolean;
  /** processing.guarantee at_least_once: the log may make the outputs durable before the offsets (TransactionRequest). */
  readonly atLeastOnce?: boolean;
  /**
   * Repartition topics among `topics`: after a commit, at most every
   * `intervalMs`, the task deletes their records before its committed offset,
   * as Kafka Streams purges repartition topics (they keep records forever
   * otherwise, so none is lost before this task has read it).
   */
  readonly purge?: { readonly topics: readonly string[]; readonly intervalMs: number };
  /** Called with what a poll threw (after its uncommitted work was discarded): the query stops. */
  readonly onFailure: (error: unknown) => void;
}

/** Records a read asks for at least, unless the log says otherwise (TaskLog.readRecords). */
const FETCH_RECORDS = 10_000;
/**
 * When a task commits: as soon as it has caught up with its partition (so a
 * live stream's results show at once), and under a backlog every
 * `commitRecords` records or `commitIntervalMs`, whichever comes first, so
 * state writes of a hot key coalesce across scheduler turns.
 */
const COMMIT_RECORDS = 20_000;
const COMMIT_INTERVAL_MS = 100;

const NO_RECORDS: readonly ConsumedRecord[] = [];

/** One topic-partition a task reads, and how far it got. */
interface Input {
  readonly topic: string;
  /** The committed offset: where a restart or a failed commit resumes. */
  position: number;
  /** The offset after the last record processed (committed or not). */
  next: number;
  /** Records read from the partition and not processed yet, from `next` on. */
  buffered: readonly ConsumedRecord[];
  bufferIndex: number;
  /** Where the read that filled the buffer ended. */
  bufferedNext: number;
  /** Records processed and processing-log entries written since the last commit (for the statistics). */
  consumed: number;
  failed: number;
}

export class StreamTask implements TaskOutput, SchedulableTask {
  /** The first topic the task reads (its only one unless it joins). */
  readonly topic: string;
  readonly topics: readonly string[];
  readonly partition: number;
  /** Kafka Streams' task id, `<sub-topology>_<partition>`. */
  readonly taskId: string;
  /** The task's identity on a remote log (its transactional producer's id): `<group>-<taskId>`, as Kafka Streams' per-task producers. */
  private readonly transactionalId: string;
  private readonly options: TaskOptions;
  private readonly processor: RecordProcessor;
  /** What the log commits beside the outputs and offsets: the operators' state. */
  private readonly participants: readonly CommitParticipant[];
  /** While the log has not said where the group stands (asynchronously), the wait; and what it failed with. */
  private starting: Promise<void> | undefined;
  private startFailure: { readonly error: unknown } | undefined;
  /** A batch waiting on the log (fetch or commit): `close` waits for it before closing the stores. */
  private waiting: Promise<unknown> | undefined;
  private closed = false;
  /** Outputs since the last commit, per topic, already encoded. */
  private readonly pending = new Map<string, AppendBuffer>();
  private readonly inputs: Input[];
  /** Records processed since the last commit, and when that commit was. */
  private uncommitted = 0;
  private lastCommit = Date.now();
  private lastPurge = Date.now();
  /** Records processed since the task started (for DESCRIBE EXTENDED and benchmarks). */
  processed = 0;
  /** The input of the record being processed: its processing-log entries count against its topic. */
  private current: Input;
  private readonly log: Logger;

  constructor(options: TaskOptions) {
    this.options = options;
    this.topics = options.topics;
    this.topic = options.topics[0]!;
    this.partition = options.partition;
    this.taskId = options.taskId;
    this.transactionalId = `${options.group}-${options.taskId}`;
    this.inputs = options.topics.map((topic) => ({ topic, position: 0, next: 0, buffered: [], bufferIndex: 0, bufferedNext: 0, consumed: 0, failed: 0 }));
    this.current = this.inputs[0]!;
    this.log = createLogger('task', { ...(options.queryId === undefined ? {} : { queryId: options.queryId }), taskId: options.taskId });
    this.processor = options.buildProcessor(this);
    const { state } = this.processor;
    this.participants = state === undefined ? [] : [state];
    let started: MaybeAsync<void>;
    try {
      started = andThen(this.start(), () => this.restoreState());
    } catch (error) {
      this.processor.close?.();
      throw error;
    }
    if (isPromise(started)) {
      this.starting = started.then(
        () => {
          this.starting = undefined;
        },
        (error: unknown) => {
          this.starting = undefined;
          this.startFailure = { error };
        },
      );
    }
  }

  /** Whether it knows where its group stands and its stores caught up with their changelogs: what they hold is current. */
  get isReady(): boolean {
    return this.starting === undefined && this.startFailure === undefined && !this.closed;
  }

  /** On a log that restores state, the stores catch up with their changelogs before the first record. */
  private restoreState(): MaybeAsync<void> {
    const { log } = this.options;
    const position = (topic: string): number => this.inputs.find((input) => input.topic === topic)?.position ?? 0;
    return log.restoresState ? this.processor.state?.restore?.(log, position) : undefined;
  }

  /**
   * Claims the task's identity on the log (fencing a previous owner), then takes the group's committed offsets as the
   * positions, pinning the start where there is none yet.
   */
  private start(): MaybeAsync<void> {
    const { log, group, partition } = this.options;
    const { transactionalId } = this;
    let result: MaybeAsync<void> = log.claim?.(transactionalId);
    for (const input of this.inputs) {
      result = andThen(result, () => andThen(log.committedOffset(group, input.topic, partition), (committed) =>
        andThen(committed ?? this.options.startOffset(input.topic), (position): MaybeAsync<void> => {
          input.position = input.next = input.bufferedNext = position;
          // Pin the start so that records appended before the first poll are not skipped after a restart.
          if (committed === null) return log.commit({ transactionalId, offsets: { group, offsets: [{ topic: input.topic, partition, offset: position }] } });
        })));
    }
    return result;
  }

  emit(topic: string, record: ProducerRecord): void {
    let buffer = this.pending.get(topic);
    if (buffer === undefined) {
      buffer = this.options.log.createAppendBuffer(topic);
      this.pending.set(topic, buffer);
    }
    try {
      buffer.add(record);
    } catch (error) {
      // A record the log refuses on its own (no key for a compacted topic, too large) is a production
      // error: logged, and the task goes on, as ksqlDB's production exception handler does.
      if (topic === this.options.processingLogTopic || !(isBrokerError(error, 'INVALID_RECORD') || isBrokerError(error, 'RECORD_TOO_LARGE'))) throw error;
      this.logError(productionError(this.options.logger, error));
    }
  }

  logError(entry: ProcessingLogEntry): void {
    this.current.failed++;
    this.emit(this.options.processingLogTopic, toProducerRecord(entry));
  }

  /** Where the task stands in each input: the offset after the last record it processed, committed or not. */
  get processedOffsets(): TopicPartitionOffset[] {
    return this.inputs.map((input) => ({ topic: input.topic, partition: this.partition, offset: input.next }));
  }

  /** Whether a partition the task reads holds records it has not processed. */
  hasInput(): boolean {
    return this.inputs.some((input) => this.options.log.latestOffset(input.topic, this.partition) > input.next);
  }

  /**
   * Processes at most `maxRecords` records; commits when the commit policy
   * says so. Returns how many records were processed; when it returns 0,
   * nothing processed is left uncommitted (unless `commitWhenCaughtUp` is
   * false: then a later poll commits it once the interval passed). Reading several topics, the task
   * takes the buffered record with the smallest timestamp first (the first
   * topic's on a tie), as Kafka Streams does, reading a topic again when its
   * buffer runs out so no later record of another topic goes first. When anything throws or
   * rejects, the work since the last commit is discarded before the error goes on. A promise
   * means the batch waits on the log: poll again only after it settled.
   */
  poll(maxRecords: number): PollResult {
    if (this.startFailure !== undefined) throw this.startFailure.error;
    if (this.starting !== undefined) return this.starting.then(() => 0);
    let result: MaybeAsync<number>;
    try {
      result = this.processBatch(maxRecords);
    } catch (error) {
      this.discardUncommitted();
      throw error;
    }
    if (!isPromise(result)) return result;
    const waiting = result.then(
      (count) => {
        this.waiting = undefined;
        return count;
      },
      (error: unknown) => {
        this.waiting = undefined;
        this.discardUncommitted();
        throw error;
      },
    );
    this.waiting = waiting;
    return waiting;
  }

  fail(error: unknown): void {
    this.options.onFailure(error);
  }

  private processBatch(maxRecords: number): MaybeAsync<number> {
    // Committing only every interval, a task that read all it had commits its work before reading again once the
    // interval passed; until then its reads answer at once, not waiting at the end of the partition past the interval.
    if (this.options.commitWhenCaughtUp === false && this.uncommitted > 0 && this.inputs.every((input) => input.bufferIndex >= input.buffered.length)) {
      if (Date.now() - this.lastCommit >= (this.options.commitIntervalMs ?? COMMIT_INTERVAL_MS)) return andThen(this.commit(), () => 0);
    }
    let fills: Promise<void>[] | undefined;
    for (const input of this.inputs) {
      if (input.bufferIndex < input.buffered.length) continue;
      const filled = this.fill(input, maxRecords);
      if (filled !== undefined) (fills ??= []).push(filled);
    }
    if (fills !== undefined) return Promise.all(fills).then(() => this.processBuffered(maxRecords, 0));
    return this.processBuffered(maxRecords, 0);
  }

  /** Processes buffered records after the `count` this batch processed before it waited on a read. */
  private processBuffered(maxRecords: number, count: number): MaybeAsync<number> {
    const processor = this.processor;
    while (count < maxRecords) {
      let chosen: Input | undefined;
      for (const input of this.inputs) {
        if (input.bufferIndex >= input.buffered.length) {
          // A buffer that ran out is read again before another topic's later records go first; an empty read means the
          // topic has caught up (its buffer stays empty for the rest of the batch).
          if (this.inputs.length === 1 || input.buffered.length === 0) continue;
          const filled = this.fill(input, maxRecords);
          if (filled !== undefined) {
            const processed = count;
            return filled.then(() => this.processBuffered(maxRecords, processed));
          }
          if (input.buffered.length === 0) continue;
        }
        if (chosen === undefined || input.buffered[input.bufferIndex]!.timestamp < chosen.buffered[chosen.bufferIndex]!.timestamp) chosen = input;
      }
      if (chosen === undefined) break;
      const record = chosen.buffered[chosen.bufferIndex++]!;
      this.current = chosen;
      try {
        processor.process(record);
      } catch (error) {
        throw new RecordProcessingFailure(this.options.taskId, record, error);
      }
      chosen.next = chosen.bufferIndex === chosen.buffered.length ? chosen.bufferedNext : chosen.buffered[chosen.bufferIndex]!.offset;
      chosen.consumed++;
      count++;
    }
    return this.endBatch(count);
  }

  /** Commits when the commit policy says so; answers with the batch's count once that commit is made. */
  private endBatch(count: number): MaybeAsync<number> {
    const { commitRecords = COMMIT_RECORDS, commitIntervalMs = COMMIT_INTERVAL_MS, commitWhenCaughtUp = true } = this.options;
    const due = Date.now() - this.lastCommit >= commitIntervalMs;
    if (count === 0) return this.uncommitted > 0 && (commitWhenCaughtUp || due) ? andThen(this.commit(), () => 0) : 0;
    this.uncommitted += count;
    this.processed += count;
    const caughtUp = commitWhenCaughtUp && this.inputs.every((input) => input.bufferIndex >= input.buffered.length) && !this.hasInput();
    if (caughtUp || this.uncommitted >= commitRecords || due) return andThen(this.commit(), () => count);
    return count;
  }

  /** Forgets everything since the last commit: outputs, state changes and positions go back to the committed ones. */
  private discardUncommitted(): void {
    this.processed -= this.uncommitted;
    this.uncommitted = 0;
    this.pending.clear();
    this.processor.state?.abort();
    for (const input of this.inputs) {
      input.next = input.position;
      input.buffered = [];
      input.bufferIndex = 0;
      input.bufferedNext = input.position;
      input.consumed = 0;
      input.failed = 0;
    }
  }

  /**
   * Reads the next records of `input` into its buffer: at least `maxRecords`
   * when there are that many, and as many as the log asks readers to take
   * (TaskLog.readRecords). Returns a promise when the read answers later.
   */
  private fill(input: Input, maxRecords: number): Promise<void> | undefined {
    const { log } = this.options;
    // Nothing new: no read (an idle task costs nothing, and never waits on a remote log for nothing).
    if (log.latestOffset(input.topic, this.partition) <= input.next) {
      this.buffer(input, NO_RECORDS, input.next);
      return undefined;
    }
    const noWait = this.uncommitted > 0;
    const fetched = log.fetch(input.topic, this.partition, input.next, { maxRecords: Math.max(maxRecords, log.readRecords ?? FETCH_RECORDS), ...(noWait ? { noWait } : {}) });
    if (isPromise(fetched)) return fetched.then((result) => this.buffer(input, result.records, result.nextOffset));
    this.buffer(input, fetched.records, fetched.nextOffset);
    return undefined;
  }

  private buffer(input: Input, records: readonly ConsumedRecord[], nextOffset: number): void {
    if (records.length === 0) input.next = Math.max(input.next, nextOffset);
    input.buffered = records;
    input.bufferIndex = 0;
    input.bufferedNext = nextOffset;
  }

  private commit(): MaybeAsync<void> {
    const { statistics } = this.options;
    const offsets = this.inputs.map((input) => ({ topic: input.topic, partition: this.partition, offset: input.next }));
    this.processor.state?.prepareCommit?.(offsets);
    const appends = [...this.pending.values()];
    // Read before the commit empties the buffers.
    const produced = statistics === undefined ? [] : appends.map((buffer) => buffer.size);
    const started = statistics === undefined ? 0 : performance.now();
    const committing = this.options.log.commit({
      transactionalId: this.transactionalId,
      appends,
      offsets: { group: this.options.group, offsets },
      participants: this.participants,
      ...(this.options.atLeastOnce === true ? { atLeastOnce: true } : {}),
    });
    const done = (): MaybeAsync<void> => {
      for (const input of this.inputs) input.position = input.next;
      this.uncommitted = 0;
      this.lastCommit = Date.now();
      if (statistics !== undefined) this.count(statistics, appends, produced, (performance.now() - started) / 1000);
      return this.maybePurge();
    };
    return isPromise(committing) ? committing.then(done) : done();
  }

  /** Adds what the commit made durable to the query's statistics. */
  private count(statistics: QueryStatistics, appends: readonly AppendBuffer[], produced: readonly number[], seconds: number): void {
    const now = this.lastCommit;
    statistics.committed(seconds);
    for (const input of this.inputs) {
      if (input.consumed > 0) statistics.add('consumed', input.topic, input.consumed, now);
      if (input.failed > 0) statistics.add('failed', input.topic, input.failed, now);
      input.consumed = 0;
      input.failed = 0;
    }
    appends.forEach((buffer, i) => {
      if (produced[i]! > 0) statistics.add('produced', buffer.topic, produced[i]!, now);
    });
  }

  /** Deletes what the task has committed past in the repartition topics it reads, once per purge interval. */
  private maybePurge(): MaybeAsync<void> {
    const { purge, log } = this.options;
    if (purge === undefined || this.lastCommit - this.lastPurge < purge.intervalMs) return;
    this.lastPurge = this.lastCommit;
    let result: MaybeAsync<void> = undefined;
    for (const input of this.inputs) {
      if (!purge.topics.includes(input.topic)) continue;
      const { topic, position } = input;
      result = andThen(result, () => {
        // The commit stands whatever happens here; the records go at a later purge.
        const warn = (error: unknown): void => this.warnPurge(topic, error);
        try {
          const deleted = log.deleteRecords(topic, this.partition, position);
          return isPromise(deleted) ? deleted.catch(warn) : undefined;
        } catch (error) {
          warn(error);
          return undefined;
        }
      });
    }
    return result;
  }

  private warnPurge(topic: string, error: unknown): void {
    this.log.warn({ err: error, group: this.options.group, topic, partition: this.partition }, 'purging a repartition topic failed');
  }

  /**
   * Commits the work processed since the last commit, then closes (a task
   * leaving this server for another, which resumes from that commit). Take
   * the task off the scheduler first; a batch waiting on the log settles
   * before. A task that failed commits nothing: its work was discarded.
   */
  async commitAndClose(): Promise<void> {
    if (this.closed) return;
    try {
      await (this.waiting ?? this.starting)?.catch(() => undefined);
      if (this.startFailure === undefined && this.uncommitted > 0) await this.commit();
    } finally {
      this.close();
    }
  }

  /** Closes the operators and their stores; after a batch waiting on the log has settled, when one is. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const closeProcessor = (): void => this.processor.close?.();
    const waiting = this.waiting ?? this.starting;
    if (waiting === undefined) closeProcessor();
    else void waiting.then(closeProcessor, closeProcessor);
  }
}
