/**
 * A stream task: one source topic-partition of one sub-topology of one
 * query. It reads a batch at its position, pushes every record through its
 * operators synchronously, and ends the batch with ONE atomic broker commit
 * holding the outputs, the new input offset and the state changes. A crash
 * anywhere before the commit leaves nothing behind; after it, everything.
 *
 * Operators route per-record errors to the processing log themselves and go
 * on. Anything else a poll throws (a bug, a store or commit failure, a
 * corrupt batch) discards the uncommitted work and reaches the scheduler,
 * which hands it to `fail`: the task's query stops.
 */
import type { AppendBuffer, Broker, ConsumedRecord, ProducerRecord } from '../broker/broker.js';
import { createLogger, type Logger } from '../common/logger.js';
import { isBrokerError } from '../broker/broker-error.js';
import type { QueryStatistics } from './query-statistics.js';
import type { SchedulableTask } from './scheduler.js';
import { RecordProcessingFailure } from './record-processing-failure.js';
import { productionError, toProducerRecord, type ProcessingLogEntry } from './processing-log.js';

/** Where operators send what they produce during a batch. */
export interface TaskOutput {
  emit(topic: string, record: ProducerRecord): void;
  logError(entry: ProcessingLogEntry): void;
}

/** The operators of one task, as one entry point. */
export interface RecordProcessor {
  process(record: ConsumedRecord): void;
  /** Writes staged state changes; runs inside the commit transaction. */
  flushState?(): void;
  /** Discards staged state changes after a failed commit. */
  abortState?(): void;
  close?(): void;
}

export interface TaskOptions {
  readonly broker: Broker;
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
  /** Where the task starts in `topic` when its group has no committed offset there. */
  readonly startOffset: (topic: string) => number;
  readonly processingLogTopic: string;
  /** The logger name of the processing-log entries the task writes itself (records the log refuses). */
  readonly logger: string;
  readonly buildProcessor: (output: TaskOutput) => RecordProcessor;
  /** Under a backlog, commit after this many records (default 20,000) ... */
  readonly commitRecords?: number;
  /** ... or this long after the last commit (default 100 ms). A task that caught up commits at once. */
  readonly commitIntervalMs?: number;
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

/** Records a read asks for: enough to hold whole stored batches of ordinary size. */
const FETCH_RECORDS = 10_000;
/**
 * When a task commits: as soon as it has caught up with its partition (so a
 * live stream's results show at once), and under a backlog every
 * `commitRecords` records or `commitIntervalMs`, whichever comes first, so
 * state writes of a hot key coalesce across scheduler turns.
 */
const COMMIT_RECORDS = 20_000;
const COMMIT_INTERVAL_MS = 100;

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
  private readonly options: TaskOptions;
  private readonly processor: RecordProcessor;
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
    this.inputs = options.topics.map((topic) => {
      const committed = options.broker.committedOffset(options.group, topic, options.partition);
      const position = committed ?? options.startOffset(topic);
      if (committed === null) {
        // Pin the start so that records appended before the first poll are not skipped after a restart.
        options.broker.commitOffsets(options.group, [{ topic, partition: options.partition, offset: position }]);
      }
      return { topic, position, next: position, buffered: [], bufferIndex: 0, bufferedNext: position, consumed: 0, failed: 0 };
    });
    this.current = this.inputs[0]!;
    this.log = createLogger('task', { ...(options.queryId === undefined ? {} : { queryId: options.queryId }), taskId: options.taskId });
    this.processor = options.buildProcessor(this);
  }

  emit(topic: string, record: ProducerRecord): void {
    let buffer = this.pending.get(topic);
    if (buffer === undefined) {
      buffer = this.options.broker.createAppendBuffer(topic);
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

  /** Whether a partition the task reads holds records it has not processed. */
  hasInput(): boolean {
    return this.inputs.some((input) => this.options.broker.latestOffset(input.topic, this.partition) > input.next);
  }

  /**
   * Processes at most `maxRecords` records; commits when the commit policy
   * says so. Returns how many records were processed; when it returns 0,
   * nothing processed is left uncommitted. Reading several topics, the task
   * takes the buffered record with the smallest timestamp first (the first
   * topic's on a tie), as Kafka Streams does, reading a topic again when its
   * buffer runs out so no later record of another topic goes first. When anything throws, the
   * work since the last commit is discarded before the error goes on.
   */
  poll(maxRecords: number): number {
    try {
      return this.processBatch(maxRecords);
    } catch (error) {
      this.discardUncommitted();
      throw error;
    }
  }

  fail(error: unknown): void {
    this.options.onFailure(error);
  }

  private processBatch(maxRecords: number): number {
    for (const input of this.inputs) if (input.bufferIndex >= input.buffered.length) this.fill(input, maxRecords);
    const processor = this.processor;
    let count = 0;
    while (count < maxRecords) {
      let chosen: Input | undefined;
      for (const input of this.inputs) {
        if (input.bufferIndex >= input.buffered.length) {
          // A buffer that ran out is read again before another topic's later records go first; an empty read means the
          // topic has caught up (its buffer stays empty for the rest of the batch).
          if (this.inputs.length === 1 || input.buffered.length === 0) continue;
          this.fill(input, maxRecords);
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
    if (count === 0) {
      if (this.uncommitted > 0) this.commit();
      return 0;
    }
    this.uncommitted += count;
    this.processed += count;
    const caughtUp = this.inputs.every((input) => input.bufferIndex >= input.buffered.length) && !this.hasInput();
    const { commitRecords = COMMIT_RECORDS, commitIntervalMs = COMMIT_INTERVAL_MS } = this.options;
    if (caughtUp || this.uncommitted >= commitRecords || Date.now() - this.lastCommit >= commitIntervalMs) this.commit();
    return count;
  }

  /** Forgets everything since the last commit: outputs, state changes and positions go back to the committed ones. */
  private discardUncommitted(): void {
    this.processed -= this.uncommitted;
    this.uncommitted = 0;
    this.pending.clear();
    this.processor.abortState?.();
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
   * Reads the next records of `input` into its buffer. A read covers whole
   * stored batches (at least `maxRecords` records when there are that many),
   * so a stored batch larger than a turn is verified and decoded once, not
   * once per turn.
   */
  private fill(input: Input, maxRecords: number): void {
    const { broker } = this.options;
    const start = Math.max(input.next, broker.earliestOffset(input.topic, this.partition));
    const { records, nextOffset } = broker.fetch(input.topic, this.partition, start, { maxRecords: Math.max(maxRecords, FETCH_RECORDS) });
    if (records.length === 0) input.next = Math.max(input.next, nextOffset);
    input.buffered = records;
    input.bufferIndex = 0;
    input.bufferedNext = nextOffset;
  }

  private commit(): void {
    const { processor } = this;
    const { statistics } = this.options;
    const appends = [...this.pending.values()];
    // Read before the commit empties the buffers.
    const produced = statistics === undefined ? [] : appends.map((buffer) => buffer.size);
    const started = statistics === undefined ? 0 : performance.now();
    this.options.broker.commitTransaction({
      appends,
      offsets: { group: this.options.group, offsets: this.inputs.map((input) => ({ topic: input.topic, partition: this.partition, offset: input.next })) },
      work: processor.flushState ? () => processor.flushState!() : undefined,
    });
    for (const input of this.inputs) input.position = input.next;
    this.uncommitted = 0;
    this.lastCommit = Date.now();
    if (statistics !== undefined) this.count(statistics, appends, produced, (performance.now() - started) / 1000);
    this.maybePurge();
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
  private maybePurge(): void {
    const { purge, broker, group } = this.options;
    if (purge === undefined || this.lastCommit - this.lastPurge < purge.intervalMs) return;
    this.lastPurge = this.lastCommit;
    for (const input of this.inputs) {
      if (!purge.topics.includes(input.topic) || input.position <= broker.earliestOffset(input.topic, this.partition)) continue;
      try {
        broker.deleteRecords(input.topic, this.partition, input.position);
      } catch (error) {
        // The commit stands; the records go at a later purge.
        this.log.warn({ err: error, group, topic: input.topic, partition: this.partition }, 'purging a repartition topic failed');
      }
    }
  }

  close(): void {
    this.processor.close?.();
  }
}
