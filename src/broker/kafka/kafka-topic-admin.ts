/**
 * Topics, their configs and offsets, and groups' committed offsets on a Kafka
 * cluster, in the log's own types (TopicDescription, TopicConfig,
 * TopicPartitionOffset) and errors (BrokerError). Every call is one or a few
 * admin requests; nothing is cached, so what it answers is what the cluster
 * holds now.
 */
import type { Admin } from 'kafkajs';
import type { CreateTopicOptions, PartitionDescription, TopicDescription } from '../broker.js';
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { parseTopicConfig, resolveTopicConfig, validateTopicName, type TopicConfig } from '../topic-config.js';
import { kafkaError, kafkaTypeOf } from './kafka-errors.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, READ_COMMITTED, READ_UNCOMMITTED, type KafkajsCluster } from './kafkajs-cluster.js';

/** kafkajs' ConfigResourceTypes.TOPIC. */
const TOPIC_RESOURCE = 2;
/** DescribeConfigs' source of a value set on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;
const TOPIC_CONFIG_NAMES: readonly (keyof TopicConfig)[] = [
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'delete.retention.ms',
  'message.timestamp.type',
  'max.message.bytes',
];

function configEntries(config: Partial<TopicConfig>): { name: string; value: string }[] {
  return Object.entries(parseTopicConfig(config)).map(([name, value]) => ({ name, value: String(value) }));
}

export class KafkaTopicAdmin {
  readonly #admin: Admin;
  readonly #cluster: KafkajsCluster;
  readonly #replicationFactor: number;

  constructor(admin: Admin, cluster: KafkajsCluster, replicationFactor: number) {
    this.#admin = admin;
    this.#cluster = cluster;
    this.#replicationFactor = replicationFactor;
  }

  async #attempt<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw kafkaError(error, what);
    }
  }

  /**
   * `clusterConfig`: Kafka topic configs the log does not model (such as
   * `min.insync.replicas`), sent to the cluster as given.
   */
  async createTopic(name: string, options: CreateTopicOptions, clusterConfig: Readonly<Record<string, string>> = {}): Promise<TopicDescription> {
    validateTopicName(name);
    const configEntriesToSet = [...configEntries(options.config ?? {}), ...Object.entries(clusterConfig).map(([n, value]) => ({ name: n, value }))];
    const created = await this.#attempt(`Creating topic '${name}'`, () =>
      this.#admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: name, numPartitions: options.partitions, replicationFactor: this.#replicationFactor, configEntries: configEntriesToSet }],
      }),
    );
    if (!created && options.ifNotExists !== true) throw kafkaError({ type: 'TOPIC_ALREADY_EXISTS', message: `Topic '${name}' already exists.` }, `Creating topic '${name}'`);
    return this.describeTopic(name);
  }

  /** Returns false when the topic did not exist and `ifExists` was set. */
  async deleteTopic(name: string, options: { readonly ifExists?: boolean } = {}): Promise<boolean> {
    // kafkajs retries UNKNOWN_TOPIC_OR_PARTITION for seconds: a missing topic is found first.
    if (!(await this.hasTopic(name))) {
      if (options.ifExists === true) return false;
      throw kafkaError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', message: `Topic '${name}' does not exist.` }, `Deleting topic '${name}'`);
    }
    await this.#attempt(`Deleting topic '${name}'`, () => this.#admin.deleteTopics({ topics: [name] }));
    this.#cluster.refresh();
    return true;
  }

  async hasTopic(name: string): Promise<boolean> {
    return (await this.listTopics()).includes(name);
  }

  /** Topic names in ascending order. */
  async listTopics(): Promise<string[]> {
    return (await this.#attempt('Listing topics', () => this.#admin.listTopics())).sort();
  }

  async describeTopic(name: string): Promise<TopicDescription> {
    const partitionIds = await this.#attempt(`Describing topic '${name}'`, () => this.#cluster.partitions(name));
    const [starts, ends, config] = await this.#attempt(`Describing topic '${name}'`, () =>
      Promise.all([
        this.#cluster.listOffsets(name, partitionIds, EARLIEST_TIMESTAMP, READ_UNCOMMITTED),
        this.#cluster.listOffsets(name, partitionIds, LATEST_TIMESTAMP, READ_UNCOMMITTED),
        this.#topicConfig(name),
      ]),
    );
    const partitions: PartitionDescription[] = partitionIds.map((partition) => ({
      partition,
      logStartOffset: starts.get(partition) ?? 0,
      logEndOffset: ends.get(partition) ?? 0,
    }));
    return { name, partitions, config };
  }

  /**
   * Every topic of the cluster, described with a few requests whatever their
   * number (one Metadata, one DescribeConfigs, two ListOffsets per leader).
   * Fails as a whole, UNKNOWN_TOPIC among others when a topic is deleted meanwhile.
   */
  async describeAllTopics(): Promise<TopicDescription[]> {
    return this.#attempt('Describing every topic', async () => {
      const partitionsByTopic = await this.#cluster.allTopics();
      const names = [...partitionsByTopic.keys()].sort();
      if (names.length === 0) return [];
      const [starts, ends, configs] = await Promise.all([
        this.#cluster.listOffsetsOfTopics(partitionsByTopic, EARLIEST_TIMESTAMP, READ_UNCOMMITTED),
        this.#cluster.listOffsetsOfTopics(partitionsByTopic, LATEST_TIMESTAMP, READ_UNCOMMITTED),
        this.#topicConfigs(names),
      ]);
      return names.map((name) => ({
        name,
        partitions: partitionsByTopic.get(name)!.map((partition) => ({
          partition,
          logStartOffset: starts.get(name)?.get(partition) ?? 0,
          logEndOffset: ends.get(name)?.get(partition) ?? 0,
        })),
        config: configs.get(name) ?? resolveTopicConfig(),
      }));
    });
  }

  /** Every config the cluster reports for the topics, and whether it was set on the topic; by topic. */
  async #describeConfigs(names: readonly string[]): Promise<Map<string, { name: string; value: string; setOnTopic: boolean }[]>> {
    const response = await this.#admin.describeConfigs({ includeSynonyms: false, resources: names.map((name) => ({ type: TOPIC_RESOURCE, name })) });
    return new Map(
      response.resources.map((resource) => [
        resource.resourceName,
        resource.configEntries.map((entry) => ({
          name: entry.configName,
          value: entry.configValue,
          // DescribeConfigs v0 has no source, only whether the value is the default.
          setOnTopic: entry.configSource === undefined ? !entry.isDefault : Number(entry.configSource) === DYNAMIC_TOPIC_CONFIG,
        })),
      ]),
    );
  }

  async #topicConfigs(names: readonly string[]): Promise<Map<string, TopicConfig>> {
    const configs = new Map<string, TopicConfig>();
    for (const [name, entries] of await this.#describeConfigs(names)) {
      const reported: Record<string, string> = {};
      for (const entry of entries) {
        if ((TOPIC_CONFIG_NAMES as readonly string[]).includes(entry.name)) reported[entry.name] = entry.value;
      }
      configs.set(name, resolveTopicConfig(parseTopicConfig(reported)));
    }
    return configs;
  }

  async #topicConfig(name: string): Promise<TopicConfig> {
    return (await this.#topicConfigs([name])).get(name) ?? resolveTopicConfig();
  }

  /**
   * Sets `config` on the topic, keeping its other topic-level settings: kafkajs
   * speaks AlterConfigs (which replaces the whole set), not the incremental
   * kind, so the current ones are read and sent back with the change.
   */
  async alterTopicConfig(name: string, config: Partial<TopicConfig>): Promise<TopicDescription> {
    const changes = configEntries(config);
    await this.#attempt(`Altering the config of topic '${name}'`, async () => {
      const current = ((await this.#describeConfigs([name])).get(name) ?? []).filter((entry) => entry.setOnTopic && !changes.some((c) => c.name === entry.name));
      await this.#admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: TOPIC_RESOURCE, name, configEntries: [...current.map(({ name: n, value }) => ({ name: n, value })), ...changes] }],
      });
    });
    return this.describeTopic(name);
  }

  /** Grows the topic to `count` partitions. */
  async createPartitions(name: string, count: number): Promise<TopicDescription> {
    await this.#attempt(`Adding partitions to topic '${name}'`, () => this.#admin.createPartitions({ topicPartitions: [{ topic: name, count }] }));
    this.#cluster.refresh();
    return this.describeTopic(name);
  }

  /** Moves the partition's log start up to `beforeOffset`; returns the log start after the call. */
  async deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<number> {
    return this.#attempt(`Deleting records of partition ${partition} of topic '${topic}' before offset ${beforeOffset}`, async () => {
      await this.#cluster.deleteRecords(topic, partition, beforeOffset);
      const starts = await this.#cluster.listOffsets(topic, [partition], EARLIEST_TIMESTAMP, READ_UNCOMMITTED);
      return starts.get(partition) ?? 0;
    });
  }

  /**
   * Per partition of `topic`, where reading ends: the log end offset (high
   * watermark), or read_committed the last stable offset.
   */
  async endOffsets(topic: string, isolation: 'read_committed' | 'read_uncommitted' = 'read_uncommitted'): Promise<TopicPartitionOffset[]> {
    return this.#attempt(`Reading the end offsets of topic '${topic}'`, async () => {
      const partitionIds = await this.#cluster.partitions(topic);
      const ends = await this.#cluster.listOffsets(topic, partitionIds, LATEST_TIMESTAMP, isolation === 'read_committed' ? READ_COMMITTED : READ_UNCOMMITTED);
      return partitionIds.map((partition) => ({ topic, partition, offset: ends.get(partition) ?? 0 }));
    });
  }

  /** The partition's log start and read_committed end (its last stable offset), asked of its leader now. */
  async partitionOffsets(topic: string, partition: number): Promise<{ start: number; end: number }> {
    return this.#attempt(`Reading the offsets of partition ${partition} of topic '${topic}'`, async () => {
      const [starts, ends] = await Promise.all([
        this.#cluster.listOffsets(topic, [partition], EARLIEST_TIMESTAMP, READ_UNCOMMITTED),
        this.#cluster.listOffsets(topic, [partition], LATEST_TIMESTAMP, READ_COMMITTED),
      ]);
      return { start: starts.get(partition) ?? 0, end: ends.get(partition) ?? 0 };
    });
  }

  /** Deletes an empty group and its committed offsets; a group the cluster does not know is already gone. */
  async deleteGroup(group: string): Promise<void> {
    try {
      await this.#admin.deleteGroups([group]);
    } catch (error) {
      // kafkajs names each group's own error in `groups`.
      const failures = (error as { groups?: readonly { error?: unknown }[] }).groups ?? [];
      if (failures.length > 0 && failures.every((g) => kafkaTypeOf(g.error) === 'GROUP_ID_NOT_FOUND')) return;
      throw kafkaError(error, `Deleting group '${group}'`);
    }
  }

  /** The group's committed offsets, by topic then partition; partitions it never committed are left out. */
  async committedOffsets(group: string): Promise<TopicPartitionOffset[]> {
    const fetched = await this.#attempt(`Reading the committed offsets of group '${group}'`, () => this.#admin.fetchOffsets({ groupId: group }));
    return fetched
      .flatMap(({ topic, partitions }) => partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })))
      .filter((o) => o.offset >= 0)
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }
}
