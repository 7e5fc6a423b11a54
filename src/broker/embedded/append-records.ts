/**
 * The append path: pick each record's partition (explicit, Kafka's murmur2 of
 * the key, or sticky for null keys), encode each partition's records as
 * RecordBatch v2 batches at the log end, and insert them. Runs inside the
 * caller's transaction and notes every log end it moves in `journal`, so a
 * rollback can restore the in-memory state.
 */
import type { AppendedRecord, ProducerRecord } from '../broker.js';
import { BrokerError } from '../broker-error.js';
import { partitionForKey } from '../murmur2.js';
import { encodeRecordBatches } from '../record-batch/encode-record-batch.js';
import { MAX_TIMESTAMP, RECORD_COUNT, readInt32, readInt64 } from '../record-batch/record-batch-layout.js';
import { policyCompacts, type TopicConfig } from '../topic-config.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog, TopicLog } from './partition-log.js';

/** Undo entries: a partition and its log end before an append. */
export type AppendJournal = [PartitionLog, number][];

export function appendRecords(
  statements: BrokerStatements,
  journal: AppendJournal,
  topic: TopicLog,
  records: readonly ProducerRecord[],
  now: number,
): AppendedRecord[] {
  const n = records.length;
  const partitionCount = topic.partitions.length;
  const config = topic.config;
  const logAppendTime = config['message.timestamp.type'] === 'LogAppendTime';
  const keyRequired = policyCompacts(config);
  const sticky = topic.nextStickyPartition % partitionCount;
  let usedSticky = false;
  const timestamps = new Array<number>(n);
  const partitionOf = new Int32Array(n);
  let mixed = false;
  for (let i = 0; i < n; i++) {
    const record = records[i]!;
    const ts = record.timestamp;
    if (logAppendTime || ts === undefined) {
      timestamps[i] = now;
    } else if (Number.isSafeInteger(ts) && ts >= 0) {
      timestamps[i] = ts;
    } else {
      throw new BrokerError('INVALID_RECORD', `Invalid timestamp ${ts} for a record to '${topic.name}': expected epoch milliseconds >= 0.`);
    }
    let p: number;
    if (record.partition !== undefined) {
      p = record.partition;
      if (!Number.isInteger(p) || p < 0 || p >= partitionCount) {
        throw new BrokerError('INVALID_PARTITION', `Topic '${topic.name}' has no partition ${p}: it has partitions 0 to ${partitionCount - 1}.`);
      }
    } else if (record.key !== null) {
      p = partitionCount === 1 ? 0 : partitionForKey(record.partitionKey ?? record.key, partitionCount);
    } else {
      p = sticky;
      usedSticky = true;
    }
    if (keyRequired && record.key === null) {
      throw new BrokerError('INVALID_RECORD', `Compacted topic '${topic.name}' cannot accept a record without a key.`);
    }
    partitionOf[i] = p;
    if (p !== partitionOf[0]) mixed = true;
  }
  if (usedSticky) topic.nextStickyPartition = (sticky + 1) % partitionCount;
  const results = new Array<AppendedRecord>(n);
  const target = { statements, journal, records, timestamps, logAppendTime, config, results };
  if (!mixed) {
    appendToPartition(target, topic.partitions[partitionOf[0]!]!, null);
  } else {
    const groups: number[][] = [];
    for (let i = 0; i < n; i++) (groups[partitionOf[i]!] ??= []).push(i);
    for (let p = 0; p < partitionCount; p++) {
      const order = groups[p];
      if (order !== undefined) appendToPartition(target, topic.partitions[p]!, order);
    }
  }
  return results;
}

interface AppendTarget {
  readonly statements: BrokerStatements;
  readonly journal: AppendJournal;
  readonly records: readonly ProducerRecord[];
  readonly timestamps: readonly number[];
  readonly logAppendTime: boolean;
  readonly config: TopicConfig;
  readonly results: AppendedRecord[];
}

/** Appends `records[order[i]]` (all records when order is null) to one partition. */
function appendToPartition(target: AppendTarget, partitionLog: PartitionLog, order: number[] | null): void {
  const { records, timestamps, results } = target;
  const maxBatchBytes = target.config['max.message.bytes'];
  const base = partitionLog.logEnd;
  const batches = encodeRecordBatches({ baseOffset: base, records, order, timestamps, logAppendTime: target.logAppendTime, maxBatchBytes });
  target.journal.push([partitionLog, base]);
  let offset = base;
  for (const batch of batches) {
    if (batch.length > maxBatchBytes) {
      throw new BrokerError(
        'RECORD_TOO_LARGE',
        `A record of ${batch.length} bytes (as a batch) exceeds max.message.bytes=${maxBatchBytes} of topic '${partitionLog.topic}'.`,
      );
    }
    const count = readInt32(batch, RECORD_COUNT);
    target.statements.insertBatch.run(partitionLog.id, offset, offset + count - 1, readInt64(batch, MAX_TIMESTAMP), count, batch.length, batch);
    offset += count;
  }
  const count = order === null ? records.length : order.length;
  const partition = partitionLog.partition;
  for (let i = 0; i < count; i++) {
    const pos = order === null ? i : order[i]!;
    results[pos] = { partition, offset: base + i, timestamp: timestamps[pos]! };
  }
  partitionLog.logEnd = base + count;
}
