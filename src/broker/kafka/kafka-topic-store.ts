/**
 * The engine's topics on a Kafka cluster (TopicStore). Reads answer from a
 * view of every topic (partitions with their log start and end as last
 * fetched, configs), fetched at open, again every `metadata.max.age.ms` in
 * the background, and on `refresh`; a change made through the store puts its
 * result in the view at once, so a statement right after a CREATE sees the
 * topic. While the cluster cannot be reached the last view stays and
 * `refresh` rejects, naming why.
 *
 * A refresh describes every topic, which takes a while; a change
 * made meanwhile is newer than what that refresh fetched, so the refresh
 * keeps the change's entry (or its absence) for that topic.
 *
 * Appends go through the client's idempotent producer. Partitions follow the
 * embedded log's rule, so a key lands where it would there: the record's own
 * partition, else Kafka's murmur2 of `partitionKey` or the key, else one
 * partition per call, taken in turn.
 */
import type { AppendedRecord, CreateTopicOptions, ProducerRecord, TopicConfig, TopicDescription } from '../broker.js';
import type { TopicStore } from '../topic-store.js';
import { createLogger } from '../../common/logger.js';
import { BrokerError, isBrokerError } from '../broker-error.js';
import { partitionForKey } from '../murmur2.js';
import { policyCompacts } from '../topic-config.js';
import type { PlacedRecord } from './idempotent-producer.js';
import type { KafkaClusterClient } from './kafka-cluster-client.js';

export interface KafkaTopicStoreOptions {
  /** How often the view is fetched again in the background (default the client's `metadata.max.age.ms`). */
  readonly refreshIntervalMs?: number;
  /** The time stamped on appended records that carry none (default Date.now). */
  readonly clock?: () => number;
}

/** Topics described at once while the view is fetched. */
const DESCRIBE_CONCURRENCY = 8;

const log = createLogger('kafka-topic-store');

function unknownTopic(name: string): BrokerError {
  return new BrokerError('UNKNOWN_TOPIC', `Topic '${name}' does not exist.`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every topic of the cluster described one by one, leaving out those deleted while it runs. */
async function describeEachTopic(client: KafkaClusterClient): Promise<Map<string, TopicDescription>> {
  const names = await client.admin.listTopics();
  const described = new Map<string, TopicDescription>();
  let next = 0;
  const describeRest = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++]!;
      try {
        described.set(name, await client.admin.describeTopic(name));
      } catch (error) {
        // Deleted since it was listed: kafkajs does not always say so by name.
        if (!isBrokerError(error, 'UNKNOWN_TOPIC') && (await client.admin.hasTopic(name))) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, names.length) }, describeRest));
  return new Map(names.filter((n) => described.has(n)).map((n) => [n, described.get(n)!]));
}

/**
 * Every topic of the cluster, described with a few requests; when a topic
 * is deleted meanwhile (which fails those requests as a whole), one by one.
 */
async function fetchView(client: KafkaClusterClient): Promise<Map<string, TopicDescription>> {
  try {
    try {
      return new Map((await client.admin.describeAllTopics()).map((d) => [d.name, d]));
    } catch (error) {
      if (!isBrokerError(error, 'UNKNOWN_TOPIC')) throw error;
      return await describeEachTopic(client);
    }
  } catch (error) {
    throw new BrokerError('KAFKA_CLUSTER', `Cannot fetch the topics of the Kafka cluster: ${messageOf(error)}`, error);
  }
}

function checkPartitionCount(name: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new BrokerError('INVALID_PARTITION', `Topic '${name}' needs a whole number of partitions of at least 1, not ${count}.`);
  }
}

export class KafkaTopicStore implements TopicStore {
  readonly #client: KafkaClusterClient;
  readonly #clock: () => number;
  #view: Map<string, TopicDescription>;
  /** Counts the changes made through the store; `#changedAt` says which change last touched a topic. */
  #changes = 0;
  readonly #changedAt = new Map<string, number>();
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** The partition of the next keyless append, modulo the topic's count. */
  #sticky = 0;
  #closed = false;

  private constructor(client: KafkaClusterClient, view: Map<string, TopicDescription>, clock: () => number) {
    this.#client = client;
    this.#view = view;
    this.#clock = clock;
  }

  /** Fetches the view (rejects when the cluster cannot be read) and keeps it fresh until `close`. */
  static async open(client: KafkaClusterClient, options: KafkaTopicStoreOptions = {}): Promise<KafkaTopicStore> {
    const store = new KafkaTopicStore(client, await fetchView(client), options.clock ?? Date.now);
    store.#timer = setInterval(() => {
      store.refresh().catch((error: unknown) => log.warn({ err: error }, 'Keeping the last view of the Kafka topics: %s', messageOf(error)));
    }, options.refreshIntervalMs ?? client.metadataMaxAgeMs);
    store.#timer.unref();
    return store;
  }

  hasTopic(name: string): boolean {
    return this.#view.has(name);
  }

  describeTopic(name: string): TopicDescription {
    const description = this.#view.get(name);
    if (description === undefined) throw unknownTopic(name);
    return description;
  }

  listTopics(): string[] {
    return [...this.#view.keys()].sort();
  }

  /** Fetches the view again; a call during a fetch waits for one that starts after it. */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.reject(new BrokerError('CLOSED', 'The topic store is closed.'));
    if (this.#queued !== null) return this.#queued;
    if (this.#running === null) return this.#startRefresh();
    const queued = this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = null;
        return this.#startRefresh();
      });
    this.#queued = queued;
    return queued;
  }

  #startRefresh(): Promise<void> {
    const since = this.#changes;
    const running = fetchView(this.#client)
      .then((fetched) => this.#adopt(fetched, since))
      .finally(() => {
        if (this.#running === running) this.#running = null;
      });
    this.#running = running;
    return running;
  }

  /** Takes `fetched` as the view, but for the topics changed through the store after change `since`. */
  #adopt(fetched: Map<string, TopicDescription>, since: number): void {
    for (const [name, change] of this.#changedAt) {
      if (change <= since) {
        this.#changedAt.delete(name);
        continue;
      }
      const current = this.#view.get(name);
      if (current === undefined) fetched.delete(name);
      else fetched.set(name, current);
    }
    this.#view = fetched;
  }

  /** Puts what a change made through the store left of `name` in the view: its description, or its absence. */
  #changed(name: string, description: TopicDescription | undefined): void {
    this.#changes += 1;
    this.#changedAt.set(name, this.#changes);
    if (description === undefined) this.#view.delete(name);
    else this.#view.set(name, description);
  }

  /** Runs a change of topic `name`; when the cluster says it has no such topic, the view forgets it too. */
  async #change<T>(name: string, action: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new BrokerError('CLOSED', 'The topic store is closed.');
    try {
      return await action();
    } catch (error) {
      if (isBrokerError(error, 'UNKNOWN_TOPIC')) {
        this.#changed(name, undefined);
        throw unknownTopic(name);
      }
      throw error;
    }
  }

  createTopic(name: string, options: CreateTopicOptions): Promise<TopicDescription> {
    return this.#change(name, async () => {
      checkPartitionCount(name, options.partitions);
      const description = await this.#client.admin.createTopic(name, options);
      this.#changed(name, description);
      return description;
    });
  }

  deleteTopic(name: string, options: { readonly ifExists?: boolean } = {}): Promise<boolean> {
    return this.#change(name, async () => {
      const deleted = await this.#client.admin.deleteTopic(name, options);
      this.#changed(name, undefined);
      if (deleted) await this.#client.topicDeleted(name);
      return deleted;
    });
  }

  alterTopicConfig(name: string, config: Partial<TopicConfig>): Promise<TopicDescription> {
    return this.#change(name, async () => {
      const description = await this.#client.admin.alterTopicConfig(name, config);
      this.#changed(name, description);
      return description;
    });
  }

  createPartitions(name: string, count: number): Promise<TopicDescription> {
    return this.#change(name, async () => {
      // Partitions are never removed, so a count the view already reaches is too few whatever the cluster holds now.
      const known = this.#view.get(name)?.partitions.length ?? 0;
      if (!Number.isSafeInteger(count) || count <= known) {
        throw new BrokerError('INVALID_PARTITION', `Topic '${name}' has ${known} partitions: it can only grow to more, not to ${count}.`);
      }
      const description = await this.#client.admin.createPartitions(name, count);
      this.#changed(name, description);
      return description;
    });
  }

  /** The topic as the view holds it, else as the cluster describes it now (created by another client since the last fetch). */
  async #known(topic: string): Promise<TopicDescription> {
    const known = this.#view.get(topic);
    if (known !== undefined) return known;
    return this.#change(topic, async () => {
      const description = await this.#client.admin.describeTopic(topic);
      this.#changed(topic, description);
      return description;
    });
  }

  async append(topic: string, records: readonly ProducerRecord[]): Promise<AppendedRecord[]> {
    if (this.#closed) throw new BrokerError('CLOSED', 'The topic store is closed.');
    const description = await this.#known(topic);
    if (records.length === 0) return [];
    const placed = this.#place(description, records);
    return this.#change(topic, () => this.#client.produce(topic, placed));
  }

  /** Each record with its partition and timestamp, checked as the embedded log checks them. */
  #place(description: TopicDescription, records: readonly ProducerRecord[]): PlacedRecord[] {
    const { name, config } = description;
    const count = description.partitions.length;
    const now = this.#clock();
    let sticky = -1;
    return records.map((record) => {
      let partition: number;
      if (record.partition !== undefined) {
        partition = record.partition;
        if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
          throw new BrokerError('INVALID_PARTITION', `Topic '${name}' has no partition ${partition}: it has partitions 0 to ${count - 1}.`);
        }
      } else if (record.key !== null) {
        partition = count === 1 ? 0 : partitionForKey(record.partitionKey ?? record.key, count);
      } else {
        if (sticky < 0) sticky = this.#sticky++ % count;
        partition = sticky;
      }
      if (record.key === null && policyCompacts(config)) {
        throw new BrokerError('INVALID_RECORD', `Compacted topic '${name}' cannot accept a record without a key.`);
      }
      const timestamp = record.timestamp ?? now;
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new BrokerError('INVALID_RECORD', `Invalid timestamp ${timestamp} for a record to '${name}': expected epoch milliseconds >= 0.`);
      }
      return { ...record, partition, timestamp };
    });
  }

  async offsets(topic: string, partition: number): Promise<{ readonly start: number; readonly end: number }> {
    if (this.#closed) throw new BrokerError('CLOSED', 'The topic store is closed.');
    const count = (await this.#known(topic)).partitions.length;
    if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
      throw new BrokerError('INVALID_PARTITION', `Topic '${topic}' has no partition ${partition}: it has partitions 0 to ${count - 1}.`);
    }
    return this.#client.admin.partitionOffsets(topic, partition);
  }

  /** Stops the background refresh; the client stays open for its owner to close. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
