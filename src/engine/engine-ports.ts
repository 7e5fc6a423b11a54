/**
 * The engine's ports: what statement handlers and query preparation may use
 * of the engine, split by concern so each names only what it needs (a
 * `Pick<EnginePorts, ...>`). `KsqlEngine` implements them all; nothing below
 * the server holds the engine itself.
 */
import type { Broker, TopicConfig } from '../broker/broker.js';
import type { ConsumerGroupAssignments } from '../broker/group-assignments.js';
import type { TaskLog } from '../broker/task-log.js';
import type { TopicStore } from '../broker/topic-store.js';
import type { MaybeAsync } from '../common/maybe-async.js';
import type { Metastore } from '../catalog/metastore.js';
import type { SchemaRegistryClient } from '../formats/index.js';
import type { FunctionRegistry } from '../functions/registry.js';
import type { Topology, TopologyContext } from '../runtime/build-topology.js';
import type { QueryStatistics } from '../runtime/query-statistics.js';
import type { Scheduler } from '../runtime/scheduler.js';
import type { StreamTask } from '../runtime/task.js';
import type { TransientQuery } from '../runtime/transient-query.js';
import type { StoreRegistry } from '../state/index.js';
import type { Command } from './commands.js';
import type { KsqlConfig } from './config.js';
import type { PersistentQuery } from './persistent-query.js';
import type { RunningPrint } from './running-print.js';

/** What statements are checked against: sources, types, functions and the schemas of schema-based formats. */
export interface Catalog {
  readonly metastore: Metastore;
  readonly functions: FunctionRegistry;
  /** The Schema Registry of schema-based formats (AVRO...), when there is one. */
  readonly schemaRegistry: SchemaRegistryClient | undefined;
}

/**
 * The log beyond the tasks: its topics (`TopicStore`) and the command log
 * over the command topic (`CommandTopic`) every change of the catalog and
 * queries goes through, each embedded (answering at once) or on Kafka
 * (answering later, hence `MaybeAsync`).
 */
export interface EngineLog {
  /** The embedded log, for what exists only there (its maintenance, storage status). */
  readonly broker: Broker;
  readonly topics: TopicStore;
  /** What tasks read and commit through (the broker's, on the embedded log). */
  readonly taskLog: TaskLog;
  /** The groups of the Kafka listener's clients, which SHOW TOPICS EXTENDED counts beside the queries'. */
  readonly consumerGroups: ConsumerGroupAssignments | undefined;
  /**
   * Checks, writes and applies a command through an exclusive append of the
   * command topic; answers its offset. `checked`: checkCommand already ran.
   */
  commit(command: Command, options?: { readonly checked?: boolean }): MaybeAsync<number>;
  /** Throws a statement error when a command would not apply, changing nothing. */
  checkCommand(command: Command): void;
  /** Ensures a source's topic exists with the partitions required, creating it with `config` when asked. */
  ensureTopic(name: string, partitions: number | undefined, config: Partial<TopicConfig>, kind: string, sourceName: string): MaybeAsync<void>;
}

/** What runs queries: persistent and transient queries, PRINTs, the scheduler and the state stores. */
/** How the tasks of a query's topology start, commit and fail (QueryRunner.createTasks). */
/** On a log whose commits cost round trips: tasks commit every `intervalMs`, caught up or not; at-least-once when `atLeastOnce`. */
export interface TaskCommitPolicy {
  readonly intervalMs: number;
  readonly atLeastOnce: boolean;
}

export interface TopologyTaskOptions {
  /** Where a task's input starts when its group has no committed offset (ListOffsets on Kafka; at once on the embedded log). */
  readonly startOffset: (topic: string, partition: number) => MaybeAsync<number>;
  /** The internal topics a task purges behind its commits, and how often. */
  readonly purge: { readonly internalTopics: ReadonlySet<string>; readonly intervalMs: number };
  /** The input is read from its start: table-source stores can be rebuilt from it. */
  readonly inputFromStart: boolean;
  readonly statistics?: QueryStatistics;
  readonly onFailure: (error: unknown) => void;
  /** cache.max.bytes.buffering: what a task's operator caches keep between commits. */
  readonly cacheMaxBytes: number;
  /** How the tasks commit on a log whose commits cost round trips (absent: the task's defaults, a commit as soon as it caught up). */
  readonly commitPolicy?: TaskCommitPolicy;
  /**
   * The changelog topic of a task's store `storeName` (made when missing, as
   * many partitions as `partitionsOf`), used when the task log restores state.
   */
  readonly changelogTopic?: (storeName: string, partitionsOf: string) => string;
  /** Build only these tasks (`<sub-topology>_<partition>`): the share a query group gave this server. */
  readonly only?: ReadonlySet<string>;
}

export interface QueryRunner {
  readonly scheduler: Scheduler;
  readonly stores: StoreRegistry;
  /** A task per partition of each sub-topology, at the group's committed offsets; all or none. */
  createTasks(queryId: string, group: string, topology: Topology, options: TopologyTaskOptions): StreamTask[];
  listQueries(): PersistentQuery[];
  getQuery(id: string): PersistentQuery | undefined;
  /** Queries that read from or write to a source. */
  queriesUsing(name: string): { readers: string[]; writers: string[] };
  nextQueryId(prefix: string, sinkName: string | undefined): string;
  /** The consumer group of a query's tasks, and the prefix of its internal topics. */
  queryGroup(queryId: string): string;
  /** What a query's operators need; `config` is the server's config with the query's overrides. */
  topologyContext(queryId: string, internalTopicPrefix: string, config: KsqlConfig): TopologyContext;
  nextTransientQueryId(sourceName: string, isPull: boolean): string;
  registerTransientQuery(query: TransientQuery): void;
  forgetTransientQuery(id: string): void;
  getTransientQuery(id: string): TransientQuery | undefined;
  listTransientQueries(): TransientQuery[];
  registerPrint(print: RunningPrint): void;
  forgetPrint(print: RunningPrint): void;
  listPrints(): RunningPrint[];
}

export interface EnginePorts {
  readonly catalog: Catalog;
  readonly log: EngineLog;
  readonly runner: QueryRunner;
  /** The server's config; a session's overrides apply on top (`withOverrides`). */
  readonly config: KsqlConfig;
}
