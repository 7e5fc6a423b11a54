/**
 * The append path. An append buffer takes the records for one topic: it picks
 * each record's partition (explicit, Kafka's murmur2 of the key, or sticky for
 * null keys), checks it, and encodes it at once into that partition's batch
 * builder. Writing the buffer, inside the caller's transaction, gives the
 * batches their offsets at the log end and inserts them, noting every log end
 * it moves in `journal` so that a rollback can restore the in-memory state.
 * `append` is a buffer filled and written in one go.
 */
import type { AppendBuffer, AppendedRecord, CommitPositions, ProducerRecord } from '../broker.js';
import { BrokerError } from '../broker-error.js';
import { partitionForKey } from '../murmur2.js';
import { RecordBatchBuilder } from '../record-batch/record-batch-builder.js';
import { MAX_TIMESTAMP, RECORD_COUNT, readInt32, readInt64 } from '../record-batch/record-batch-layout.js';
import { policyCompacts } from '../topic-config.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog, TopicLog } from './partition-log.js';

/** Undo entries: a partition and its log end before an append. */
export type AppendJournal = [PartitionLog, number][];

export class EmbeddedAppendBuffer implements AppendBuffer {
  readonly topic: string;
  private readonly builders: (RecordBatchBuilder | undefined)[];
  private records = 0;
  /** The partition of this buffer's null-key records, once one came. */
  private sticky = -1;
  /** How errors name the topic (built once, not per record). */
  private readonly where: string;

  constructor(readonly log: TopicLog, private readonly clock: () => number) {
    this.topic = log.name;
    this.where = `topic '${log.name}'`;
    this.builders = new Array(log.partitions.length);
  }

  get size(): number {
    return this.records;
  }

  add(record: ProducerRecord): void {
    this.addRecord(record);
  }

  /** Adds a record; returns its partition. */
  addRecord(record: ProducerRecord): number {
    const { log } = this;
    const partitionCount = log.partitions.length;
    let p: number;
    if (record.partition !== undefined) {
      p = record.partition;
      if (!Number.isInteger(p) || p < 0 || p >= partitionCount) {
        throw new BrokerError('INVALID_PARTITION', `Topic '${log.name}' has no partition ${p}: it has partitions 0 to ${partitionCount - 1}.`);
      }
    } else if (record.key !== null) {
      p = partitionCount === 1 ? 0 : partitionForKey(record.partitionKey ?? record.key, partitionCount);
    } else {
      if (this.sticky < 0) this.sticky = log.nextStickyPartition % partitionCount;
      p = this.sticky;
    }
    if (record.key === null && policyCompacts(log.config)) {
      throw new BrokerError('INVALID_RECORD', `Compacted topic '${log.name}' cannot accept a record without a key.`);
    }
    const ts = record.timestamp;
    let timestamp: number;
    if (ts === undefined || log.config['message.timestamp.type'] === 'LogAppendTime') {
      timestamp = this.clock();
    } else if (Number.isSafeInteger(ts) && ts >= 0) {
      timestamp = ts;
    } else {
      throw new BrokerError('INVALID_RECORD', `Invalid timestamp ${ts} for a record to '${log.name}': expected epoch milliseconds >= 0.`);
    }
    const builder = (this.builders[p] ??= new RecordBatchBuilder(log.config['max.message.bytes']));
    builder.add(record, timestamp, this.where);
    this.records++;
    return p;
  }

  /** Records added to partition `p` so far. */
  countIn(p: number): number {
    return this.builders[p]?.count ?? 0;
  }

  /**
   * Writes every partition's batches at its log end; returns each partition's
   * first new offset. The caller runs it in a transaction and clears the buffer after.
   */
  write(statements: BrokerStatements, journal: AppendJournal, now: number): number[] {
    const { log } = this;
    const appendTime = log.config['message.timestamp.type'] === 'LogAppendTime' ? now : undefined;
    const bases: number[] = [];
    for (let p = 0; p < this.builders.length; p++) {
      const builder = this.builders[p];
      const partitionLog = log.partitions[p]!;
      bases.push(partitionLog.logEnd);
      if (builder === undefined || builder.count === 0) continue;
      const base = partitionLog.logEnd;
      journal.push([partitionLog, base]);
      let offset = base;
      for (const batch of builder.finish(base, appendTime)) {
        const count = readInt32(batch, RECORD_COUNT);
        statements.insertBatch.run(partitionLog.id, offset, offset + count - 1, readInt64(batch, MAX_TIMESTAMP), count, batch.length, batch);
        offset += count;
      }
      partitionLog.logEnd = offset;
    }
    if (this.sticky >= 0) log.nextStickyPartition = (this.sticky + 1) % log.partitions.length;
    return bases;
  }

  clear(): void {
    for (const builder of this.builders) builder?.clear();
    this.records = 0;
    this.sticky = -1;
  }
}

/**
 * Where written buffers left their partitions: the log end of every
 * partition they added records to, taken now (before the buffers are cleared).
 */
export function commitPositions(buffers: readonly EmbeddedAppendBuffer[]): CommitPositions {
  const ends = new Map<string, number>();
  for (const buffer of buffers) {
    const { partitions } = buffer.log;
    for (let p = 0; p < partitions.length; p++) if (buffer.countIn(p) > 0) ends.set(`${p}:${buffer.topic}`, partitions[p]!.logEnd);
  }
  return { endOffset: (topic, partition) => ends.get(`${partition}:${topic}`) };
}

/** Appends `records` in one go; returns where each went, in input order. */
export function appendRecords(
  statements: BrokerStatements,
  journal: AppendJournal,
  topic: TopicLog,
  records: readonly ProducerRecord[],
  now: number,
): AppendedRecord[] {
  const buffer = new EmbeddedAppendBuffer(topic, () => now);
  const placed = new Array<[number, number]>(records.length);
  for (let i = 0; i < records.length; i++) {
    const partition = buffer.addRecord(records[i]!);
    placed[i] = [partition, buffer.countIn(partition) - 1];
  }
  const bases = buffer.write(statements, journal, now);
  const logAppendTime = topic.config['message.timestamp.type'] === 'LogAppendTime';
  return placed.map(([partition, index], i) => ({
    partition,
    offset: bases[partition]! + index,
    timestamp: logAppendTime ? now : records[i]!.timestamp ?? now,
  }));
}
