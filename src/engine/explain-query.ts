/**
 * EXPLAIN <query id>: ksqlDB's `queryDescription` entity for a running
 * persistent query: its output columns, sources, sink, the execution plan
 * (one line per physical step, sink first, indented as ksqlDB indents it),
 * the plan graph as `topology` in Kafka Streams' description style
 * (sub-topologies, their topics, internal topics with partitions), its state, the
 * errors that put it in ERROR (`queryErrors`), per task the committed and end
 * offsets of what it reads (`tasksMetadata`, whose difference is the lag) and
 * its consumer group. As the EXPLAIN of ksqlDB's documentation shows, it also
 * carries the query's own runtime statistics (`statistics`, `errorStats`,
 * in DESCRIBE EXTENDED's format). SHOW QUERIES EXTENDED lists these
 * descriptions (`queryDescriptionList`).
 */
import { allOf, andThen, type MaybeAsync } from '../common/maybe-async.js';
import { statementError } from '../common/errors.js';
import type { StatementOfKind } from '../parser/ast/statement.js';
import { printExpression } from '../parser/index.js';
import { planGraph } from '../planner/plan-graph.js';
import { printPlanGraph } from '../planner/print-plan-graph.js';
import type { ExecutionStep } from '../planner/steps.js';
import { formatLogicalSchema } from '../schema/logical-schema.js';
import type { EnginePorts } from './engine-ports.js';
import type { PersistentQuery } from './persistent-query.js';
import type { TransientQuery } from '../runtime/transient-query.js';
import { describeColumns, describeSqlType, type FieldInfo } from './field-info.js';
import { formatStats, queryStats, tasksMetadata, type StreamsTaskMetadata } from './runtime-statistics.js';
import { localHost } from './local-host.js';
import { transientQueryPrefix } from './transient-application-id.js';
import type { QueryError } from './query-error.js';

export interface QueryDescription {
  readonly id: string;
  readonly statementText: string;
  readonly windowType: string | null;
  readonly fields: readonly FieldInfo[];
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  readonly topology: string;
  readonly executionPlan: string;
  readonly overriddenProperties: Readonly<Record<string, string | number | boolean>>;
  readonly ksqlHostQueryStatus: Readonly<Record<string, string>>;
  readonly queryType: 'PERSISTENT' | 'PUSH';
  readonly queryErrors: readonly QueryError[];
  readonly tasksMetadata: readonly StreamsTaskMetadata[];
  readonly consumerGroupId: string;
  readonly statistics: string;
  readonly errorStats: string;
  /** RUNNING or ERROR; null when nothing runs (EXPLAIN <statement>), as ksqlDB's is absent without a host status. */
  readonly state: string | null;
}

export interface QueryDescriptionEntity {
  readonly '@type': 'queryDescription';
  readonly statementText: string;
  readonly queryDescription: QueryDescription;
  readonly warnings: readonly { readonly message: string }[];
}

export interface QueryDescriptionListEntity {
  readonly '@type': 'queryDescriptionList';
  readonly statementText: string;
  readonly queryDescriptions: readonly QueryDescription[];
  readonly warnings: readonly { readonly message: string }[];
}

/** SHOW QUERIES EXTENDED: the description of every persistent query, then of every push query. */
export function describeQueries(ports: EnginePorts, statementText: string): MaybeAsync<QueryDescriptionListEntity> {
  const pushQueries = ports.runner.listTransientQueries().filter((q) => !q.isScan).map((q) => describePushQuery(ports, q));
  return andThen(allOf(ports.runner.listQueries().map((q) => describeQuery(ports, q))), (persistent) => ({
    '@type': 'queryDescriptionList' as const, statementText, warnings: [],
    queryDescriptions: [...persistent, ...pushQueries],
  }));
}

/** A push query as ksqlDB describes a transient query: what it reads and answers, no sink, RUNNING while it lives. */
function describePushQuery(ports: Pick<EnginePorts, 'config'>, query: TransientQuery): QueryDescription {
  return {
    id: query.id,
    statementText: query.statementText,
    windowType: null,
    fields: query.columns.map((c) => ({ name: c.name, schema: describeSqlType(c.type) })),
    sources: query.sourceName === undefined ? [] : [query.sourceName],
    sinks: [],
    topology: '',
    executionPlan: '',
    overriddenProperties: {},
    ksqlHostQueryStatus: { [localHost(ports.config)]: 'RUNNING' },
    queryType: 'PUSH',
    queryErrors: [],
    tasksMetadata: [],
    consumerGroupId: transientQueryPrefix(ports, query.id),
    statistics: '',
    errorStats: '',
    state: 'RUNNING',
  };
}

/** EXPLAIN <query id> (EXPLAIN <statement> is explain-statement.ts). */
export function explainQuery(ports: EnginePorts, stmt: StatementOfKind<'Explain'>): MaybeAsync<QueryDescriptionEntity> {
  if (stmt.queryId === undefined) throw statementError('EXPLAIN names a running query by its id, or a statement to plan.');
  const id = stmt.queryId.toUpperCase();
  const query = ports.runner.getQuery(id) ?? ports.runner.getQuery(stmt.queryId);
  if (query === undefined) throw statementError(`Query with id:${id} does not exist, use SHOW QUERIES to view the full set of queries.`);
  return andThen(describeQuery(ports, query), (queryDescription) => ({ '@type': 'queryDescription' as const, statementText: stmt.text, queryDescription, warnings: [] }));
}

/** A persistent query's description; its tasks' committed offsets are asked of the log, which may answer later. */
export function describeQuery(ports: EnginePorts, query: PersistentQuery): MaybeAsync<QueryDescription> {
  const sink = ports.catalog.metastore.getSource(query.sinkName);
  const plan = query.command.plan.physicalPlan;
  return andThen(tasksMetadata(ports, query), (tasks) => ({
    id: query.id,
    statementText: query.statementText,
    windowType: sink?.window?.type ?? null,
    fields: sink === undefined ? [] : describeColumns(sink.schema),
    sources: [...query.sourceNames],
    sinks: [query.sinkName],
    topology: describeTopology(ports, query),
    executionPlan: printablePlan(plan, query),
    overriddenProperties: { ...query.command.properties },
    ksqlHostQueryStatus: { [localHost(ports.config)]: query.state },
    queryType: 'PERSISTENT',
    queryErrors: [...query.errors],
    tasksMetadata: tasks,
    consumerGroupId: ports.runner.queryGroup(query.id),
    statistics: formatStats(queryStats(ports, query, false), false),
    errorStats: formatStats(queryStats(ports, query, true), true),
    state: query.state,
  }));
}

/** The plan of a query in ERROR may be one this server cannot read: it prints as nothing. */
function printablePlan(plan: ExecutionStep, query: PersistentQuery): string {
  try {
    return printPlan(plan, query.id, 0);
  } catch {
    return '';
  }
}

/** One line per step, the sink first, each input indented one step further. */
export function printPlan(step: ExecutionStep, queryId: string, depth: number): string {
  const indent = '\t\t'.repeat(depth);
  const line = (label: string, detail: string, logger: string): string => `${indent} > [ ${label} ] | ${detail} | Logger: ${queryId}.${logger}\n`;
  const below = (): string => ('source' in step ? printPlan(step.source, queryId, depth + 1) : '');
  switch (step.kind) {
    case 'StreamSource':
    case 'TableSource':
      return line('SOURCE', `Schema: ${formatLogicalSchema(step.schema)}`, `KsqlTopic.Source`);
    case 'StreamFilter':
    case 'TableFilter':
      return line('FILTER', `Predicate: ${printExpression(step.predicate)}`, 'WhereFilter') + below();
    case 'StreamSelectKey':
      return line('REKEY', `Schema: ${formatLogicalSchema(step.schema)}`, 'PartitionBy') + below();
    case 'StreamFlatMap':
      return line('FLAT_MAP', `Functions: ${step.tableFunctions.map((f) => `${f.functionName}(${f.args.map(printExpression).join(', ')}) AS ${f.name}`).join(', ')}`, 'FlatMap') + below();
    case 'StreamSelect':
    case 'TableSelect':
      return line('PROJECT', `Columns: ${step.selects.map((s) => `${printExpression(s.expression)} AS ${s.name}`).join(', ')}`, 'Project') + below();
    case 'StreamGroupBy':
    case 'TableGroupBy':
      return line('GROUP_BY', `Key: ${step.groupBy.map(printExpression).join(', ')}`, 'GroupBy') + below();
    case 'StreamAggregate':
    case 'StreamWindowedAggregate':
    case 'TableAggregate':
      return line('AGGREGATE', `Schema: ${formatLogicalSchema(step.schema)}`, 'Aggregate') + below();
    case 'StreamTableJoin':
    case 'TableTableJoin':
    case 'StreamStreamJoin':
    case 'ForeignKeyTableTableJoin': {
      const label = step.kind === 'StreamTableJoin' ? 'JOIN' : step.kind === 'StreamStreamJoin' ? 'STREAM_STREAM_JOIN' : 'TABLE_TABLE_JOIN';
      return line(label, `Schema: ${formatLogicalSchema(step.schema)}`, 'Join')
        + printPlan(step.left.source, queryId, depth + 1) + printPlan(step.right.source, queryId, depth + 1);
    }
    case 'TableChangelogStream':
      return line('CHANGELOG', `Schema: ${formatLogicalSchema(step.schema)}`, 'Changelog') + below();
    case 'StreamSink':
    case 'TableSink':
      return line('SINK', `Schema: ${formatLogicalSchema(step.schema)}`, step.topic) + below();
  }
}

/** The query's plan graph; nothing for a plan this server cannot read. */
function describeTopology(ports: Pick<EnginePorts, 'log' | 'runner'>, query: PersistentQuery): string {
  try {
    return describePlanGraph(ports, query.command.plan.physicalPlan, ports.runner.queryGroup(query.id));
  } catch {
    return '';
  }
}

/**
 * A plan's graph as `topology` (sub-topologies, internal topics with their
 * partitions when their topics exist); `prefix` is the query's consumer group.
 */
export function describePlanGraph(ports: Pick<EnginePorts, 'log'>, plan: ExecutionStep, prefix: string): string {
  const { topics } = ports.log;
  const partitions = (topic: string): number | undefined => (topics.hasTopic(topic) ? topics.describeTopic(topic).partitions.length : undefined);
  return printPlanGraph(planGraph(plan, prefix), partitions);
}
