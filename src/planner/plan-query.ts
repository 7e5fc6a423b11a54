/** From an analyzed query to its physical steps. */
import type { AnalyzedAggregation } from '../analyzer/aggregate-analyzer.js';
import type { AnalyzedQuery } from '../analyzer/query-analyzer.js';
import type { DataSource } from '../catalog/data-source.js';
import type { Expression } from '../parser/ast/expression.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import type { ExecutionStep, GroupBy, Join, StreamSink, StreamSource } from './steps.js';
import type { AnalyzedJoin } from '../analyzer/analyzed-source.js';
import { resolveJoinKeyFormats } from './join-key-format.js';
import { nameInternalTopics } from './internal-topics.js';
import { aggregateServingPulls } from './aggregate-served-table.js';

/**
 * The steps from the source up to (not including) the sink. For a join,
 * `source` is the left source and `joinSources` holds both sources.
 */
export interface PlanOptions {
  /** Beyond ksqlDB: a non-windowed aggregation forgets a key idle (by stream time) longer than this. */
  readonly stateRetentionMs?: number;
}

export function planStream(
  analysis: AnalyzedQuery, source: DataSource, joinSources?: readonly DataSource[], defaultKeyFormat = 'KAFKA', options: PlanOptions = {},
): ExecutionStep {
  const { join } = analysis.source;
  const table = join === undefined ? source.kind === 'TABLE' : analysis.source.kind === 'TABLE';
  let step: ExecutionStep = join === undefined
    ? sourceStep(source, analysis.alias)
    : resolveJoinKeyFormats(planJoin(join, (name) => joinSources?.find((s) => s.name === name) ?? source), defaultKeyFormat);
  if (analysis.where !== undefined) step = { kind: table ? 'TableFilter' : 'StreamFilter', source: step, predicate: analysis.where };
  if (analysis.partitionBy !== undefined) {
    const { expressions, schema } = analysis.partitionBy;
    step = { kind: 'StreamSelectKey', source: step, keyExpressions: expressions, schema };
  }
  if (analysis.tableFunctions.length > 0) {
    const tableFunctions = analysis.tableFunctions.map((f) => ({ name: f.name, functionName: f.functionName, args: f.args }));
    step = { kind: 'StreamFlatMap', source: step, tableFunctions };
  }
  const { aggregation } = analysis;
  if (aggregation !== undefined) step = planAggregation(step, aggregation, analysis.source.schema, table, analysis.emitFinal, options);
  const result = aggregation !== undefined || table;
  step = {
    kind: result ? 'TableSelect' : 'StreamSelect',
    source: step,
    keyColumnNames: analysis.keyColumns.map((c) => c.name),
    ...(analysis.keyIndices === undefined ? {} : { keyIndices: analysis.keyIndices }),
    selects: analysis.values.map((v) => ({ name: v.name, expression: v.expression })),
  };
  return nameInternalTopics(step);
}

function sourceStep(source: DataSource, alias: string): StreamSource {
  return {
    kind: source.kind === 'TABLE' ? 'TableSource' : 'StreamSource',
    topic: source.topic,
    alias,
    schema: source.schema,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    window: source.window,
    timestampColumn: source.timestampColumn,
  };
}

function planJoin(join: AnalyzedJoin, lookup: (name: string) => DataSource): Join {
  const left = join.left.join === undefined ? sourceStep(lookup(join.left.source.name), join.left.alias) : planJoin(join.left.join, lookup);
  return {
    kind: join.kind,
    joinType: join.joinType,
    left: { source: left, expression: join.left.expression, repartition: join.left.rekey && join.kind !== 'ForeignKeyTableTableJoin' },
    right: { source: sourceStep(lookup(join.right.source.name), join.right.alias), expression: join.right.expression, repartition: join.right.rekey },
    window: join.window,
    schema: join.schema,
    ...(join.kind === 'ForeignKeyTableTableJoin' ? { subscriptions: true as const } : {}),
  };
}

function planAggregation(
  input: ExecutionStep, a: AnalyzedAggregation, inputSchema: LogicalSchema, table: boolean, emitFinal: boolean, options: PlanOptions,
): ExecutionStep {
  const groupSchema: LogicalSchema = {
    key: a.keyColumns,
    value: a.internals.map((i) => ({ name: i.name, type: { kind: 'STRING' }, namespace: 'VALUE' as const })),
  };
  const group: GroupBy = {
    kind: table ? 'TableGroupBy' : 'StreamGroupBy',
    source: input,
    groupBy: a.groupBy,
    internals: a.internals,
    repartition: table || !isSourceKey(a.groupBy, inputSchema),
    schema: groupSchema,
  };
  let step: ExecutionStep = {
    kind: table ? 'TableAggregate' : a.window !== undefined ? 'StreamWindowedAggregate' : 'StreamAggregate',
    source: group,
    inputSchema,
    calls: a.calls.map((c) => ({ name: c.name, functionName: c.functionName, args: c.args, columnArgNames: c.columnArgNames })),
    window: a.window,
    emitFinal,
    schema: a.schema,
    ...(options.stateRetentionMs === undefined ? {} : { stateRetentionMs: options.stateRetentionMs }),
  };
  if (a.having !== undefined) step = { kind: 'TableFilter', source: step, predicate: a.having };
  return step;
}

/** Whether the grouping is exactly the source's key, so rows are already where their group is. */
function isSourceKey(groupBy: readonly Expression[], schema: LogicalSchema): boolean {
  return groupBy.length === schema.key.length
    && groupBy.every((g, i) => g.kind === 'ColumnRef' && g.name === schema.key[i]!.name);
}

/** Adds the sink step for a persistent query writing `sink`. */
export function planSink(upstream: ExecutionStep, sink: DataSource): StreamSink {
  return {
    kind: sink.kind === 'TABLE' ? 'TableSink' : 'StreamSink',
    source: upstream,
    topic: sink.topic,
    schema: sink.schema,
    keyFormat: sink.keyFormat,
    valueFormat: sink.valueFormat,
    window: sink.window,
    timestampColumn: sink.timestampColumn,
    ...(sink.kind === 'TABLE' && aggregateServingPulls(upstream, sink.window !== undefined) !== undefined ? { servedFromAggregate: true as const } : {}),
  };
}
