/**
 * ksqlite's client of a Kafka cluster (Apache Kafka, Redpanda, Confluent
 * Cloud, or ksqlite's own Kafka listener), over kafkajs: connected from
 * Kafka's client properties (`kafka-client-settings.ts`), it offers topic
 * administration, transactional sessions for tasks and read_committed
 * partition fetches, all asynchronous and a batch at a time.
 */
import { Kafka, logLevel } from 'kafkajs';
import { kafkaError } from './kafka-errors.js';
import { parseKafkaClientSettings } from './kafka-client-settings.js';
import { KafkaTopicAdmin } from './kafka-topic-admin.js';
import { EARLIEST_TIMESTAMP, KafkajsCluster, LATEST_TIMESTAMP, READ_COMMITTED } from './kafkajs-cluster.js';
import { registerReadCodecs } from './kafkajs-codecs.js';
import { fetchPartition, type PartitionFetchOptions, type PartitionFetchResult } from './partition-fetcher.js';
import { TransactionalSession, type RetrySettings, type TransactionalSessionOptions } from './transactional-session.js';

export class KafkaClusterClient {
  readonly admin: KafkaTopicAdmin;
  readonly #kafka: Kafka;
  readonly #close: () => Promise<void>;
  readonly #cluster: KafkajsCluster;
  readonly #sessions = new Set<TransactionalSession>();
  readonly #retry: RetrySettings;

  private constructor(kafka: Kafka, retry: RetrySettings, admin: KafkaTopicAdmin, cluster: KafkajsCluster, close: () => Promise<void>) {
    this.#kafka = kafka;
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
    return new KafkaClusterClient(kafka, settings.retry, new KafkaTopicAdmin(admin, cluster, settings.replicationFactor), cluster, close);
  }

  /** Opens the transactional producer of `transactionalId`, fencing older ones. */
  async openSession(transactionalId: string, options: TransactionalSessionOptions = {}): Promise<TransactionalSession> {
    const session = await TransactionalSession.open(this.#kafka, transactionalId, this.#retry, options);
    this.#sessions.add(session);
    return session;
  }

  /** One read_committed batch of `partition` from `fromOffset`. */
  fetch(topic: string, partition: number, fromOffset: number, options: PartitionFetchOptions = {}): Promise<PartitionFetchResult> {
    return fetchPartition(this.#cluster, topic, partition, fromOffset, options);
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

  /** Closes every session it opened and its connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#sessions].map((s) => s.close()));
    this.#sessions.clear();
    await this.#close();
  }
}
