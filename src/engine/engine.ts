/**
 * The engine: executes statements against the metastore, records their
 * effects in the command log, and runs persistent queries on the scheduler.
 * On start it applies every logged command again, so sources, types and
 * queries come back exactly as they were, and queries resume from their
 * committed offsets. A command is logged only once it is known to apply; a
 * logged one that no longer does (a query whose plan cannot be built) never
 * stops the server: the query comes back in ERROR, anything else is skipped.
 */
import type { SchemaRegistryClient } from '../formats/index.js';
import { randomIdNumber } from '../common/random-ids.js';
import type { Broker, TopicConfig } from '../broker/broker.js';
import { KsqlError, statementError, toKsqlError } from '../common/errors.js';
import { andThen, isPromise, undoOnFailure, type MaybeAsync } from '../common/maybe-async.js';
import { createLogger } from '../common/logger.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { CHANGELOG_TOPIC_CONFIG } from '../planner/internal-topics.js';
import { checkPlanUpgrade } from '../planner/plan-upgrade.js';
import { encodePlan } from '../planner/persisted-plan.js';
import { PLAN_VERSION } from '../planner/steps.js';
import { buildTopology, type SubTopology, type Topology, type TopologyContext } from '../runtime/build-topology.js';
import { committedInputOf, type CommittedInput } from '../runtime/committed-input.js';
import { QueryStatistics } from '../runtime/query-statistics.js';
import { TaskState, type StoreChangelogs } from '../runtime/task-state.js';
import { openScratchStoreRegistry, openStoreRegistry, type StoreRegistry } from '../state/index.js';
import {
  brokerCommandTopic, brokerTaskLog, brokerTopicStore, isBrokerError, type BusyGroups, type CommandAppend, type CommandTopic, type ConsumerGroupAssignments,
  type EmbeddedBroker, type TaskLog, type TopicStore,
} from '../broker/index.js';
import type { Scheduler } from '../runtime/scheduler.js';
import type { RunningPrint } from './running-print.js';
import { StandbyTask, type StandbyStoreLag } from '../runtime/standby-task.js';
import { StreamTask, type RecordProcessor, type TaskOutput } from '../runtime/task.js';
import type { TransientQuery } from '../runtime/transient-query.js';
import { CommandRunner } from './command-runner.js';
import { encodeCommand, readCommands, type LoggedCommand } from './command-log.js';
import { ensureInternalTopics } from './internal-topics.js';
import { StaleCatalogError } from './stale-catalog.js';
import { startOffsetOf } from './start-offset.js';
import type { Command, QueryCommand } from './commands.js';
import type { KsqlConfig } from './config.js';
import type { Catalog, EngineLog, EnginePorts, QueryRunner, TaskCommitPolicy, TopologyTaskOptions } from './engine-ports.js';
import type { KsqlEntity } from './entities.js';
import { executeStatements } from './execute-statement.js';
import { newSession, type Session } from './session.js';
import { Metastore } from '../catalog/metastore.js';
import { PersistentQuery, TasksNotReady } from './persistent-query.js';
import type { InternalTopic } from '../planner/plan-graph.js';
import type { QueryGroups } from './query-groups.js';

export interface EngineOptions {
  readonly broker: Broker;
  /**
   * The log beyond the tasks' broker (a Kafka cluster): its topics, command
   * topic and task log. By default the broker's own, which answer at once.
   */
  readonly log?: {
    readonly topics: TopicStore; readonly commandTopic: CommandTopic; readonly taskLog: TaskLog;
    /** Where the servers of the service id share each persistent query's tasks; without it, each runs them all. */
    readonly queryGroups?: QueryGroups;
  };
  /** The command topic instead of the log's: headless mode's, which keeps nothing (memoryCommandTopic). */
  readonly commandTopic?: CommandTopic;
  readonly config: KsqlConfig;
  readonly functions: FunctionRegistry;
  readonly scheduler: Scheduler;
  /** Where queries keep their state; by default the embedded broker's own database, so state commits with the log. */
  readonly stores?: StoreRegistry;
  /** What tasks read and commit through, beside the broker's own topics and command topic (a log that restores state, in tests); `log` wins. */
  readonly taskLog?: TaskLog;
  /**
   * Create a missing source topic (one partition) instead of failing, as
   * ksqlDB's test runner does. Off for the server.
   */
  readonly autoCreateSourceTopics?: boolean;
  /** The Schema Registry of schema-based formats (AVRO): the embedded store in-process, or none. */
  readonly schemaRegistry?: SchemaRegistryClient;
  /** The groups of the Kafka listener's clients, which SHOW TOPICS EXTENDED counts beside the queries'. */
  readonly consumerGroups?: ConsumerGroupAssignments;
  /** Told how long each commit of a persistent query's task took, in seconds (the server's /metrics). */
  readonly observeCommit?: (queryId: string, seconds: number) => void;
}


/** Where a trial build's operators send what they would produce: nowhere. */
const DISCARD: TaskOutput = { emit: () => {}, logError: () => {} };

export class KsqlEngine implements EnginePorts, Catalog, EngineLog, QueryRunner, BusyGroups {
  // The engine is each of its ports; handlers see only the port they are given.
  readonly catalog: Catalog = this;
  readonly log: EngineLog = this;
  readonly runner: QueryRunner = this;
  readonly broker: Broker;
  readonly topics: TopicStore;
  readonly commandTopic: CommandTopic;
  /** What tasks and transient queries read and commit through. */
  readonly taskLog: TaskLog;
  /** Settles once the command log is replayed (at once on the embedded log). */
  readonly ready: MaybeAsync<void>;
  /** The log is the embedded broker's, which answers every call at once. */
  private readonly answersAtOnce: boolean;
  readonly config: KsqlConfig;
  readonly functions: FunctionRegistry;
  readonly scheduler: Scheduler;
  readonly stores: StoreRegistry;
  readonly metastore = new Metastore();
  readonly autoCreateSourceTopics: boolean;
  readonly schemaRegistry: SchemaRegistryClient | undefined;
  readonly consumerGroups: ConsumerGroupAssignments | undefined;
  private readonly queryGroups: QueryGroups | undefined;
  private readonly observeCommit: ((queryId: string, seconds: number) => void) | undefined;
  /** The offset of the command topic up to which this server applied the commands. */
  private appliedEnd = 0;
  /** The last commit still waiting on the log: commits run one at a time, as one server's appends must not fence each other. */
  private commitInFlight: Promise<unknown> | undefined;
  private readonly queries = new Map<string, PersistentQuery>();
  private readonly transientQueries = new Map<string, TransientQuery>();
  private readonly prints = new Set<RunningPrint>();
  private readonly logger = createLogger('engine');
  private queryCounter = 0;
  /** Stores for trial builds of queries (see checkCommand), opened on first use. */
  private scratchStores: StoreRegistry | undefined;
  /** The topology a command's trial build made, which its query then starts with: its expressions are bound once. */
  private readonly checkedTopologies = new WeakMap<Command, Topology>();
  private readonly stopWatchingStorage: () => void;
  private commandRunner: CommandRunner | undefined;
  /** Closed: a read of the command topic still answering applies nothing more. */
  private closed = false;

  constructor(options: EngineOptions) {
    this.broker = options.broker;
    this.topics = options.log?.topics ?? brokerTopicStore(options.broker);
    this.commandTopic = options.commandTopic ?? options.log?.commandTopic ?? brokerCommandTopic(options.broker, `_confluent-ksql-${options.config.serviceId}_command_topic`);
    this.taskLog = options.log?.taskLog ?? options.taskLog ?? brokerTaskLog(options.broker);
    this.answersAtOnce = options.log === undefined;
    this.config = options.config;
    this.functions = options.functions;
    this.scheduler = options.scheduler;
    this.stores = options.stores ?? defaultStores(options.broker);
    this.autoCreateSourceTopics = options.autoCreateSourceTopics ?? false;
    this.schemaRegistry = options.schemaRegistry;
    this.consumerGroups = options.consumerGroups;
    this.queryGroups = options.log?.queryGroups;
    this.observeCommit = options.observeCommit;
    // Queries a full disk stopped run again as soon as the log takes writes, not at their backoff.
    this.stopWatchingStorage = this.broker.onStorageRecovered(() => {
      for (const q of this.queries.values()) q.retryNow();
    });
    const processingLog = this.topics.createTopic(this.config.processingLogTopic, {
      partitions: this.config.getInteger('ksql.logging.processing.topic.partitions') ?? 1,
      ifNotExists: true,
    });
    this.ready = andThen(processingLog, () => andThen(this.applyNewCommands(), (applied) => {
      if (applied > 0) this.logger.info({ commands: applied, queries: this.queries.size }, 'command log replayed');
    }));
  }

  /**
   * Runs every statement of `sql` in order, at once: only over the embedded
   * log (the test driver, tools); stops at the first failure.
   * `results` (optional) receives each entity as it is made, so it still holds
   * those of the earlier statements when a later one throws.
   */
  execute(sql: string, session: Session = newSession(), results: KsqlEntity[] = []): KsqlEntity[] {
    if (!this.answersAtOnce) throw new KsqlError('SERVER_ERROR', 'This engine\'s log answers later: run statements with executeAsync.');
    const done = executeStatements(this, sql, session, results);
    if (isPromise(done)) throw new KsqlError('SERVER_ERROR', 'A statement waited on the embedded log, which answers at once.');
    return done;
  }

  /** As `execute`, over any log. */
  async executeAsync(sql: string, session: Session = newSession(), results: KsqlEntity[] = []): Promise<KsqlEntity[]> {
    return executeStatements(this, sql, session, results);
  }

  /**
   * Applies the commands of the command topic this server has not applied
   * yet (on start all of them; later those other servers of the service id
   * wrote), up to `until` when given, else as far as the topic goes; returns
   * how many. Each is applied once, whoever reads it first. A logged command
   * that no longer applies never stops the server: the query comes back in
   * ERROR, anything else is skipped.
   */
  applyNewCommands(until?: number): MaybeAsync<number> {
    let applied = 0;
    const step = (): MaybeAsync<number> => {
      if (until !== undefined && this.appliedEnd >= until) return applied;
      return andThen(readCommands(this.commandTopic, this.appliedEnd), ({ entries, nextOffset }) => {
        if (this.closed) return applied;
        // The server that wrote these commands made their topics first: a remote log's view must see them before they apply.
        const fresh = entries.some((entry) => entry.offset >= this.appliedEnd) ? this.topics.refresh() : undefined;
        return andThen(fresh, () => {
          if (this.closed) return applied;
          const from = this.appliedEnd;
          for (const entry of entries) {
            if (entry.offset < this.appliedEnd) continue;
            this.appliedEnd = entry.offset + 1;
            this.applyLogged(entry);
            applied++;
          }
          this.appliedEnd = Math.max(this.appliedEnd, nextOffset);
          return this.appliedEnd > from ? step() : applied;
        });
      });
    };
    return step();
  }

  private applyLogged(entry: LoggedCommand): void {
    if ('unreadable' in entry) {
      this.logger.error({ offset: entry.offset, reason: entry.unreadable, text: entry.text.slice(0, 1000) }, 'skipped an unreadable record of the command log');
      return;
    }
    try {
      // A query that cannot start is kept in ERROR, which its own log tells.
      this.apply(entry.command);
    } catch (error) {
      this.logger.error({ offset: entry.offset, statement: entry.command.statement, err: error }, 'skipped a logged command that cannot be applied');
    }
  }

  /**
   * Records a command and applies its effects; returns its offset in the
   * command topic. As ksqlDB's statement executor: opens the exclusive
   * append, applies what other servers wrote before it, checks the command
   * (checkCommand) against that state, writes it and applies it. A refused
   * command is not logged. `checked`: the caller ran checkCommand on this
   * command already (before creating what the command needs), so the trial
   * build is not done twice. On the embedded log this all happens at once.
   */
  commit(command: Command, options: { readonly checked?: boolean } = {}): MaybeAsync<number> {
    const waiting = this.commitInFlight;
    const result = waiting === undefined ? this.commitExclusive(command, options) : waiting.then(() => this.commitExclusive(command, options));
    if (isPromise(result)) {
      const settled: Promise<unknown> = result.then(() => undefined, () => undefined);
      this.commitInFlight = settled;
      void settled.then(() => {
        if (this.commitInFlight === settled) this.commitInFlight = undefined;
      });
    }
    return result;
  }

  private commitExclusive(command: Command, options: { readonly checked?: boolean }): MaybeAsync<number> {
    return andThen(this.commandTopic.beginAppend(), (append) => andThen(undoOnFailure(() => andThen(this.applyNewCommands(append.end), (applied) => {
      // The statement's own checks ran against the catalog before these commands: they must run again (executeStatement).
      if (applied > 0) throw new StaleCatalogError(applied);
      if (options.checked !== true) this.checkCommand(command);
      return this.writeCommand(append, command);
    }), () => append.abort()), (offset) => {
      this.appliedEnd = offset + 1;
      const failure = this.apply(command);
      if (failure !== undefined) throw failure;
      return offset;
    }));
  }

  /** Writes the command through the open append; a fenced append is the statement's error. */
  private writeCommand(append: CommandAppend, command: Command): MaybeAsync<number> {
    const refuse = (error: unknown): never => {
      if (!isBrokerError(error, 'PRODUCER_FENCED')) throw error;
      throw statementError(`Could not write the statement into the command topic ${this.commandTopic.topic}: another server of this service id opened its own append, which fenced this one. Run the statement again.`, { cause: error });
    };
    let written: MaybeAsync<number>;
    try {
      written = append.write(encodeCommand(command));
    } catch (error) {
      return refuse(error);
    }
    return isPromise(written) ? written.catch(refuse) : written;
  }

  /**
   * Throws a statement error when a command would not apply, changing
   * nothing: a query's plan must be of a version this server reads, an
   * upgrade of the running query of the same id (CREATE OR REPLACE), and
   * build into operators (on scratch stores) over topics that exist.
   */
  checkCommand(command: Command): void {
    if (command.kind !== 'CreateQuery') return;
    const { plan } = command;
    // A plan that could not be read back from the command log must fail now, not at the next start.
    encodePlan(plan);
    const running = this.queries.get(plan.queryId);
    if (running?.state === 'RUNNING') checkPlanUpgrade(running.command.plan.physicalPlan, plan.physicalPlan);
    try {
      const topology = this.buildQueryTopology(command);
      const internal = new Set(topology.internalTopics.map((t) => t.name));
      for (const topic of topology.subTopologies.flatMap((sub) => sub.sourceTopics)) {
        if (!internal.has(topic) && !this.topics.hasTopic(topic)) throw statementError(`Kafka topic does not exist: ${topic}`);
      }
      const scratch = (this.scratchStores ??= openScratchStoreRegistry());
      try {
        for (const [index, sub] of topology.subTopologies.entries()) {
          const state = new TaskState(scratch, plan.queryId, 0, clockStoreName(index));
          try {
            sub.buildProcessor({ output: DISCARD, state });
          } finally {
            state.close();
          }
        }
      } finally {
        scratch.dropQueryStores(plan.queryId);
      }
      this.checkedTopologies.set(command, topology);
    } catch (error) {
      if (error instanceof KsqlError) throw error;
      throw statementError(`Cannot start query ${plan.queryId}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  nextQueryId(prefix: string, sinkName: string | undefined): string {
    const n = this.queryCounter;
    return sinkName === undefined ? `${prefix}_${n}` : `${prefix}_${sinkName.replace(/[^A-Za-z0-9_]/g, '_')}_${n}`;
  }

  /** ksqlDB's ids for queries that only stream to a client: `transient_<SOURCE>_<random>`. */
  nextTransientQueryId(sourceName: string, isPull: boolean): string {
    const prefix = isPull ? 'query' : `transient_${sourceName.replace(/[^A-Za-z0-9_]/g, '_')}`;
    for (;;) {
      // Clients see these ids and may name them to /close-query: random, so no one guesses another's.
      const id = `${prefix}_${randomIdNumber()}`;
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

  /**
   * Applies a command's effects. A query that cannot start is recorded (in
   * ERROR, or the query it was to replace runs on) and its error returned;
   * any other failure throws before the metastore changes.
   */
  private apply(command: Command): KsqlError | undefined {
    switch (command.kind) {
      case 'CreateSource':
        this.metastore.putSource(command.source);
        return undefined;
      case 'CreateQuery':
        return this.applyQuery(command);
      case 'DropSource': {
        const source = this.metastore.getSource(command.name);
        for (const q of this.queries.values()) if (q.sinkName === command.name) this.stopQuery(q.id, true);
        this.metastore.deleteSource(command.name);
        if (command.deleteTopic && source) this.deleteTopic(source.topic);
        return undefined;
      }
      case 'TerminateQuery':
        this.stopQuery(command.queryId, true);
        return undefined;
      case 'PauseQuery':
        this.queries.get(command.queryId)?.pause();
        return undefined;
      case 'ResumeQuery':
        this.queries.get(command.queryId)?.resume();
        return undefined;
      case 'CreateType':
        this.metastore.putType(command.name, command.type);
        return undefined;
      case 'DropType':
        this.metastore.deleteType(command.name);
        return undefined;
      default: {
        const unknown: { readonly kind?: unknown } = command;
        throw new KsqlError('SERVER_ERROR', `unknown command kind '${String(unknown.kind)}'`);
      }
    }
  }

  /**
   * Starts a query, or swaps a running one of the same id for it in place. A
   * swap builds the new topology before it stops the old tasks, and if the
   * new tasks cannot start the old ones start again: the sink keeps a writer.
   * A query that cannot start at all is kept in ERROR (retried like any
   * failed query) and its error returned.
   */
  private applyQuery(command: QueryCommand): KsqlError | undefined {
    const { queryId } = command.plan;
    if (typeof queryId !== 'string') throw new KsqlError('SERVER_ERROR', 'the command names no query id');
    const old = this.queries.get(queryId);
    if (old === undefined) this.queryCounter++;
    if (old?.state !== 'RUNNING') {
      old?.stop();
      this.putSink(command);
      const query = this.newQuery(command, undefined, old?.internalTopics, old?.statistics);
      this.queries.set(queryId, query);
      const failure = query.startOrFail();
      return failure === undefined ? undefined : toKsqlError(failure);
    }
    let topology: Topology;
    try {
      topology = this.takeQueryTopology(command);
    } catch (error) {
      return this.replaceFailure(command, error);
    }
    old.stop();
    const next = this.newQuery(command, topology, old.internalTopics, old.statistics);
    try {
      next.start();
    } catch (error) {
      const restored = this.newQuery(old.command, undefined, old.internalTopics, old.statistics);
      this.queries.set(queryId, restored);
      restored.startOrFail();
      return this.replaceFailure(command, error);
    }
    this.putSink(command);
    this.queries.set(queryId, next);
    return undefined;
  }

  /** The sink a CREATE ... AS SELECT declares, with the sources its query reads. */
  private putSink(command: QueryCommand): void {
    if (command.sink === undefined) return;
    this.metastore.putSource(command.sink);
    this.metastore.addSourceReferences(command.sink.name, Array.isArray(command.plan.sourceNames) ? command.plan.sourceNames : []);
  }

  private replaceFailure(command: QueryCommand, error: unknown): KsqlError {
    this.logger.error({ queryId: command.plan.queryId, statement: command.statement, err: error }, 'a replacement query could not start; the query it replaces runs on');
    return toKsqlError(error);
  }

  /** The topology checkCommand built for `command`, else a new one. */
  private takeQueryTopology(command: QueryCommand): Topology {
    const checked = this.checkedTopologies.get(command);
    if (checked === undefined) return this.buildQueryTopology(command);
    this.checkedTopologies.delete(command);
    return checked;
  }

  /** The query's sub-topologies, from a plan of a version this server reads. */
  private buildQueryTopology(command: QueryCommand): Topology {
    const { plan } = command;
    if (!Number.isInteger(plan.version) || plan.version < 1 || plan.version > PLAN_VERSION) {
      throw new KsqlError('SERVER_ERROR',
        `The plan of query ${plan.queryId} is of version ${String(plan.version)}, which this server cannot run: it runs plans of versions 1 to ${PLAN_VERSION}. `
        + 'A newer server wrote it; run that version, or terminate the query.');
    }
    if (plan.unreadable !== undefined) throw new KsqlError('SERVER_ERROR', `${plan.unreadable}. Run the server that wrote it, or terminate the query.`);
    return buildTopology(plan.physicalPlan, this.topologyContext(plan.queryId, this.queryGroup(plan.queryId), this.config.withOverrides(command.properties)));
  }

  /** The consumer group of a query's tasks, and the prefix of its internal topics. */
  queryGroup(queryId: string): string {
    return `_confluent-ksql-${this.config.serviceId}query_${queryId}`;
  }

  /** Whether `group` is a persistent query's group while the query runs (in ERROR it is retried, so it still runs). */
  isBusy(group: string): boolean {
    for (const id of this.queries.keys()) if (this.queryGroup(id) === group) return true;
    return false;
  }

  /** What a query's operators need of the engine; `config` is the server's config with the query's overrides. */
  topologyContext(queryId: string, internalTopicPrefix: string, config: KsqlConfig): TopologyContext {
    return {
      queryId,
      // The query binds the functions of its start: a reloaded user function reaches only later queries.
      functions: this.functions.snapshot(),
      lookupType: (n) => this.metastore.getType(n),
      includeRows: config.getBoolean('ksql.logging.processing.rows.include'),
      throwOnInvalidTimestamp: config.getBoolean('ksql.timestamp.throw.on.invalid'),
      internalTopicPrefix,
      config,
      ...(this.schemaRegistry === undefined ? {} : { schemaRegistry: this.schemaRegistry }),
    };
  }

  /**
   * A query over `command`'s plan, not started yet. Its tasks are built at
   * each start from `topology`, or from the plan when none is given (so a
   * query that could not be built is built again at its retry). It owns the
   * repartition topics it creates, and those of the query it replaces, whose
   * statistics it also goes on counting.
   */
  private newQuery(command: QueryCommand, topology?: Topology, inheritedTopics: readonly string[] = [], inheritedStatistics?: QueryStatistics): PersistentQuery {
    const { plan } = command;
    const { observeCommit } = this;
    const statistics = inheritedStatistics
      ?? new QueryStatistics(observeCommit === undefined ? undefined : (seconds) => observeCommit(plan.queryId, seconds));
    const group = this.queryGroup(plan.queryId);
    const config = this.config.withOverrides(command.properties);
    const reset = String(command.properties['auto.offset.reset'] ?? this.config.get('auto.offset.reset'));
    const purgeIntervalMs = config.getInteger('repartition.purge.interval.ms')!;
    const cacheMaxBytes = config.getInteger('cache.max.bytes.buffering')!;
    const commitPolicy = this.taskLog.commitsOnInterval === true ? remoteCommitPolicy(config) : undefined;
    const internalTopics = new Set(inheritedTopics);
    // Internal topics are always read from their start: nothing in them predates the query.
    const startOffset = (topic: string, partition: number): MaybeAsync<number> => startOffsetOf(this, reset === 'earliest' || internalTopics.has(topic), topic, partition);
    let built = topology;
    /** The topology, its repartition topics created; throws TasksNotReady while a remote log creates them. */
    /** Makes the query's internal topics; throws TasksNotReady while a remote log creates them (the tasks are built once they exist). */
    const ensureTopics = (internals: readonly InternalTopic[], what: string, verb: 'is' | 'are'): void => {
      for (const internal of internals) internalTopics.add(internal.name);
      const creating = ensureInternalTopics(this.topics, internals);
      if (isPromise(creating)) throw new TasksNotReady(`${what} of query ${plan.queryId} ${verb} being created`, creating);
    };
    const prepare = (): Topology => {
      built ??= this.takeQueryTopology(command);
      ensureTopics(built.internalTopics, 'the internal topics', 'are');
      return built;
    };
    // Kafka Streams' name of a store's changelog; the query owns it like its other internal topics.
    const changelogTopic = (storeName: string, partitionsOf: string): string => {
      const name = `${group}-${storeName}-changelog`;
      // Store names are known only as the tasks build their stores: a missing changelog holds the start as above.
      ensureTopics([{ name, kind: 'changelog', partitionsOf, config: CHANGELOG_TOPIC_CONFIG }], `the changelog topic ${name}`, 'is');
      return name;
    };
    const { queryGroups } = this;
    const query: PersistentQuery = new PersistentQuery({
      id: plan.queryId,
      statementText: command.statement,
      sinkName: plan.sink,
      sinkTopic: command.sink?.topic ?? this.metastore.getSource(plan.sink)?.topic ?? '',
      sourceNames: Array.isArray(plan.sourceNames) ? plan.sourceNames : [],
      internalTopics,
      command,
      statistics,
      scheduler: this.scheduler,
      ...(queryGroups === undefined ? {} : { group: { id: group, groups: queryGroups, taskIds: () => this.taskIds(prepare()) } }),
      createTasks: (onFailure, only) => {
        const prepared = prepare();
        const purge = { internalTopics, intervalMs: purgeIntervalMs };
        // Reading from the earliest offset, a task's input starts at offset 0: its table source stores can be rebuilt from it.
        return this.createTasks(plan.queryId, group, prepared,
          { startOffset, purge, inputFromStart: reset === 'earliest', statistics, onFailure, cacheMaxBytes, changelogTopic, ...(only === undefined ? {} : { only }), ...(commitPolicy === undefined ? {} : { commitPolicy }) });
      },
      createStandbyTasks: (onFailure, ids) => this.createStandbyTasks(plan.queryId, group, prepare(), ids, cacheMaxBytes, changelogTopic, onFailure),
      retryBackoffInitialMs: config.getInteger('ksql.query.retry.backoff.initial.ms') ?? 15_000,
      retryBackoffMaxMs: config.getInteger('ksql.query.retry.backoff.max.ms') ?? 900_000,
      maxErrors: config.getInteger('ksql.query.error.max.queue.size') ?? 10,
    });
    return query;
  }

  /** Kafka Streams' ids of a topology's tasks, `<sub-topology>_<partition>`. */
  private taskIds(topology: Topology): string[] {
    return this.taskSlots(topology).map((slot) => slot.taskId);
  }

  /** Every task of a topology: its sub-topology (and index), partition and Kafka Streams id `<sub-topology>_<partition>`. */
  private taskSlots(topology: Topology): { readonly index: number; readonly sub: SubTopology; readonly partition: number; readonly taskId: string }[] {
    return topology.subTopologies.flatMap((sub, index) =>
      Array.from({ length: this.topics.describeTopic(sub.sourceTopics[0]!).partitions.length }, (_, partition) => ({ index, sub, partition, taskId: `${index}_${partition}` })));
  }

  createTasks(queryId: string, group: string, topology: Topology, options: TopologyTaskOptions): StreamTask[] {
    const { startOffset, purge, inputFromStart, statistics, onFailure, cacheMaxBytes, changelogTopic, only, commitPolicy } = options;
    // On a log that restores state, every store of a task is logged to a changelog its task restores from.
    const logStores = this.taskLog.restoresState ? changelogTopic : undefined;
    // Reading from offset 0, a table source store can be rebuilt from the input at once; on a log that restores state its changelog restores it.
    const committedInput = inputFromStart && !this.taskLog.restoresState ? (partition: number) => committedInputOf(this.taskLog, group, partition) : undefined;
    const tasks: StreamTask[] = [];
    try {
      for (const { index, sub, partition, taskId } of this.taskSlots(topology)) {
        if (only !== undefined && !only.has(taskId)) continue;
        const topics = sub.sourceTopics;
        tasks.push(new StreamTask({
          log: this.taskLog,
          group,
          queryId,
          ...(statistics === undefined ? {} : { statistics }),
          taskId,
          topics,
          partition,
          startOffset: (topic) => startOffset(topic, partition),
          processingLogTopic: this.config.processingLogTopic,
          logger: `processing.${queryId}`,
          purge: { topics: topics.filter((t) => purge.internalTopics.has(t)), intervalMs: purge.intervalMs },
          ...(commitPolicy === undefined ? {} : { commitIntervalMs: commitPolicy.intervalMs, commitWhenCaughtUp: false, atLeastOnce: commitPolicy.atLeastOnce }),
          buildProcessor: (output) => this.buildProcessor(sub, output, queryId, partition, clockStoreName(index),
            committedInput?.(partition), cacheMaxBytes,
            logStores === undefined ? undefined : {
              output, topicOf: (name) => logStores(name, topics[0]!), ...(statistics === undefined ? {} : { onRestored: (r) => statistics.restored(r.records) }),
            }),
          onFailure,
        }));
      }
    } catch (error) {
      for (const task of tasks) task.close();
      throw error;
    }
    return tasks;
  }

  /**
   * Standby tasks for the tasks `ids` of a query (none unless the log
   * restores state: only then are stores logged): each opens its task's
   * stores as the operators do, and keeps them up to date from their
   * changelogs without processing anything.
   */
  private createStandbyTasks(
    queryId: string, group: string, topology: Topology, ids: ReadonlySet<string>, cacheMaxBytes: number,
    changelogTopic: (storeName: string, partitionsOf: string) => string, onFailure: (error: unknown) => void,
  ): StandbyTask[] {
    if (!this.taskLog.restoresState) return [];
    const standbys: StandbyTask[] = [];
    try {
      for (const { index, sub, partition, taskId } of this.taskSlots(topology)) {
        if (!ids.has(taskId)) continue;
        const topics = sub.sourceTopics;
        const state = new TaskState(this.stores, queryId, partition, clockStoreName(index), cacheMaxBytes, { output: DISCARD, topicOf: (name) => changelogTopic(name, topics[0]!) });
        let processor: RecordProcessor;
        try {
          processor = sub.buildProcessor({ output: DISCARD, state });
        } catch (error) {
          state.close();
          throw error;
        }
        const closeStores = (): void => {
          processor.close?.();
          state.close();
        };
        standbys.push(new StandbyTask({
          log: this.taskLog, registry: this.stores, group, queryId, taskId, partition, stores: state.loggedStores, closeStores, onFailure,
        }));
      }
    } catch (error) {
      for (const standby of standbys) void standby.close();
      throw error;
    }
    return standbys;
  }

  /** Where every standby store of this server stands in its changelog (each query's standby tasks, on a Kafka cluster). */
  standbyStoreLags(): StandbyStoreLag[] {
    return this.listQueries().flatMap((query) => query.standbyTasks.flatMap((standby) => standby.lags()));
  }

  /** A task's operators over its own stores; the stores are closed again when building fails. */
  private buildProcessor(
    sub: SubTopology, output: TaskOutput, queryId: string, partition: number, clockStore: string, committedInput: CommittedInput | undefined,
    cacheMaxBytes: number, changelogs: StoreChangelogs | undefined,
  ): RecordProcessor {
    const state = new TaskState(this.stores, queryId, partition, clockStore, cacheMaxBytes, changelogs);
    try {
      return sub.buildProcessor({ output, state, ...(committedInput === undefined ? {} : { committedInput }) });
    } catch (error) {
      state.close();
      throw error;
    }
  }

  /** Stops a query's tasks; `discard` (TERMINATE, DROP) also deletes its state and internal topics. */
  private stopQuery(id: string, discard: boolean): void {
    const q = this.queries.get(id);
    if (!q) return;
    q.stop();
    this.queries.delete(id);
    if (!discard) return;
    this.stores.dropQueryStores(id);
    for (const topic of q.internalTopics) this.deleteTopic(topic);
  }

  /**
   * Deletes a topic a command or a discarded query leaves behind. Every
   * server applying the command deletes it, whichever comes first; a
   * deletion that fails later than at once is logged, as the command it
   * belongs to has been applied already.
   */
  private deleteTopic(name: string): void {
    const deleted = this.topics.deleteTopic(name, { ifExists: true });
    if (isPromise(deleted)) deleted.catch((error: unknown) => this.logger.error({ topic: name, err: error }, 'could not delete a topic'));
  }

  /**
   * Ensures a source's topic exists with the partitions required, creating it
   * with `config` (source-topic-config.ts; a query sink's from the planner's
   * sink-topic-config.ts) when asked. A topic created only because
   * `autoCreateSourceTopics` allows it is a plain one, as ksqlDB's
   * test runner makes every topic before the statements run.
   */
  ensureTopic(name: string, partitions: number | undefined, config: Partial<TopicConfig>, kind: string, sourceName: string): MaybeAsync<void> {
    return andThen(this.topics.refresh(), () => {
      if (this.topics.hasTopic(name)) {
        const existing = this.topics.describeTopic(name).partitions.length;
        if (partitions !== undefined && partitions !== existing) {
          throw statementError(
            `A Kafka topic with the name '${name}' already exists, with different partition/replica configuration than required by KSQL. ` +
            `KSQL requires ${partitions} partitions (1 replication factor) and the existing topic has ${existing} partitions (1 replication factor)`,
          );
        }
        return undefined;
      }
      if (partitions === undefined && !this.autoCreateSourceTopics) {
        throw statementError(
          `Topic '${name}' does not exist. If you want to create a new topic for the ${kind} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). ` +
          `For example: CREATE ${kind.toUpperCase()} ${sourceName} (ID INT PRIMARY KEY, VALUE STRING) WITH (KAFKA_TOPIC='${name}', PARTITIONS=2, REPLICAS=1, FORMAT='JSON');`,
        );
      }
      return andThen(this.topics.createTopic(name, partitions === undefined ? { partitions: 1 } : { partitions, config }), () => undefined);
    });
  }

  /** Applies the commands other servers write as they appear (command-runner.ts), until close. */
  startCommandRunner(pollIntervalMs: number): void {
    this.commandRunner ??= new CommandRunner(this, pollIntervalMs);
    this.commandRunner.start();
  }

  /**
   * At a server's graceful stop, before `close`: every persistent query's
   * tasks commit what they processed and close, then the query leaves its
   * group, so whoever runs a task next starts exactly where it stopped.
   */
  async commitAndStopQueries(): Promise<void> {
    await Promise.all([...this.queries.values()].map((query) => query.stopGracefully()));
  }

  /** Stops every query; commits already made stay made. */
  close(): void {
    this.closed = true;
    void this.commandRunner?.stop();
    this.stopWatchingStorage();
    for (const q of [...this.transientQueries.values()]) q.close();
    for (const p of [...this.prints]) p.close();
    for (const id of [...this.queries.keys()]) this.stopQuery(id, false);
    this.scratchStores?.database.close();
  }
}

/** The clock store of a query's sub-topology; the first keeps the name it had before queries had several. */
/** Kafka Streams' commit.interval.ms under exactly-once, used on a remote log unless the property is set. */
const REMOTE_COMMIT_INTERVAL_MS = 100;

/**
 * On a remote log a commit costs round trips (a Kafka transaction: several), so tasks commit every
 * commit.interval.ms as Kafka Streams does, not at each poll that caught up.
 */
function remoteCommitPolicy(config: KsqlConfig): TaskCommitPolicy {
  const explicit = config.explicit()['commit.interval.ms'];
  return {
    intervalMs: explicit === undefined ? REMOTE_COMMIT_INTERVAL_MS : Number(explicit),
    atLeastOnce: config.getString('processing.guarantee') === 'at_least_once',
  };
}

function clockStoreName(index: number): string {
  return index === 0 ? 'StreamTime' : `StreamTime-${index}`;
}

function defaultStores(broker: Broker): StoreRegistry {
  const database = (broker as Partial<EmbeddedBroker>).database;
  if (database === undefined) throw new KsqlError('SERVER_ERROR', 'this broker keeps no local database: give the engine a state store registry');
  return openStoreRegistry(database);
}

export function internalError(message: string): KsqlError {
  return new KsqlError('SERVER_ERROR', message);
}
