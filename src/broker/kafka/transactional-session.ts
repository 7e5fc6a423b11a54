/**
 * A task's transactional producer on a Kafka cluster: one transactional.id,
 * opened once (InitProducerId, which fences every older producer of that id
 * and aborts what it left open), then one transaction per commit: begin,
 * produce batches, add the group's input offsets, commit or abort. A fenced
 * producer fails with ProducerFencedError and the session stays unusable:
 * its task has moved to a newer owner.
 *
 * Records go out a batch per `send` call (one Produce request per leader),
 * never a promise per record. Partitions follow the log's rule: the record's
 * own partition, else Kafka's murmur2 of `partitionKey` or the key, else
 * round robin.
 */
import type { Kafka, Message, PartitionerArgs, Producer, Transaction } from 'kafkajs';
import type { ProducerRecord } from '../broker.js';
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { BrokerError } from '../broker-error.js';
import { partitionForKey } from '../murmur2.js';
import { isFencing, kafkaError, ProducerFencedError } from './kafka-errors.js';

export interface TransactionalSessionOptions {
  /** How long the cluster lets a transaction stay open before aborting it (default 60 s, Kafka's). */
  readonly transactionTimeoutMs?: number;
}

/** How often and after how long kafkajs tries a failed request again. */
export interface RetrySettings {
  readonly retries: number;
  readonly initialRetryTime: number;
}

/** A kafkajs message that still carries the bytes the partitioner hashes. */
interface PartitionedMessage extends Message {
  readonly partitionKey?: Buffer | null;
}

function partitioner(): (args: PartitionerArgs) => number {
  const next = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    const count = partitionMetadata.length;
    const hashed = (message as PartitionedMessage).partitionKey ?? message.key;
    if (hashed !== null && hashed !== undefined) return partitionForKey(typeof hashed === 'string' ? Buffer.from(hashed) : hashed, count);
    const turn = next.get(topic) ?? 0;
    next.set(topic, turn + 1);
    return turn % count;
  };
}

/** `record` as kafkajs' message (a header with a null value is refused: kafkajs 2.2.4 cannot encode it). */
export function messageOf(record: ProducerRecord): PartitionedMessage {
  const headers: Record<string, (Buffer | null)[]> = {};
  for (const header of record.headers ?? []) {
    // kafkajs 2.2.4 sizes a header value before checking it for null, so it cannot write one.
    if (header.value === null) throw new BrokerError('INVALID_RECORD', `Cannot write header '${header.key}' with a null value: the Kafka client (kafkajs 2.2.4) cannot encode one.`);
    (headers[header.key] ??= []).push(header.value);
  }
  return {
    key: record.key,
    value: record.value,
    ...(record.partition === undefined ? {} : { partition: record.partition }),
    ...(record.partitionKey === undefined ? {} : { partitionKey: record.partitionKey }),
    ...(record.timestamp === undefined ? {} : { timestamp: String(record.timestamp) }),
    ...(record.headers === undefined ? {} : { headers: headers as Message['headers'] }),
  };
}

/** Where one produce put its records in a partition: from `baseOffset` on, in the order sent. */
export interface ProducedPartition {
  readonly partition: number;
  readonly baseOffset: number;
}

/**
 * `broken`: a commit or abort failed, so whether the transaction committed is
 * unknown, and kafkajs' producer takes no further transaction. Close the
 * session and open a new one for the id: its InitProducerId completes or
 * aborts what was pending, after which the group's committed offsets say
 * where the task stands.
 */
export type SessionState = 'ready' | 'in-transaction' | 'broken' | 'fenced' | 'closed';

export class TransactionalSession {
  readonly transactionalId: string;
  readonly #producer: Producer;
  #transaction: Transaction | null = null;
  #state: SessionState = 'ready';

  private constructor(transactionalId: string, producer: Producer) {
    this.transactionalId = transactionalId;
    this.#producer = producer;
  }

  /** Connects and initializes the producer of `transactionalId`, fencing any older one. */
  static async open(kafka: Kafka, transactionalId: string, retry: RetrySettings, options: TransactionalSessionOptions = {}): Promise<TransactionalSession> {
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: partitioner,
      transactionTimeout: options.transactionTimeoutMs ?? 60_000,
      // Bounded, unlike kafkajs' default for idempotent producers: a transaction that fails is aborted, so no duplicate survives.
      // kafkajs refuses an idempotent producer without retries, so it gets one at least.
      retry: { ...retry, retries: Math.max(1, retry.retries) },
    });
    const session = new TransactionalSession(transactionalId, producer);
    try {
      await producer.connect();
      // kafkajs sends InitProducerId with the first transaction; one with nothing in it ends locally.
      const first = await producer.transaction();
      await first.abort();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw session.#failure(error, 'Initializing the producer');
    }
    return session;
  }

  get state(): SessionState {
    return this.#state;
  }

  #failure(error: unknown, what: string): BrokerError {
    if (isFencing(error)) {
      this.#state = 'fenced';
      return new ProducerFencedError(this.transactionalId, error);
    }
    return kafkaError(error, `${what} (transactional id '${this.transactionalId}')`);
  }

  #endFailure(error: unknown, what: string): BrokerError {
    const failure = this.#failure(error, what);
    if (this.#state !== 'fenced') this.#state = 'broken';
    return failure;
  }

  #expect(state: SessionState, what: string): void {
    if (this.#state === 'fenced') throw new ProducerFencedError(this.transactionalId, new Error(`${what} after the producer was fenced`));
    if (this.#state === 'broken') {
      throw new BrokerError('INVALID_TXN_STATE', `Cannot ${what}: a commit or abort failed, so the session must be closed and opened again (transactional id '${this.transactionalId}').`);
    }
    if (this.#state !== state) throw new BrokerError('INVALID_TXN_STATE', `Cannot ${what} in state ${this.#state} (transactional id '${this.transactionalId}').`);
  }

  async begin(): Promise<void> {
    this.#expect('ready', 'begin a transaction');
    try {
      this.#transaction = await this.#producer.transaction();
      this.#state = 'in-transaction';
    } catch (error) {
      throw this.#failure(error, 'Beginning a transaction');
    }
  }

  /** Produces `records` to `topic` inside the open transaction, as one batch per partition; says where each batch went. */
  async send(topic: string, records: readonly ProducerRecord[]): Promise<ProducedPartition[]> {
    return (await this.sendTopics([{ topic, records }])).get(topic) ?? [];
  }

  /**
   * Produces the records of several topics inside the open transaction in
   * one request per leader (not one per topic: each is a round trip); says
   * per topic where each partition's batch went.
   */
  async sendTopics(batches: readonly { readonly topic: string; readonly records: readonly ProducerRecord[] }[]): Promise<Map<string, ProducedPartition[]>> {
    this.#expect('in-transaction', 'produce');
    const produced = new Map<string, ProducedPartition[]>();
    const topicMessages = batches.filter((b) => b.records.length > 0).map((b) => ({ topic: b.topic, messages: b.records.map(messageOf) }));
    if (topicMessages.length === 0) return produced;
    try {
      for (const p of await this.#transaction!.sendBatch({ acks: -1, topicMessages })) {
        const list = produced.get(p.topicName) ?? [];
        list.push({ partition: p.partition, baseOffset: Number(p.baseOffset) });
        produced.set(p.topicName, list);
      }
      return produced;
    } catch (error) {
      throw this.#failure(error, `Producing to topic${topicMessages.length === 1 ? '' : 's'} ${topicMessages.map((t) => `'${t.topic}'`).join(', ')}`);
    }
  }

  /** Adds the group's consumed offsets (the next offset to read, per partition) to the open transaction. */
  async sendOffsets(group: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#expect('in-transaction', 'send offsets');
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) {
      const list = byTopic.get(o.topic) ?? [];
      list.push({ partition: o.partition, offset: String(o.offset) });
      byTopic.set(o.topic, list);
    }
    try {
      await this.#transaction!.sendOffsets({ consumerGroupId: group, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
    } catch (error) {
      throw this.#failure(error, `Sending offsets of group '${group}'`);
    }
  }

  async commit(): Promise<void> {
    this.#expect('in-transaction', 'commit');
    try {
      await this.#transaction!.commit();
      this.#transaction = null;
      this.#state = 'ready';
    } catch (error) {
      throw this.#endFailure(error, 'Committing a transaction');
    }
  }

  /** Aborts the open transaction (after a failed send, say). */
  async abort(): Promise<void> {
    this.#expect('in-transaction', 'abort');
    try {
      await this.#transaction!.abort();
      this.#transaction = null;
      this.#state = 'ready';
    } catch (error) {
      throw this.#endFailure(error, 'Aborting a transaction');
    }
  }

  /** Disconnects; an open transaction is left to the cluster, which aborts it when the next producer of the id starts or its timeout passes. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#transaction = null;
    await this.#producer.disconnect();
  }
}
