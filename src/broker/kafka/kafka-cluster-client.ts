/**
 * ksqlite's client of a Kafka cluster (Apache Kafka, Redpanda, Confluent
 * Cloud, or ksqlite's own Kafka listener), over kafkajs: connected from
 * Kafka's client properties (`kafka-client-settings.ts`), it offers topic
 * administration, transactional sessions for tasks, an idempotent producer,
 * read_committed partition fetches, all asynchronous and a batch at a time,
 * and persistent queries' group memberships.
 */
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kafkaError } from './kafka-errors.js';
import { parseKafkaClientSettings } from './kafka-client-settings.js';
import { KafkaTopicAdmin } from './kafka-topic-admin.js';
import { EARLIEST_TIMESTAMP, KafkajsCluster, LATEST_TIMESTAMP, READ_COMMITTED } from './kafkajs-cluster.js';
import { registerReadCodecs } from './kafkajs-codecs.js';
import { QueryGroupMembership, type QueryGroupMembershipOptions } from './query-group-membership.js';
import type { AppendedRecord } from '../broker.js';
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { isBrokerError } from '../broker-error.js';
import { IdempotentProducer, type PlacedRecord } from './idempotent-producer.js';
import { fetchPartition, type PartitionFetchOptions, type PartitionFetchResult } from './partition-fetcher.js';
import { TransactionalSession, type RetrySettings, type TransactionalSessionOptions } from './transactional-session.js';

export class KafkaClusterClient {
  readonly admin: KafkaTopicAdmin;
  /** `metadata.max.age.ms`: how often the topic store fetches the cluster's topics again. */
  readonly metadataMaxAgeMs: number;
  readonly #kafka: Kafka;
  readonly #close: () => Promise<void>;
  readonly #cluster: KafkajsCluster;
  /** Connections of their own for fetches that may wait: a broker answers a connection's requests in order, so a long poll there would hold up every request behind it. */
  readonly #waitingCluster: KafkajsCluster;
  readonly #sessions = new Set<TransactionalSession>();
  readonly #memberships = new Set<QueryGroupMembership>();
  readonly #config: KafkaConfig;
  #producer: Promise<IdempotentProducer> | null = null;
  readonly #retry: RetrySettings;

  private constructor(kafka: Kafka, config: KafkaConfig, retry: RetrySettings, metadataMaxAgeMs: number, admin: KafkaTopicAdmin, clusters: { readonly cluster: KafkajsCluster; readonly waiting: KafkajsCluster }, close: () => Promise<void>) {
    this.#kafka = kafka;
    this.#config = config;
    this.#retry = retry;
    this.metadataMaxAgeMs = metadataMaxAgeMs;
    this.admin = admin;
    this.#cluster = clusters.cluster;
    this.#waitingCluster = clusters.waiting;
    this.#close = close;
  }

  /** Connects to the cluster `properties` name (Kafka's client property names; a bad or unknown one is a BrokerError). */
  static async connect(properties: Readonly<Record<string, string>>): Promise<KafkaClusterClient> {
    const settings = parseKafkaClientSettings(properties);
    registerReadCodecs();
    // kafkajs' own log stays silent: its failures reach callers as BrokerErrors.
    const kafka = new Kafka({ ...settings.client, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const cluster = new KafkajsCluster(settings.client);
    const waiting = new KafkajsCluster(settings.client);
    const disconnect = async (): Promise<void> => {
      await Promise.allSettled([admin.disconnect(), cluster.disconnect(), waiting.disconnect()]);
    };
    try {
      await admin.connect();
      await cluster.connect();
      await waiting.connect();
    } catch (error) {
      await disconnect();
      throw kafkaError(error, `Connecting to ${String(settings.client.brokers)}`);
    }
    return new KafkaClusterClient(kafka, settings.client, settings.retry, settings.metadataMaxAgeMs, new KafkaTopicAdmin(admin, cluster, settings.replicationFactor), { cluster, waiting }, disconnect);
  }

  /** Opens the transactional producer of `transactionalId`, fencing older ones. */
  async openSession(transactionalId: string, options: TransactionalSessionOptions = {}): Promise<TransactionalSession> {
    const session = await TransactionalSession.open(this.#kafka, transactionalId, this.#retry, options);
    // Sessions come and go (one per command append): only the open ones are kept for `close`.
    for (const known of this.#sessions) if (known.state === 'closed') this.#sessions.delete(known);
    this.#sessions.add(session);
    return session;
  }

  /** Joins a persistent query's consumer group, on connections of its own (a JoinGroup waits for the whole group). */
  async joinQueryGroup(options: QueryGroupMembershipOptions): Promise<QueryGroupMembership> {
    const membership = await QueryGroupMembership.join(this.#config, options);
    // Queries join and leave (TERMINATE, a retry): only the memberships not left are kept for `close`.
    for (const known of this.#memberships) if (known.left) this.#memberships.delete(known);
    this.#memberships.add(membership);
    return membership;
  }

  /**
   * Produces `records` (partitions and timestamps chosen) with the client's
   * idempotent producer, connected on first use; resolves with where each went.
   */
  async produce(topic: string, records: readonly PlacedRecord[]): Promise<AppendedRecord[]> {
    const producer = await this.#currentProducer();
    try {
      return await producer.send(topic, records);
    } catch (error) {
      // kafkajs' producer refreshes the metadata of every topic it ever wrote to, and once one of them is deleted all
      // its sends fail there, before producing anything (kafkajs issue 1622): a new producer knows only this topic.
      if (isBrokerError(error, 'UNKNOWN_TOPIC')) await this.#replaceProducer(producer);
      // Replaced meanwhile (`topicDeleted`): the send was refused before it went out.
      else if (!producer.closed) throw error;
      return (await this.#currentProducer()).send(topic, records);
    }
  }

  /** Says `topic` was deleted: a producer that wrote to it is replaced now rather than after its next send failed (which takes its retries). */
  async topicDeleted(topic: string): Promise<void> {
    const producer = await this.#producer?.catch(() => null);
    if (producer?.wroteTo(topic) === true) await this.#replaceProducer(producer);
  }

  async #replaceProducer(producer: IdempotentProducer): Promise<void> {
    const current = this.#producer;
    if (current !== null && (await current.catch(() => null)) === producer && this.#producer === current) this.#producer = null;
    await producer.close().catch(() => undefined);
  }

  #currentProducer(): Promise<IdempotentProducer> {
    if (this.#producer === null) {
      const opening = IdempotentProducer.open(this.#kafka, this.#retry);
      this.#producer = opening;
      // A failed connect is tried again by the next produce.
      opening.catch(() => {
        if (this.#producer === opening) this.#producer = null;
      });
    }
    return this.#producer;
  }

  /**
   * Commits `offsets` for `group` outside a transaction (OffsetCommit): as
   * this server's member of the group when it joined it (the coordinator
   * takes commits only from the current generation then), else outside any
   * generation, which a group without members takes.
   */
  async commitGroupOffsets(group: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const membership = [...this.#memberships].find((m) => m.groupId === group && !m.left);
    if (membership !== undefined) return membership.commitOffsets(offsets);
    const topics = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) topics.set(o.topic, [...(topics.get(o.topic) ?? []), { partition: o.partition, offset: String(o.offset) }]);
    try {
      const coordinator = await this.#cluster.groupCoordinator(group);
      await coordinator.offsetCommit({ groupId: group, groupGenerationId: -1, memberId: '', retentionTime: -1, topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) });
    } catch (error) {
      throw kafkaError(error, `Committing the offsets of group '${group}'`);
    }
  }

  /** One read_committed batch of `partition` from `fromOffset`. */
  fetch(topic: string, partition: number, fromOffset: number, options: PartitionFetchOptions = {}): Promise<PartitionFetchResult> {
    return fetchPartition((options.maxWaitMs ?? 0) > 0 ? this.#waitingCluster : this.#cluster, topic, partition, fromOffset, options);
  }

  /** The partition's log start (`earliest`) or read_committed end, the last stable offset (`latest`), asked of its leader now. */
  async listOffset(topic: string, partition: number, at: 'earliest' | 'latest'): Promise<number> {
    try {
      const offsets = await this.#cluster.listOffsets(topic, [partition], at === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP, READ_COMMITTED);
      return offsets.get(partition) ?? 0;
    } catch (error) {
      throw kafkaError(error, `Listing the ${at} offset of partition ${partition} of topic '${topic}'`);
    }
  }

  /** The partitions of `topic` now (asked of the cluster). */
  async partitionCount(topic: string): Promise<number> {
    try {
      return (await this.#cluster.partitions(topic)).length;
    } catch (error) {
      throw kafkaError(error, `Reading the partitions of topic '${topic}'`);
    }
  }

  /** Leaves every query group it joined, closes every session it opened, its producer and its connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#memberships].map((m) => m.leave()));
    this.#memberships.clear();
    const producer = this.#producer;
    this.#producer = null;
    await Promise.allSettled([...this.#sessions].map((s) => s.close()));
    await producer?.then((p) => p.close()).catch(() => undefined);
    this.#sessions.clear();
    await this.#close();
  }
}
