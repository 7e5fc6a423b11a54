/**
 * ksqlite's client of a Kafka cluster (Apache Kafka, Redpanda, Confluent
 * Cloud, or ksqlite's own Kafka listener), over kafkajs: connected from
 * Kafka's client properties (`kafka-client-settings.ts`), it offers topic
 * administration, transactional sessions for tasks, read_committed
 * partition fetches, all asynchronous and a batch at a time, and persistent
 * queries' group memberships.
 */
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kafkaError } from './kafka-errors.js';
import { parseKafkaClientSettings } from './kafka-client-settings.js';
import { KafkaTopicAdmin } from './kafka-topic-admin.js';
import { KafkajsCluster } from './kafkajs-cluster.js';
import { registerReadCodecs } from './kafkajs-codecs.js';
import { QueryGroupMembership, type QueryGroupMembershipOptions } from './query-group-membership.js';
import { fetchPartition, type PartitionFetchOptions, type PartitionFetchResult } from './partition-fetcher.js';
import { TransactionalSession, type RetrySettings, type TransactionalSessionOptions } from './transactional-session.js';

export class KafkaClusterClient {
  readonly admin: KafkaTopicAdmin;
  readonly #kafka: Kafka;
  readonly #close: () => Promise<void>;
  readonly #cluster: KafkajsCluster;
  readonly #sessions = new Set<TransactionalSession>();
  readonly #memberships = new Set<QueryGroupMembership>();
  readonly #config: KafkaConfig;
  readonly #retry: RetrySettings;

  private constructor(kafka: Kafka, config: KafkaConfig, retry: RetrySettings, admin: KafkaTopicAdmin, cluster: KafkajsCluster, close: () => Promise<void>) {
    this.#kafka = kafka;
    this.#config = config;
    this.#retry = retry;
    this.admin = admin;
    this.#cluster = cluster;
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
    try {
      await admin.connect();
      await cluster.connect();
    } catch (error) {
      await Promise.allSettled([admin.disconnect(), cluster.disconnect()]);
      throw kafkaError(error, `Connecting to ${String(settings.client.brokers)}`);
    }
    const close = async (): Promise<void> => {
      await Promise.allSettled([admin.disconnect(), cluster.disconnect()]);
    };
    return new KafkaClusterClient(kafka, settings.client, settings.retry, new KafkaTopicAdmin(admin, cluster, settings.replicationFactor), cluster, close);
  }

  /** Opens the transactional producer of `transactionalId`, fencing older ones. */
  async openSession(transactionalId: string, options: TransactionalSessionOptions = {}): Promise<TransactionalSession> {
    const session = await TransactionalSession.open(this.#kafka, transactionalId, this.#retry, options);
    this.#sessions.add(session);
    return session;
  }

  /** Joins a persistent query's consumer group, on connections of its own (a JoinGroup waits for the whole group). */
  async joinQueryGroup(options: QueryGroupMembershipOptions): Promise<QueryGroupMembership> {
    const membership = await QueryGroupMembership.join(this.#config, options);
    this.#memberships.add(membership);
    return membership;
  }

  /** One read_committed batch of `partition` from `fromOffset`. */
  fetch(topic: string, partition: number, fromOffset: number, options: PartitionFetchOptions = {}): Promise<PartitionFetchResult> {
    return fetchPartition(this.#cluster, topic, partition, fromOffset, options);
  }

  /** Leaves every query group it joined, closes every session it opened and its connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#memberships].map((m) => m.leave()));
    this.#memberships.clear();
    await Promise.allSettled([...this.#sessions].map((s) => s.close()));
    this.#sessions.clear();
    await this.#close();
  }
}
