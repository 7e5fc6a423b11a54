/**
 * The engine: executes statements against the metastore, records their
 * effects in the command log, and runs persistent queries on the scheduler.
 * On start it applies every logged command again, so sources, types and
 * queries come back exactly as they were, and queries resume from their
 * committed offsets.
 */
import { randomInt } from 'node:crypto';
import type { Broker } from '../broker/broker.js';
import { KsqlError, statementError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { buildTopology, type TopologyContext } from '../runtime/build-topology.js';
import { committedInputOf } from '../runtime/committed-input.js';
import { TaskState } from '../runtime/task-state.js';
import { openStoreRegistry, type StoreRegistry } from '../state/index.js';
import type { EmbeddedBroker } from '../broker/index.js';
import type { Scheduler } from '../runtime/scheduler.js';
import type { RunningPrint } from './print-topic.js';
import { StreamTask } from '../runtime/task.js';
import type { TransientQuery } from '../runtime/transient-query.js';
import { CommandLog } from './command-log.js';
import type { Command } from './commands.js';
import type { KsqlConfig, PropertyValue } from './config.js';
import type { DataSource } from './data-source.js';
import type { KsqlEntity } from './entities.js';
import { executeStatements, type Session } from './execute-statement.js';
import { Metastore } from './metastore.js';

export interface EngineOptions {
  readonly broker: Broker;
  readonly config: KsqlConfig;
  readonly functions: FunctionRegistry;
  readonly scheduler: Scheduler;
  /** Where queries keep their state; by default the embedded broker's own database, so state commits with the log. */
  readonly stores?: StoreRegistry;
  /**
   * Create a missing source topic (one partition) instead of failing, as
   * ksqlDB's test runner does. Off for the server.
   */
  readonly autoCreateSourceTopics?: boolean;
}

export interface PersistentQuery {
  readonly id: string;
  readonly statementText: string;
  readonly sinkName: string;
  readonly sinkTopic: string;
  readonly sourceNames: readonly string[];
  readonly tasks: readonly StreamTask[];
  /** Repartition topics the query owns. */
  readonly internalTopics: readonly string[];
  readonly command: Extract<Command, { kind: 'CreateQuery' }>;
}

export class KsqlEngine {
  readonly broker: Broker;
  readonly config: KsqlConfig;
  readonly functions: FunctionRegistry;
  readonly scheduler: Scheduler;
  readonly stores: StoreRegistry;
  readonly metastore = new Metastore();
  readonly autoCreateSourceTopics: boolean;
  private readonly commandLog: CommandLog;
  private readonly queries = new Map<string, PersistentQuery>();
  private readonly transientQueries = new Map<string, TransientQuery>();
  private readonly prints = new Set<RunningPrint>();
  private readonly log = createLogger('engine');
  private queryCounter = 0;

  constructor(options: EngineOptions) {
    this.broker = options.broker;
    this.config = options.config;
    this.functions = options.functions;
    this.scheduler = options.scheduler;
    this.stores = options.stores ?? defaultStores(options.broker);
    this.autoCreateSourceTopics = options.autoCreateSourceTopics ?? false;
    this.commandLog = new CommandLog(this.broker, this.config.serviceId);
    this.broker.createTopic(this.config.processingLogTopic, {
      partitions: this.config.getInteger('ksql.logging.processing.topic.partitions') ?? 1,
      ifNotExists: true,
    });
    const commands = this.commandLog.readAll();
    for (const command of commands) this.apply(command);
    if (commands.length > 0) this.log.info({ commands: commands.length, queries: this.queries.size }, 'command log replayed');
  }

  /**
   * Runs every statement of `sql` in order; stops at the first failure.
   * `results` (optional) receives each entity as it is made, so it still holds
   * those of the earlier statements when a later one throws.
   */
  execute(sql: string, session: Session = newSession(), results: KsqlEntity[] = []): KsqlEntity[] {
    return executeStatements(this, sql, session, results);
  }

  /** Records a command and applies its effects; returns its sequence number. */
  commit(command: Command): number {
    const sequence = this.commandLog.append(command);
    this.apply(command);
    return sequence;
  }

  nextQueryId(prefix: string, sinkName: string | undefined): string {
    const n = this.queryCounter;
    return sinkName === undefined ? `${prefix}_${n}` : `${prefix}_${sinkName.replace(/[^A-Za-z0-9_]/g, '_')}_${n}`;
  }

  /** ksqlDB's ids for queries that only stream to a client: `transient_<SOURCE>_<random>`. */
  nextTransientQueryId(sourceName: string, isPull: boolean): string {
    const prefix = isPull ? 'query' : `transient_${sourceName.replace(/[^A-Za-z0-9_]/g, '_')}`;
    for (;;) {
      const id = `${prefix}_${randomInt(1, 2 ** 48)}`;
      if (!this.transientQueries.has(id)) return id;
    }
  }

  /** A running transient query (push or scan), until it ends. */
  registerTransientQuery(query: TransientQuery): void {
    this.transientQueries.set(query.id, query);
  }

  forgetTransientQuery(id: string): void {
    this.transientQueries.delete(id);
  }

  getTransientQuery(id: string): TransientQuery | undefined {
    return this.transientQueries.get(id);
  }

  /** A running PRINT (print-topic.ts), until it ends; those still running end with the engine. */
  registerPrint(print: RunningPrint): void {
    this.prints.add(print);
  }

  forgetPrint(print: RunningPrint): void {
    this.prints.delete(print);
  }

  listPrints(): RunningPrint[] {
    return [...this.prints];
  }

  listTransientQueries(): TransientQuery[] {
    return [...this.transientQueries.values()];
  }

  listQueries(): PersistentQuery[] {
    return [...this.queries.values()];
  }

  getQuery(id: string): PersistentQuery | undefined {
    return this.queries.get(id);
  }

  /** Queries that read from or write to a source. */
  queriesUsing(name: string): { readers: string[]; writers: string[] } {
    const readers: string[] = [];
    const writers: string[] = [];
    for (const q of this.queries.values()) {
      if (q.sourceNames.includes(name)) readers.push(q.id);
      if (q.sinkName === name) writers.push(q.id);
    }
    return { readers, writers };
  }

  private apply(command: Command): void {
    switch (command.kind) {
      case 'CreateSource':
        this.metastore.putSource(command.source);
        return;
      case 'CreateQuery':
        if (command.sink !== undefined) this.metastore.putSource(command.sink);
        this.startQuery(command);
        this.queryCounter++;
        return;
      case 'DropSource': {
        const source = this.metastore.getSource(command.name);
        for (const q of this.queries.values()) if (q.sinkName === command.name) this.stopQuery(q.id, true);
        this.metastore.deleteSource(command.name);
        if (command.deleteTopic && source && this.broker.hasTopic(source.topic)) this.broker.deleteTopic(source.topic);
        return;
      }
      case 'TerminateQuery':
        this.stopQuery(command.queryId, true);
        return;
      case 'CreateType':
        this.metastore.putType(command.name, command.type);
        return;
      case 'DropType':
        this.metastore.deleteType(command.name);
        return;
    }
  }

  /** What a query's operators need of the engine; `config` is the server's config with the query's overrides. */
  topologyContext(queryId: string, internalTopicPrefix: string, config: KsqlConfig): TopologyContext {
    return {
      queryId,
      functions: this.functions,
      lookupType: (n) => this.metastore.getType(n),
      includeRows: config.getBoolean('ksql.logging.processing.rows.include'),
      internalTopicPrefix,
      config,
    };
  }

  private startQuery(command: Extract<Command, { kind: 'CreateQuery' }>): void {
    const { plan } = command;
    const group = `_confluent-ksql-${this.config.serviceId}query_${plan.queryId}`;
    const topology = buildTopology(plan.physicalPlan, this.topologyContext(plan.queryId, group, this.config.withOverrides(command.properties)));
    const reset = String(command.properties['auto.offset.reset'] ?? this.config.get('auto.offset.reset'));
    const { broker } = this;
    for (const internal of topology.internalTopics) {
      broker.createTopic(internal.name, { partitions: broker.describeTopic(internal.partitionsOf).partitions.length, ifNotExists: true });
    }
    const internalTopics = new Set(topology.internalTopics.map((t) => t.name));
    const tasks: StreamTask[] = [];
    for (const [index, sub] of topology.subTopologies.entries()) {
      const topics = sub.sourceTopics;
      // The first sub-topology's clock store keeps the name it had before queries had several.
      const clockStore = index === 0 ? 'StreamTime' : `StreamTime-${index}`;
      const partitions = broker.describeTopic(topics[0]!).partitions.length;
      for (let partition = 0; partition < partitions; partition++) {
        const task = new StreamTask({
          broker,
          group,
          topics,
          partition,
          // Internal topics are always read from their start: nothing in them predates the query.
          startOffset: (topic) => (reset === 'earliest' || internalTopics.has(topic) ? broker.earliestOffset(topic, partition) : broker.latestOffset(topic, partition)),
          processingLogTopic: this.config.processingLogTopic,
          logger: `processing.${plan.queryId}`,
          buildProcessor: (output) => sub.buildProcessor({
            output,
            state: new TaskState(this.stores, plan.queryId, partition, clockStore),
            // Reading from the earliest offset, a task's input starts at offset 0: its table source stores can be rebuilt from it.
            ...(reset === 'earliest' ? { committedInput: committedInputOf(broker, group, partition) } : {}),
          }),
        });
        tasks.push(task);
        this.scheduler.add(task);
      }
    }
    this.queries.set(plan.queryId, {
      id: plan.queryId,
      statementText: command.statement,
      sinkName: plan.sink,
      sinkTopic: topology.sinkTopic,
      sourceNames: plan.sourceNames,
      tasks,
      internalTopics: [...internalTopics],
      command,
    });
  }

  /** Stops a query's tasks; `discard` (TERMINATE, DROP) also deletes its state and internal topics. */
  private stopQuery(id: string, discard: boolean): void {
    const q = this.queries.get(id);
    if (!q) return;
    for (const t of q.tasks) {
      this.scheduler.remove(t);
      t.close();
    }
    this.queries.delete(id);
    if (!discard) return;
    this.stores.dropQueryStores(id);
    for (const topic of q.internalTopics) this.broker.deleteTopic(topic, { ifExists: true });
  }

  /** Ensures a source's topic exists (creating it when asked or allowed) with the partitions required. */
  ensureTopic(name: string, partitions: number | undefined, retentionMs: number | undefined, kind: string, sourceName: string): void {
    if (this.broker.hasTopic(name)) {
      const existing = this.broker.describeTopic(name).partitions.length;
      if (partitions !== undefined && partitions !== existing) {
        throw statementError(
          `A Kafka topic with the name '${name}' already exists, with different partition/replica configuration than required by KSQL. ` +
          `KSQL requires ${partitions} partitions (1 replication factor) and the existing topic has ${existing} partitions (1 replication factor)`,
        );
      }
      return;
    }
    if (partitions === undefined && !this.autoCreateSourceTopics) {
      throw statementError(
        `Topic '${name}' does not exist. If you want to create a new topic for the ${kind} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). ` +
        `For example: CREATE ${kind.toUpperCase()} ${sourceName} (ID INT PRIMARY KEY, VALUE STRING) WITH (KAFKA_TOPIC='${name}', PARTITIONS=2, REPLICAS=1, FORMAT='JSON');`,
      );
    }
    this.broker.createTopic(name, {
      partitions: partitions ?? 1,
      ...(retentionMs === undefined ? {} : { config: { 'retention.ms': retentionMs } }),
    });
  }

  requireSource(name: string): DataSource {
    const s = this.metastore.getSource(name);
    if (!s) throw statementError(`${name} does not exist.`);
    return s;
  }

  /** Stops every query; commits already made stay made. */
  close(): void {
    for (const q of [...this.transientQueries.values()]) q.close();
    for (const p of [...this.prints]) p.close();
    for (const id of [...this.queries.keys()]) this.stopQuery(id, false);
  }
}

function defaultStores(broker: Broker): StoreRegistry {
  const database = (broker as Partial<EmbeddedBroker>).database;
  if (database === undefined) throw new KsqlError('SERVER_ERROR', 'this broker keeps no local database: give the engine a state store registry');
  return openStoreRegistry(database);
}

export function newSession(properties: Record<string, PropertyValue> = {}): Session {
  return { properties: { ...properties }, variables: new Map() };
}

export function internalError(message: string): KsqlError {
  return new KsqlError('SERVER_ERROR', message);
}
