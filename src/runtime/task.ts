/**
 * A stream task: one source topic-partition of one sub-topology of one
 * query. It reads a batch at its position, pushes every record through its
 * operators synchronously, and ends the batch with ONE atomic broker commit
 * holding the outputs, the new input offset and the state changes. A crash
 * anywhere before the commit leaves nothing behind; after it, everything.
 */
import type { Broker, ConsumedRecord, ProducerRecord, TopicAppend } from '../broker/broker.js';
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
}

export class StreamTask implements TaskOutput {
  readonly topic: string;
  readonly partition: number;
  private readonly options: TaskOptions;
  private readonly processor: RecordProcessor;
  private readonly pending = new Map<string, ProducerRecord[]>();
  private position: number;
  /** Records processed since the task started (for DESCRIBE EXTENDED and benchmarks). */
  processed = 0;

  constructor(options: TaskOptions) {
    this.options = options;
    this.topic = options.topic;
    this.partition = options.partition;
    const committed = options.broker.committedOffset(options.group, options.topic, options.partition);
    this.position = committed ?? options.startOffset();
    if (committed === null) {
      // Pin the start so that records appended before the first poll are not skipped after a restart.
      options.broker.commitOffsets(options.group, [{ topic: options.topic, partition: options.partition, offset: this.position }]);
    }
    this.processor = options.buildProcessor(this);
  }

  emit(topic: string, record: ProducerRecord): void {
    let list = this.pending.get(topic);
    if (list === undefined) {
      list = [];
      this.pending.set(topic, list);
    }
    list.push(record);
  }

  logError(entry: ProcessingLogEntry): void {
    this.emit(this.options.processingLogTopic, toProducerRecord(entry));
  }

  /** Whether the partition holds records this task has not processed. */
  hasInput(): boolean {
    return this.options.broker.latestOffset(this.topic, this.partition) > this.position;
  }

  /** Processes at most `maxRecords` records and commits them; returns how many were read. */
  poll(maxRecords: number): number {
    const { broker } = this.options;
    const start = Math.max(this.position, broker.earliestOffset(this.topic, this.partition));
    const { records, nextOffset } = broker.fetch(this.topic, this.partition, start, { maxRecords });
    if (records.length === 0) {
      this.position = nextOffset;
      return 0;
    }
    for (const record of records) {
      try {
        this.processor.process(record);
      } catch (error) {
        this.logError(recordProcessingError(this.options.logger, error, null));
      }
    }
    this.commit(nextOffset);
    this.processed += records.length;
    return records.length;
  }

  private commit(next: number): void {
    const appends: TopicAppend[] = [];
    for (const [topic, records] of this.pending) appends.push({ topic, records });
    this.pending.clear();
    const { processor } = this;
    try {
      this.options.broker.commitTransaction({
        appends,
        offsets: { group: this.options.group, offsets: [{ topic: this.topic, partition: this.partition, offset: next }] },
        work: processor.flushState ? () => processor.flushState!() : undefined,
      });
    } catch (error) {
      processor.abortState?.();
      throw error;
    }
    this.position = next;
  }

  close(): void {
    this.processor.close?.();
  }
}
