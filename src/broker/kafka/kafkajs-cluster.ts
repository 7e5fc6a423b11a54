/**
 * kafkajs' own cluster and broker classes, which its consumer uses under the
 * hood, typed for the requests kafkajs offers no public call for: a Fetch
 * of one partition from an offset (its consumer only reads through a group),
 * ListOffsets with a chosen isolation level (its admin always asks
 * read_committed, which answers the last stable offset, not the log end) and
 * the group APIs with a protocol type and metadata of ksqlite's own (its
 * consumer speaks only the consumer protocol).
 * kafkajs is pinned at 2.2.4, its last release, so these modules do not move.
 */
import { createRequire } from 'node:module';
import { noDelaySocketFactory } from './no-delay-socket-factory.js';
import type { KafkaConfig } from 'kafkajs';

const require = createRequire(import.meta.url);

/** A record as kafkajs decodes it (offsets and timestamps as decimal strings). */
export interface KafkajsRecord {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer | null | readonly (Buffer | null)[]>>;
  readonly isControlRecord: boolean;
  readonly batchContext: {
    readonly firstOffset: string;
    readonly lastOffsetDelta: number;
    readonly producerId: string;
    readonly inTransaction: boolean;
  };
}

export interface KafkajsFetchedPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: string;
  readonly lastStableOffset: string;
  readonly abortedTransactions: readonly { readonly producerId: string; readonly firstOffset: string }[];
  readonly messages: readonly KafkajsRecord[];
}

interface KafkajsBroker {
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: KafkajsFetchedPartition[] }[] }>;
  listOffsets(request: {
    replicaId: number;
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string }[] }[] }>;
  deleteRecords(request: { topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<unknown>;
}

/** The group coordinator's requests, as kafkajs' broker sends them (errors are thrown with Kafka's error type). */
export interface KafkajsGroupCoordinator {
  joinGroup(request: {
    groupId: string;
    sessionTimeout: number;
    rebalanceTimeout: number;
    memberId: string;
    protocolType: string;
    groupProtocols: { name: string; metadata: Buffer }[];
  }): Promise<{
    generationId: number;
    groupProtocol: string;
    leaderId: string;
    memberId: string;
    members: readonly { readonly memberId: string; readonly memberMetadata: Buffer }[];
  }>;
  syncGroup(request: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupAssignment: { memberId: string; memberAssignment: Buffer }[];
  }): Promise<{ memberAssignment: Buffer }>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
}

interface KafkajsTopicMetadata {
  readonly topic: string;
  readonly partitionMetadata: readonly { readonly partitionId: number; readonly leader: number }[];
}

interface KafkajsClusterInstance {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Null when every broker failed the request (kafkajs swallows their errors). */
  metadata(request: { topics: string[] }): Promise<{ topicMetadata: readonly KafkajsTopicMetadata[] } | null>;
  findBroker(request: { nodeId: string }): Promise<KafkajsBroker>;
  findGroupCoordinator(request: { groupId: string }): Promise<KafkajsGroupCoordinator>;
}

type ClusterConstructor = new (options: Record<string, unknown>) => KafkajsClusterInstance;

const Cluster = require('kafkajs/src/cluster') as ClusterConstructor;
const { createLogger, LEVELS } = require('kafkajs/src/loggers') as {
  createLogger(options: { level: number; logCreator: unknown }): unknown;
  LEVELS: { NOTHING: number };
};
const LoggerConsole = require('kafkajs/src/loggers/console') as unknown;

/** Kafka errors saying the leaders a client knows are out of date. */
const STALE_METADATA = new Set(['NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH']);

export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;
/** ListOffsets' timestamps for the log start and the end (the high watermark, or the last stable offset read_committed). */
export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

/** One connection pool to the cluster for partition-level requests, sent to each partition's leader. */
export class KafkajsCluster {
  readonly #cluster: KafkajsClusterInstance;
  readonly #leadersByTopic = new Map<string, ReadonlyMap<number, string>>();

  constructor(config: KafkaConfig) {
    this.#cluster = new Cluster({
      ...config,
      socketFactory: config.socketFactory ?? noDelaySocketFactory(),
      logger: createLogger({ level: LEVELS.NOTHING, logCreator: LoggerConsole }),
      retry: config.retry ?? {},
      connectionTimeout: config.connectionTimeout ?? 1000,
      // Metadata never creates a topic as a side effect of reading it.
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.#cluster.connect();
  }

  disconnect(): Promise<void> {
    return this.#cluster.disconnect();
  }

  /**
   * Leaders by partition of `topic`, from a Metadata request for that topic
   * alone, kept until `refresh`: kafkajs' cluster would rather track a set of
   * topics and fail every refresh once one of them is deleted elsewhere.
   */
  async #leaders(topic: string): Promise<ReadonlyMap<number, string>> {
    const known = this.#leadersByTopic.get(topic);
    if (known !== undefined) return known;
    const metadata = await this.#cluster.metadata({ topics: [topic] });
    // A topic deleted between kafkajs' metadata refresh and its own request fails that way too.
    if (metadata === null) throw new Error(`no broker answered a Metadata request for topic '${topic}'`);
    const described = metadata.topicMetadata.find((m) => m.topic === topic);
    if (described === undefined) throw Object.assign(new Error(`the cluster does not know topic '${topic}'`), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    const leaders = new Map(described.partitionMetadata.map((p) => [p.partitionId, String(p.leader)]));
    this.#leadersByTopic.set(topic, leaders);
    return leaders;
  }

  /**
   * Every topic of the cluster with its partitions, ascending, from one
   * Metadata request; their leaders are kept as `#leaders` keeps them.
   */
  async allTopics(): Promise<Map<string, number[]>> {
    const metadata = await this.#cluster.metadata({ topics: [] });
    if (metadata === null) throw new Error('no broker answered a Metadata request for every topic');
    const topics = new Map<string, number[]>();
    for (const described of metadata.topicMetadata) {
      this.#leadersByTopic.set(described.topic, new Map(described.partitionMetadata.map((p) => [p.partitionId, String(p.leader)])));
      topics.set(described.topic, described.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b));
    }
    return topics;
  }

  /** The broker leading `partition` of `topic`. */
  async leader(topic: string, partition: number): Promise<KafkajsBroker> {
    const nodeId = (await this.#leaders(topic)).get(partition);
    if (nodeId === undefined) throw Object.assign(new Error(`topic '${topic}' has no partition ${partition}`), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    return this.#cluster.findBroker({ nodeId });
  }

  /** The partitions of `topic` now, ascending (always asked afresh: another client may have added some). */
  async partitions(topic: string): Promise<number[]> {
    this.#leadersByTopic.delete(topic);
    return [...(await this.#leaders(topic)).keys()].sort((a, b) => a - b);
  }

  /**
   * Runs `action`, and once more after forgetting the leaders it knows when
   * the cluster says they are stale (a leader moved, a topic was deleted,
   * recreated or grown by another client).
   */
  async withFreshLeaders<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (!STALE_METADATA.has((error as { type?: string }).type ?? '')) throw error;
      this.refresh();
      return action();
    }
  }

  /**
   * ListOffsets for `partitions` of `topic` at `timestamp` (EARLIEST_TIMESTAMP,
   * LATEST_TIMESTAMP or epoch ms), one request per leader; offset by partition.
   */
  async listOffsets(topic: string, partitions: readonly number[], timestamp: number, isolationLevel: number): Promise<Map<number, number>> {
    const offsets = await this.listOffsetsOfTopics(new Map([[topic, partitions]]), timestamp, isolationLevel);
    return offsets.get(topic) ?? new Map();
  }

  /** ListOffsets for the partitions of several topics at once, one request per leader; offset by partition by topic. */
  listOffsetsOfTopics(partitionsByTopic: ReadonlyMap<string, readonly number[]>, timestamp: number, isolationLevel: number): Promise<Map<string, Map<number, number>>> {
    return this.withFreshLeaders(() => this.#listOffsets(partitionsByTopic, timestamp, isolationLevel));
  }

  async #listOffsets(partitionsByTopic: ReadonlyMap<string, readonly number[]>, timestamp: number, isolationLevel: number): Promise<Map<string, Map<number, number>>> {
    const byLeader = new Map<string, Map<string, number[]>>();
    for (const [topic, partitions] of partitionsByTopic) {
      const leaders = await this.#leaders(topic);
      for (const partition of partitions) {
        const nodeId = leaders.get(partition);
        if (nodeId === undefined) throw Object.assign(new Error(`topic '${topic}' has no partition ${partition}`), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
        const led = byLeader.get(nodeId) ?? new Map<string, number[]>();
        led.set(topic, [...(led.get(topic) ?? []), partition]);
        byLeader.set(nodeId, led);
      }
    }
    const offsets = new Map<string, Map<number, number>>();
    for (const [nodeId, led] of byLeader) {
      const broker = await this.#cluster.findBroker({ nodeId });
      const response = await broker.listOffsets({
        replicaId: -1,
        isolationLevel,
        topics: [...led].map(([topic, partitions]) => ({ topic, partitions: partitions.map((partition) => ({ partition, timestamp })) })),
      });
      for (const answer of response.responses) {
        const ofTopic = offsets.get(answer.topic) ?? new Map<number, number>();
        for (const p of answer.partitions) ofTopic.set(p.partition, Number(p.offset));
        offsets.set(answer.topic, ofTopic);
      }
    }
    return offsets;
  }

  /** DeleteRecords on the partition's leader: its log start moves up to `beforeOffset`. */
  async deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void> {
    await this.withFreshLeaders(async () => {
      const broker = await this.leader(topic, partition);
      await broker.deleteRecords({ topics: [{ topic, partitions: [{ partition, offset: String(beforeOffset) }] }] });
    });
  }

  /** The broker coordinating `groupId` (FindCoordinator, then a connection to it). */
  groupCoordinator(groupId: string): Promise<KafkajsGroupCoordinator> {
    return this.#cluster.findGroupCoordinator({ groupId });
  }

  /** Forgets the leaders it knows, after a leader moved or a topic changed. */
  refresh(): void {
    this.#leadersByTopic.clear();
  }
}
