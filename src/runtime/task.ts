/**
 * A stream task: one source topic-partition of one sub-topology of one
 * query. It reads a batch at its position, pushes every record through its
 * operators synchronously, and ends the batch with ONE atomic broker commit
 * holding the outputs, the new input offset and the state changes. A crash
 * anywhere before the commit leaves nothing behind; after it, everything.
 */
import type { AppendBuffer, Broker, ConsumedRecord, ProducerRecord } from '../broker/broker.js';
import { recordProcessingError, toProducerRecord, type ProcessingLogEntry } from './processing-log.js';

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
  readonly topic: string;
  readonly partition: number;
  /** Where the task starts when its group has no committed offset. */
  readonly startOffset: () => number;
  readonly processingLogTopic: string;
  /** The logger name for errors the operators do not catch themselves. */
  readonly logger: string;
  readonly buildProcessor: (output: TaskOutput) => RecordProcessor;
  /** Under a backlog, commit after this many records (default 20,000) ... */
  readonly commitRecords?: number;
  /** ... or this long after the last commit (default 100 ms). A task that caught up commits at once. */
  readonly commitIntervalMs?: number;
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

export class StreamTask implements TaskOutput {
  readonly topic: string;
  readonly partition: number;
  private readonly options: TaskOptions;
  private readonly processor: RecordProcessor;
  /** Outputs since the last commit, per topic, already encoded. */
  private readonly pending = new Map<string, AppendBuffer>();
  /** The committed offset: where a restart or a failed commit resumes. */
  private position: number;
  /** The offset after the last record processed (committed or not). */
  private next: number;
  /** Records processed since the last commit, and when that commit was. */
  private uncommitted = 0;
  private lastCommit = Date.now();
  /** Records read from the partition and not processed yet, from `next` on. */
  private buffered: readonly ConsumedRecord[] = [];
  private bufferIndex = 0;
  /** Where the read that filled the buffer ended. */
  private bufferedNext = 0;
  /** Records processed since the task started (for DESCRIBE EXTENDED and benchmarks). */
  processed = 0;

  constructor(options: TaskOptions) {
    this.options = options;
    this.topic = options.topic;
    this.partition = options.partition;
    const committed = options.broker.committedOffset(options.group, options.topic, options.partition);
    this.position = committed ?? options.startOffset();
    this.next = this.position;
    if (committed === null) {
      // Pin the start so that records appended before the first poll are not skipped after a restart.
      options.broker.commitOffsets(options.group, [{ topic: options.topic, partition: options.partition, offset: this.position }]);
    }
    this.processor = options.buildProcessor(this);
  }

  emit(topic: string, record: ProducerRecord): void {
    let buffer = this.pending.get(topic);
    if (buffer === undefined) {
      buffer = this.options.broker.createAppendBuffer(topic);
      this.pending.set(topic, buffer);
    }
    buffer.add(record);
  }

  logError(entry: ProcessingLogEntry): void {
    this.emit(this.options.processingLogTopic, toProducerRecord(entry));
  }

  /** Whether the partition holds records this task has not processed. */
  hasInput(): boolean {
    return this.options.broker.latestOffset(this.topic, this.partition) > this.next;
  }

  /**
   * Processes at most `maxRecords` records; commits when the commit policy
   * says so. Returns how many records were processed; when it returns 0,
   * nothing processed is left uncommitted.
   */
  poll(maxRecords: number): number {
    if (this.bufferIndex >= this.buffered.length) this.fill(maxRecords);
    const records = this.buffered;
    const from = this.bufferIndex;
    const to = Math.min(from + maxRecords, records.length);
    if (to === from) {
      if (this.uncommitted > 0) this.commitOrReset();
      return 0;
    }
    const processor = this.processor;
    for (let i = from; i < to; i++) {
      try {
        processor.process(records[i]!);
      } catch (error) {
        this.logError(recordProcessingError(this.options.logger, error, null));
      }
    }
    this.bufferIndex = to;
    this.next = to === records.length ? this.bufferedNext : records[to]!.offset;
    this.uncommitted += to - from;
    this.processed += to - from;
    const caughtUp = to === records.length && !this.hasInput();
    const { commitRecords = COMMIT_RECORDS, commitIntervalMs = COMMIT_INTERVAL_MS } = this.options;
    if (caughtUp || this.uncommitted >= commitRecords || Date.now() - this.lastCommit >= commitIntervalMs) this.commitOrReset();
    return to - from;
  }

  /** Commits everything processed; after a failure, forgets it so it is processed again from the committed offset. */
  private commitOrReset(): void {
    try {
      this.commit(this.next);
    } catch (error) {
      this.processed -= this.uncommitted;
      this.uncommitted = 0;
      this.pending.clear();
      this.next = this.position;
      this.buffered = [];
      this.bufferIndex = 0;
      throw error;
    }
  }

  /**
   * Reads the next records into the buffer. A read covers whole stored
   * batches (at least `maxRecords` records when there are that many), so a
   * stored batch larger than a turn is verified and decoded once, not once
   * per turn.
   */
  private fill(maxRecords: number): void {
    const { broker } = this.options;
    const start = Math.max(this.next, broker.earliestOffset(this.topic, this.partition));
    const { records, nextOffset } = broker.fetch(this.topic, this.partition, start, { maxRecords: Math.max(maxRecords, FETCH_RECORDS) });
    if (records.length === 0) this.next = Math.max(this.next, nextOffset);
    this.buffered = records;
    this.bufferIndex = 0;
    this.bufferedNext = nextOffset;
  }

  private commit(next: number): void {
    const { processor } = this;
    try {
      this.options.broker.commitTransaction({
        appends: [...this.pending.values()],
        offsets: { group: this.options.group, offsets: [{ topic: this.topic, partition: this.partition, offset: next }] },
        work: processor.flushState ? () => processor.flushState!() : undefined,
      });
    } catch (error) {
      processor.abortState?.();
      throw error;
    }
    this.position = next;
    this.uncommitted = 0;
    this.lastCommit = Date.now();
  }

  close(): void {
    this.processor.close?.();
  }
}
