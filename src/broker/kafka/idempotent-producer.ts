/**
 * The producer of records written outside any task (INSERT VALUES,
 * /inserts-stream): idempotent, so a retried produce never stores a record
 * twice, and acks=all. The caller picks each record's partition and
 * timestamp, so where every record went follows from the produce responses:
 * a partition's records form one batch, in the order sent. Sends run one at
 * a time: kafkajs' idempotent producer numbers its batches per partition and
 * concurrent sends could reach the broker out of that order.
 */
import type { Kafka, Producer } from 'kafkajs';
import type { AppendedRecord, ProducerRecord } from '../broker.js';
import { BrokerError } from '../broker-error.js';
import { kafkaError } from './kafka-errors.js';
import { messageOf, type RetrySettings } from './transactional-session.js';

/** A record whose partition and timestamp are already chosen. */
export interface PlacedRecord extends ProducerRecord {
  readonly partition: number;
  readonly timestamp: number;
}

/** kafkajs' answer for a LogAppendTime-less partition. */
const NO_LOG_APPEND_TIME = -1;

export class IdempotentProducer {
  readonly #producer: Producer;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #topics = new Set<string>();
  #closed = false;

  private constructor(producer: Producer) {
    this.#producer = producer;
  }

  static async open(kafka: Kafka, retry: RetrySettings): Promise<IdempotentProducer> {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // kafkajs refuses an idempotent producer without retries.
      retry: { ...retry, retries: Math.max(1, retry.retries) },
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw kafkaError(error, 'Connecting the idempotent producer');
    }
    return new IdempotentProducer(producer);
  }

  /** Produces `records` to `topic`; resolves with where each went, in input order. */
  send(topic: string, records: readonly PlacedRecord[]): Promise<AppendedRecord[]> {
    const sent = this.#queue.then(() => this.#send(topic, records));
    this.#queue = sent.catch(() => undefined);
    return sent;
  }

  async #send(topic: string, records: readonly PlacedRecord[]): Promise<AppendedRecord[]> {
    if (this.#closed) throw new BrokerError('CLOSED', 'The idempotent producer was closed before it sent.');
    if (records.length === 0) return [];
    this.#topics.add(topic);
    let produced;
    try {
      produced = await this.#producer.send({ topic, acks: -1, messages: records.map(messageOf) });
    } catch (error) {
      throw kafkaError(error, `Producing to topic '${topic}'`);
    }
    const next = new Map<number, number>();
    const logAppendTimes = new Map<number, number>();
    for (const p of produced) {
      next.set(p.partition, Number(p.baseOffset));
      logAppendTimes.set(p.partition, Number(p.logAppendTime ?? NO_LOG_APPEND_TIME));
    }
    return records.map((record) => {
      const offset = next.get(record.partition);
      if (offset === undefined) throw kafkaError(new Error(`the produce response names no partition ${record.partition}`), `Producing to topic '${topic}'`);
      next.set(record.partition, offset + 1);
      const logAppendTime = logAppendTimes.get(record.partition)!;
      return { partition: record.partition, offset, timestamp: logAppendTime === NO_LOG_APPEND_TIME ? record.timestamp : logAppendTime };
    });
  }

  /** True once `close` was called: sends still queued fail as CLOSED without sending anything. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether it ever sent to `topic` (kafkajs then keeps asking the topic's metadata). */
  wroteTo(topic: string): boolean {
    return this.#topics.has(topic);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    await this.#producer.disconnect();
  }
}
