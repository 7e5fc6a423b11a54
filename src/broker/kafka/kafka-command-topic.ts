/**
 * The command topic on a Kafka cluster (CommandTopic), kept as ksqlDB keeps
 * its own: created when missing with one partition, kept forever
 * (`retention.ms=-1`, `cleanup.policy=delete`), the client's replication
 * factor, `min.insync.replicas` (ksqlDB's `ksql.internal.topic.min.insync.replicas`)
 * and no unclean leader election; an existing one must have one partition
 * and gets its retention and cleanup policy set back when they differ.
 *
 * Every append opens the transactional producer whose transactional.id is
 * the service id. Its InitProducerId fences the producer of any other
 * server's open append and completes or aborts that server's transaction,
 * so the committed end read right after it covers every command written
 * before; the fenced append's write then fails as ProducerFencedError.
 *
 * Opening checks that the cluster lets this server append (it opens that
 * producer once), before any command is read: a cluster that refuses the
 * transactional id or the topic, as its ACLs would, stops the server with
 * an error naming the service id and what to do. That is also what a
 * ksqlite server's Kafka listener answers a server of its own service id
 * (kafka-protocol/reserved-resources.ts): such a server would otherwise
 * apply that server's commands and run its queries beside it.
 */
import type { FetchResult } from '../broker.js';
import type { CommandAppend, CommandTopic } from '../command-topic.js';
import { BrokerError } from '../broker-error.js';
import type { KafkaClusterClient } from './kafka-cluster-client.js';
import { kafkaTypeOf } from './kafka-errors.js';
import type { TransactionalSession } from './transactional-session.js';

export interface KafkaCommandTopicOptions {
  /** `min.insync.replicas` of the topic when it is created (default 1, as ksqlDB's). */
  readonly minInsyncReplicas?: number;
  /** How long `read` waits on the leader for a command when there is none (default 500 ms). */
  readonly pollMs?: number;
}

const COMMAND_TOPIC_CONFIG = { 'retention.ms': -1, 'cleanup.policy': 'delete' } as const;
const DEFAULT_POLL_MS = 500;

/** ksqlDB's name of the command topic of `serviceId`. */
export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

const AUTHORIZATION_FAILURES: ReadonlySet<string> = new Set(['TOPIC_AUTHORIZATION_FAILED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED']);

/** `error` as the cluster's refusal to let this server append to its command topic, when it is one; else `error`. */
function refusalOf(error: unknown, topic: string, serviceId: string): unknown {
  const type = kafkaTypeOf(error);
  if (type === undefined || !AUTHORIZATION_FAILURES.has(type)) return error;
  return new BrokerError('KAFKA_CLUSTER',
    `This server cannot write to its command topic '${topic}' (ksql.service.id '${serviceId}'): the cluster refused it (${type}). ` +
    `Either the cluster is the Kafka listener of a ksqlite server that runs service id '${serviceId}' itself, or its ACLs do not let ` +
    `this server write that topic under the transactional id '${serviceId}'. Give this server a ksql.service.id of its own, or grant it those rights.`,
    error);
}

async function ensureCommandTopic(client: KafkaClusterClient, topic: string, minInsyncReplicas: number): Promise<void> {
  const description = await client.admin.createTopic(
    topic,
    { partitions: 1, config: COMMAND_TOPIC_CONFIG, ifNotExists: true },
    { 'min.insync.replicas': String(minInsyncReplicas), 'unclean.leader.election.enable': 'false' },
  );
  if (description.partitions.length !== 1) {
    throw new BrokerError('INVALID_PARTITION', `Invalid partition count on command topic '${topic}': expected 1, but it has ${description.partitions.length}.`);
  }
  const { config } = description;
  if (config['retention.ms'] !== COMMAND_TOPIC_CONFIG['retention.ms'] || config['cleanup.policy'] !== COMMAND_TOPIC_CONFIG['cleanup.policy']) {
    await client.admin.alterTopicConfig(topic, COMMAND_TOPIC_CONFIG);
  }
}

class KafkaCommandAppend implements CommandAppend {
  readonly end: number;
  readonly #session: TransactionalSession;
  readonly #topic: string;
  readonly #finished: (append: KafkaCommandAppend) => void;
  readonly #refusalOf: (error: unknown) => unknown;
  #done = false;

  constructor(session: TransactionalSession, topic: string, end: number, finished: (append: KafkaCommandAppend) => void, refusalOf: (error: unknown) => unknown) {
    this.#session = session;
    this.#topic = topic;
    this.end = end;
    this.#finished = finished;
    this.#refusalOf = refusalOf;
  }

  #take(what: string): void {
    if (this.#done) throw new BrokerError('INVALID_TXN_STATE', `Cannot ${what}: this command append is already finished; begin another.`);
    this.#done = true;
  }

  async write(value: Buffer): Promise<number> {
    this.#take('write a command');
    try {
      const [produced] = await this.#session.send(this.#topic, [{ key: null, value, partition: 0 }]);
      await this.#session.commit();
      return produced!.baseOffset;
    } catch (error) {
      // An open transaction would hold back every reader of the topic until it timed out.
      if (this.#session.state === 'in-transaction') await this.#session.abort().catch(() => undefined);
      throw this.#refusalOf(error);
    } finally {
      await this.close();
    }
  }

  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      if (this.#session.state === 'in-transaction') await this.#session.abort();
    } finally {
      await this.close();
    }
  }

  /** Closes the producer (the command topic's `close` does it for an append left open). */
  async close(): Promise<void> {
    this.#done = true;
    this.#finished(this);
    await this.#session.close();
  }
}

export class KafkaCommandTopic implements CommandTopic {
  readonly topic: string;
  readonly #client: KafkaClusterClient;
  readonly #transactionalId: string;
  readonly #pollMs: number;
  readonly #refusalOf: (error: unknown) => unknown;
  readonly #open = new Set<KafkaCommandAppend>();

  private constructor(client: KafkaClusterClient, serviceId: string, pollMs: number) {
    this.#client = client;
    this.topic = commandTopicName(serviceId);
    this.#transactionalId = serviceId;
    this.#pollMs = pollMs;
    this.#refusalOf = (error) => refusalOf(error, this.topic, serviceId);
  }

  /** The command topic of `serviceId`, created first when the cluster has none. */
  static async open(client: KafkaClusterClient, serviceId: string, options: KafkaCommandTopicOptions = {}): Promise<KafkaCommandTopic> {
    const commandTopic = new KafkaCommandTopic(client, serviceId, options.pollMs ?? DEFAULT_POLL_MS);
    await ensureCommandTopic(client, commandTopic.topic, options.minInsyncReplicas ?? 1);
    await (await commandTopic.#openProducer()).close();
    return commandTopic;
  }

  /** The producer of the command topic's appends; a cluster that refuses it rejects with what to do. */
  async #openProducer(): Promise<TransactionalSession> {
    try {
      return await this.#client.openSession(this.#transactionalId);
    } catch (error) {
      throw this.#refusalOf(error);
    }
  }

  async read(fromOffset: number): Promise<FetchResult> {
    const { records, nextOffset } = await this.#client.fetch(this.topic, 0, fromOffset, { maxWaitMs: this.#pollMs });
    return { records, nextOffset };
  }

  async beginAppend(): Promise<CommandAppend> {
    const session = await this.#openProducer();
    let end: number;
    try {
      await session.begin();
      ({ end } = await this.#client.admin.partitionOffsets(this.topic, 0));
    } catch (error) {
      await session.close();
      throw error;
    }
    const append = new KafkaCommandAppend(session, this.topic, end, (finished) => this.#open.delete(finished), this.#refusalOf);
    this.#open.add(append);
    return append;
  }

  /** Closes the producers of appends left open; the client stays open for its owner to close. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#open].map((append) => append.close()));
  }
}
