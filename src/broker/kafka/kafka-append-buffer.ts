/**
 * A task's records for one Kafka topic, staged until its commit. `add` checks
 * what it can without the cluster (timestamps, explicit partitions, header
 * values kafkajs can encode) and keeps the record: kafkajs encodes a batch
 * when it sends it. Partitions are picked when the commit knows the topic's
 * partition count, by the log's rule (explicit, murmur2 of the partition key
 * or key, one partition for the null keys of a commit), so the commit knows
 * how many records each partition gets and where they end.
 */
import type { AppendBuffer, ProducerRecord } from '../broker.js';
import { BrokerError } from '../broker-error.js';
import { partitionForKey } from '../murmur2.js';

/** The records of a buffer with their partitions, and how many each partition got. */
export interface PlacedRecords {
  readonly records: readonly ProducerRecord[];
  readonly counts: ReadonlyMap<number, number>;
}

export class KafkaAppendBuffer implements AppendBuffer {
  readonly topic: string;
  #records: ProducerRecord[] = [];

  constructor(topic: string) {
    this.topic = topic;
  }

  get size(): number {
    return this.#records.length;
  }

  add(record: ProducerRecord): void {
    const { partition, timestamp } = record;
    if (partition !== undefined && (!Number.isInteger(partition) || partition < 0)) {
      throw new BrokerError('INVALID_PARTITION', `Topic '${this.topic}' has no partition ${partition}.`);
    }
    if (timestamp !== undefined && !(Number.isSafeInteger(timestamp) && timestamp >= 0)) {
      throw new BrokerError('INVALID_RECORD', `Invalid timestamp ${timestamp} for a record to '${this.topic}': expected epoch milliseconds >= 0.`);
    }
    for (const header of record.headers ?? []) {
      // kafkajs 2.2.4 sizes a header value before checking it for null, so it cannot write one.
      if (header.value === null) throw new BrokerError('INVALID_RECORD', `Cannot write header '${header.key}' with a null value: the Kafka client (kafkajs 2.2.4) cannot encode one.`);
    }
    this.#records.push(record);
  }

  /** The records with their partitions among `partitionCount`; null keys go to `stickyPartition`. */
  place(partitionCount: number, stickyPartition: number): PlacedRecords {
    const counts = new Map<number, number>();
    const records = this.#records.map((record) => {
      let partition = record.partition;
      if (partition === undefined) {
        const hashed = record.partitionKey ?? record.key;
        partition = hashed === null ? stickyPartition : partitionCount === 1 ? 0 : partitionForKey(hashed, partitionCount);
      } else if (partition >= partitionCount) {
        throw new BrokerError('INVALID_PARTITION', `Topic '${this.topic}' has no partition ${partition}: it has partitions 0 to ${partitionCount - 1}.`);
      }
      counts.set(partition, (counts.get(partition) ?? 0) + 1);
      return record.partition === partition ? record : { ...record, partition };
    });
    return { records, counts };
  }

  clear(): void {
    this.#records = [];
  }
}
