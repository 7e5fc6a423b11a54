/**
 * Instantiates a query's plan graph (src/planner/plan-graph.ts): each
 * sub-topology the planner cut reads one topic (a source, or an internal
 * repartition topic), or the topics of both sides of a join (build-join.ts),
 * and runs a chain of operators per task. The internal topics and their
 * names, configs and partition counts are the planner's. Expressions are
 * bound once here, per query (guarded-expression.ts); what a task owns
 * (compiled expressions, serdes, stores, aggregators) is built once per task;
 * the per-record path only calls closures.
 *
 * Rows flow as `(row, old)`: `old` is the row a table change replaces (null
 * for streams and for new keys), and a NULL-valued row is a deletion. A
 * GroupBy that must move rows to their key's task ends one sub-topology in a
 * repartition topic and starts the next one from it.
 */
import { KsqlError } from '../common/errors.js';
import { withValues, type Row } from '../expr/row.js';
import type { Aggregate, ExecutionStep, GroupBy, StreamFlatMap, StreamSink, StreamSource, TableChangelogStream } from '../planner/steps.js';
import { planGraph, type InternalTopic, type PlanGraph } from '../planner/plan-graph.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import { STRING, type SqlType } from '../schema/sql-type.js';
import { buildJoin } from './build-join.js';
import { addColumnsRead, ColumnReads } from './column-reads.js';
import { chain, internalTopicName, tombstone, type Builder, type Root, type StepBuild, type SubTopology, type TaskScope } from './step-build.js';
import { walkExpression } from '../parser/ast/traverse.js';
import { buildCast } from '../expr/cast.js';
import { bindAggregateCalls } from './aggregate-calls.js';
import { AGGREGATE_STORE_NAME, buildKeyAggregate, buildSessionAggregate, buildTimeWindowAggregate } from './aggregate-operator.js';
import { aggregateServingPulls } from '../planner/aggregate-served-table.js';
import { binderOver, compileGuarded, loggerName, rowText, type TopologyContext } from './guarded-expression.js';
import { recordProcessingError } from './processing-log.js';
import { buildSinkWriter } from './sink-writer.js';
import { buildSourceReader } from './source-reader.js';
import { buildTableMaterializer } from './table-materializer.js';
import { ignoresOld, ignoringOld, type RowSink } from './row-sink.js';
import { entersTable, openTableSourceStore } from './table-source-store.js';
import type { RecordProcessor } from './task.js';
import { decodeValue, encodeValue } from './value-codec.js';

export type { TopologyContext } from './guarded-expression.js';
export type { SubTopology, TaskScope } from './step-build.js';
export type { InternalTopic } from '../planner/plan-graph.js';

export interface Topology {
  /** As the plan graph orders them: a sub-topology's internal output feeds a later one (but for a foreign-key join's subscriptions). */
  readonly subTopologies: readonly SubTopology[];
  /** Internal topics to create (the planner's): repartition topics, changelogs of stores, subscription topics. */
  readonly internalTopics: readonly InternalTopic[];
}

function newBuilder(ctx: TopologyContext, built?: ReadonlyMap<ExecutionStep, StepBuild>): Builder {
  const builder: Builder = { ctx, subTopologies: [], reads: new ColumnReads(), buildStep: (step) => buildStep(step, builder), ...(built === undefined ? {} : { built }) };
  return builder;
}

export function buildTopology(sink: ExecutionStep, ctx: TopologyContext): Topology {
  if (sink.kind !== 'StreamSink' && sink.kind !== 'TableSink') throw new KsqlError('SERVER_ERROR', `a query plan must end in a sink, not ${sink.kind}`);
  const graph = planGraph(sink, ctx.internalTopicPrefix);
  const builder = newBuilder(ctx);
  const upstream = buildStep(sink.source, builder);
  builder.subTopologies.push(chain(upstream, (task) => {
    const write = buildSinkWriter(sink, upstream.schema, ctx, task.output, task.state);
    if (sink.kind !== 'TableSink' || sink.servedFromAggregate === true) return ignoringOld((row) => write(row));
    const materialize = buildTableMaterializer(sink, upstream.schema.key.length, task.state);
    return ignoringOld((row) => {
      write(row);
      materialize(row);
    });
  }));
  return checkedTopology(builder, graph);
}

/**
 * A sink-less plan run as a whole topology (a push query over a join): its
 * repartitions and stores as a persistent query's, and each row of the last
 * sub-topology to `onRow` instead of a sink topic.
 */
export function buildTransientTopology(last: ExecutionStep, ctx: TopologyContext, onRow: (row: Row) => void): Topology {
  const graph = planGraph(last, ctx.internalTopicPrefix);
  const builder = newBuilder(ctx);
  const upstream = buildStep(last, builder);
  builder.subTopologies.push(chain(upstream, () => (row) => onRow(row)));
  return checkedTopology(builder, graph);
}

/** The builders cut where the graph does; a difference is a bug, caught before any task runs. */
function checkedTopology(builder: Builder, graph: PlanGraph): Topology {
  const built = JSON.stringify(builder.subTopologies.map((sub) => sub.sourceTopics));
  const planned = JSON.stringify(graph.subTopologies.map((sub) => sub.sourceTopics));
  if (built !== planned) throw new KsqlError('SERVER_ERROR', `the operators read ${built}, but the plan's sub-topologies read ${planned}`);
  return { subTopologies: builder.subTopologies, internalTopics: graph.internalTopics };
}

/**
 * The operators of a sink-less plan (a transient query): each row the last
 * step produces goes to `onRow` instead of a topic. Plans that need a
 * repartition topic cannot run this way.
 */
export function buildRowProcessor(last: ExecutionStep, ctx: TopologyContext, task: TaskScope, onRow: (row: Row) => void): RecordProcessor {
  const builder = newBuilder(ctx);
  const built = buildStep(last, builder);
  if (builder.subTopologies.length > 0) throw new KsqlError('SERVER_ERROR', 'a transient query cannot repartition its input');
  return chain(built, () => (row) => onRow(row)).buildProcessor(task);
}

/**
 * The operators of a sink-less plan fed with rows instead of records (a pull
 * query over a table's materialized rows): returns the function to feed.
 */
export function buildRowChain(last: ExecutionStep, ctx: TopologyContext, task: TaskScope, onRow: (row: Row) => void): RowSink {
  const builder = newBuilder(ctx);
  const built = buildStep(last, builder);
  if (builder.subTopologies.length > 0) throw new KsqlError('SERVER_ERROR', 'a pull query cannot repartition its input');
  return built.connect(task, (row) => onRow(row));
}

/**
 * How a table served from its aggregate's store (planner's
 * aggregate-served-table.ts) turns the store's rows (key columns, then the
 * accumulators, with the window and timestamp) into the table's rows: the
 * aggregate's results, then the steps between it and the sink (HAVING,
 * projection). `connect` is per reader, as a task's operators are.
 */
export interface AggregateStoreReader {
  readonly storeName: string;
  readonly connect: (task: TaskScope, next: RowSink) => RowSink;
}

export function aggregateStoreReader(sink: StreamSink, ctx: TopologyContext): AggregateStoreReader {
  const aggregate = aggregateServingPulls(sink.source, sink.window !== undefined);
  if (aggregate === undefined) throw new KsqlError('SERVER_ERROR', `the table ${sink.topic} is not served from an aggregate's store`);
  const up = buildGroupBy(aggregate.source, newBuilder(ctx));
  const bound = bindAggregateCalls(aggregate, up.internalTypes, up.windowed, ctx);
  const keyCount = aggregate.schema.key.length;
  const stored: StepBuild = {
    schema: aggregate.schema,
    windowed: aggregate.window !== undefined,
    root: up.root,
    connect: (task, next) => {
      const logger = loggerName(ctx, 'Aggregate');
      const calls = bound.build((error) => task.output.logError(recordProcessingError(logger, error, null)));
      return (row) => {
        const values = row.values.slice(0, keyCount);
        for (const result of calls.results(row.values.slice(keyCount))) values.push(result);
        next(withValues(row, values), null);
      };
    },
  };
  const built = buildStep(sink.source, newBuilder(ctx, new Map([[aggregate, stored]])));
  return { storeName: AGGREGATE_STORE_NAME, connect: (task, next) => built.connect(task, next) };
}

function buildStep(step: ExecutionStep, b: Builder): StepBuild {
  const { ctx } = b;
  const built = b.built?.get(step);
  if (built !== undefined) return built;
  switch (step.kind) {
    case 'StreamSource':
    case 'TableSource':
      return {
        schema: step.schema,
        windowed: step.window !== undefined,
        root: step.kind === 'StreamSource' ? streamRoot(step, ctx) : tableRoot(step, ctx),
        connect: (_task, next) => next,
      };
    case 'StreamFilter':
    case 'TableFilter': {
      const up = buildStep(step.source, b);
      const table = step.kind === 'TableFilter';
      const having = table && isAggregate(step.source);
      const bound = binderOver(up.schema, up.windowed, ctx)(step.predicate);
      const read = new Set<number>();
      addColumnsRead(bound, read);
      b.reads.note(step.source, step, read, true);
      return {
        ...up,
        connect: (task, next) => {
          const predicate = compileGuarded(bound, up.schema, ctx, task.output,
            having ? 'Aggregate.Having' : 'Filter', having ? 'the HAVING clause' : 'the WHERE clause');
          const passes = (row: Row | null): row is Row => row !== null && !row.nullValue && predicate(row) === true;
          if (!table) return up.connect(task, (row) => {
            if (passes(row)) next(row, null);
          });
          // A table row that stops passing is deleted downstream; one that never passed is no change.
          return up.connect(task, (row, old) => {
            const before = passes(old) ? old : null;
            if (passes(row)) next(row, before);
            else if (before !== null) next(tombstone(row), before);
          });
        },
      };
    }
    case 'StreamSelectKey': {
      const up = buildStep(step.source, b);
      const upColumns = [...up.schema.key, ...up.schema.value].map((c) => c.name);
      const valueIndexes = step.schema.value.map((c) => upColumns.indexOf(c.name));
      const bind = binderOver(up.schema, up.windowed, ctx);
      const bound = step.keyExpressions.map(bind);
      // A row without a value (a tombstone) gets NULL for every key expression that reads the value, as in ksqlDB.
      const valueNames = new Set(up.schema.value.map((c) => c.name));
      const readsValue = step.keyExpressions.map((e) => {
        let reads = false;
        walkExpression(e, (node) => {
          if (node.kind === 'ColumnRef' && valueNames.has(node.name)) reads = true;
        });
        return reads;
      });
      return {
        schema: step.schema,
        windowed: up.windowed,
        root: up.root,
        connect: (task, next) => {
          const keys = bound.map((e, i) => compileGuarded(e, up.schema, ctx, task.output, 'PartitionBy', `the PARTITION BY expression ${i + 1}`));
          return up.connect(task, (row) => {
            const values: unknown[] = keys.map((k, i) => (row.nullValue && readsValue[i] ? null : k(row)));
            for (const i of valueIndexes) values.push(row.values[i] ?? null);
            next({ ...withValues(row, values), nullKey: false }, null);
          });
        },
      };
    }
    case 'StreamFlatMap':
      return buildFlatMap(step, b);
    case 'StreamSelect':
    case 'TableSelect': {
      const up = buildStep(step.source, b);
      const keyIndices = step.keyIndices ?? up.schema.key.map((_, i) => i);
      const keyCount = keyIndices.length;
      const bind = binderOver(up.schema, up.windowed, ctx);
      const bound = step.selects.map((s) => bind(s.expression));
      const read = new Set<number>(keyIndices);
      for (const e of bound) addColumnsRead(e, read);
      b.reads.note(step.source, step, read, false);
      const schema: LogicalSchema = {
        key: keyIndices.map((k, i) => ({ ...up.schema.key[k]!, name: step.keyColumnNames[i] ?? up.schema.key[k]!.name })),
        value: step.selects.map((s, i) => ({ name: s.name, type: bound[i]!.type ?? STRING, namespace: 'VALUE' as const })),
      };
      return {
        schema,
        windowed: up.windowed,
        root: up.root,
        connect: (task, next) => {
          const selects = step.selects.map((s, i) =>
            compileGuarded(bound[i]!, up.schema, ctx, task.output, 'Project', `the expression for column ${s.name}`));
          // A select of a bare column is copied by its index: no evaluator call per record (q0 selects only columns).
          const copied = bound.map((e) => (e.kind === 'ColumnAccess' ? e.index : -1));
          const width = keyCount + selects.length;
          // Every column in its place (q0's SELECT of all columns in order): the row goes on as it is, no copy.
          const identity = width === up.schema.key.length + up.schema.value.length &&
            keyIndices.every((k, i) => k === i) && copied.every((from, i) => from === keyCount + i);
          const project = identity ? (row: Row): Row => row : (row: Row): Row => {
            const values: unknown[] = new Array(width);
            const input = row.values;
            for (let i = 0; i < keyCount; i++) values[i] = input[keyIndices[i]!];
            if (row.nullValue) {
              for (let i = keyCount; i < width; i++) values[i] = null;
            } else {
              for (let i = keyCount; i < width; i++) {
                const from = copied[i - keyCount]!;
                values[i] = from >= 0 ? input[from] ?? null : selects[i - keyCount]!(row);
              }
            }
            return withValues(row, values);
          };
          if (ignoresOld(next)) return up.connect(task, ignoringOld((row) => next(project(row), null)));
          return up.connect(task, (row, old) => next(project(row), old === null ? null : project(old)));
        },
      };
    }
    case 'StreamGroupBy':
    case 'TableGroupBy':
      return buildGroupBy(step, b);
    case 'StreamAggregate':
    case 'TableAggregate':
    case 'StreamWindowedAggregate':
      return buildAggregate(step, b);
    case 'StreamTableJoin':
    case 'TableTableJoin':
    case 'StreamStreamJoin':
    case 'ForeignKeyTableTableJoin':
      return buildJoin(step, b);
    case 'TableChangelogStream':
      return buildChangelogStream(step, b);
    case 'StreamSink':
    case 'TableSink':
      throw new KsqlError('SERVER_ERROR', 'a sink can only end a plan');
    default: {
      // A plan from the command log may hold a step this server does not know.
      const unknown: { readonly kind?: unknown } = step;
      throw new KsqlError('SERVER_ERROR', `unknown plan step '${String(unknown.kind)}'`);
    }
  }
}

function isAggregate(step: ExecutionStep): boolean {
  return step.kind === 'StreamAggregate' || step.kind === 'TableAggregate' || step.kind === 'StreamWindowedAggregate';
}

function streamRoot(source: StreamSource, ctx: TopologyContext): Root {
  return {
    topics: [source.topic],
    read(task, entry) {
      const read = buildSourceReader(source, ctx, task.output);
      return (record) => {
        const row = read(record);
        if (row !== null) entry(row, null);
      };
    },
  };
}

/**
 * A table source: the latest row per key in a store (table-source-store.ts),
 * so each change carries the row it replaces.
 */
function tableRoot(source: StreamSource, ctx: TopologyContext): Root {
  return {
    topics: [source.topic],
    read(task, entry) {
      const read = buildSourceReader(source, ctx, task.output);
      const store = openTableSourceStore(source, ctx, task);
      return (record) => {
        if (!entersTable(record, source)) return;
        const row = read(record);
        if (row === null) return;
        const previous = store.replace(record.key, row.nullValue ? null : row.values);
        entry(row, previous === null ? null : { ...row, values: previous, nullValue: false });
      };
    },
  };
}

/** A built GroupBy, with the types its internal columns were bound to (null for an untyped NULL). */
interface GroupByBuild extends StepBuild {
  readonly internalTypes: readonly (SqlType | null)[];
}

/** GroupBy: the grouping key and the aggregate arguments; through a repartition topic when the key changes. */
function buildGroupBy(step: GroupBy, b: Builder): GroupByBuild {
  const { ctx } = b;
  const up = buildStep(step.source, b);
  const bind = binderOver(up.schema, up.windowed, ctx);
  const boundKeys = step.groupBy.map(bind);
  const boundInternals = step.internals.map((i) => bind(i.expression));
  const internalTypes = boundInternals.map((e) => e.type);
  const schema: LogicalSchema = {
    key: step.schema.key,
    value: step.internals.map((i, k) => ({ name: i.name, type: internalTypes[k] ?? STRING, namespace: 'VALUE' as const })),
  };
  /** The grouped row of an input row, or null when a grouping value is NULL. */
  const grouper = (task: TaskScope): ((row: Row) => Row | null) => {
    const keys = boundKeys.map((e, i) => compileGuarded(e, up.schema, ctx, task.output, 'GroupBy', `the GROUP BY expression ${i + 1}`));
    const internals = boundInternals.map((e, k) => compileGuarded(e, up.schema, ctx, task.output, 'Aggregate', `the aggregate argument ${step.internals[k]!.name}`));
    const logger = loggerName(ctx, 'GroupBy');
    // Per record: one values array and one row, no iterator (the aggregations' hot path).
    const width = keys.length + internals.length;
    return (row) => {
      const values = new Array<unknown>(width);
      for (let index = 0; index < keys.length; index++) {
        const v = keys[index]!(row);
        if (v === null) {
          task.output.logError(recordProcessingError(logger,
            new KsqlError('BAD_STATEMENT', `Group-by column with index ${index} resolved to null. The source row will be excluded from the table.`),
            ctx.includeRows ? rowText(row, up.schema) : null));
          return null;
        }
        values[index] = v;
      }
      for (let k = 0; k < internals.length; k++) values[keys.length + k] = internals[k]!(row);
      // Grouped by its own key, a windowed source keeps its windowed key (ksqlDB's groupByKey).
      return {
        values, timestamp: row.timestamp, partition: row.partition, offset: row.offset, headers: row.headers,
        window: step.repartition ? null : row.window, nullValue: row.nullValue, nullKey: row.nullKey,
      };
    };
  };
  const table = step.kind === 'TableGroupBy';
  const keyCount = schema.key.length;
  /**
   * Feeds grouped changes as Kafka Streams' KTableRepartitionMap does: a
   * table change whose old and new rows fall in one group is one change
   * (`row` with `old`); otherwise an undo of the old row (a NULL-valued row
   * with `old`) to its group, then an add of the new one to its group.
   */
  const groupChanges = (task: TaskScope, emit: RowSink): RowSink => {
    const group = grouper(task);
    return (row, old) => {
      const before = table && old !== null ? group(old) : null;
      const after = row.nullValue ? null : group(row);
      if (before !== null && after !== null && sameKey(before, after, keyCount)) {
        emit(after, before);
        return;
      }
      if (before !== null) emit(tombstone(before), before);
      if (after !== null) emit(after, null);
    };
  };
  if (!step.repartition) {
    return {
      schema,
      internalTypes,
      windowed: up.windowed,
      root: up.root,
      connect: (task, next) => up.connect(task, groupChanges(task, next)),
    };
  }
  const topic = internalTopicName(ctx, step.repartitionTopic);
  b.subTopologies.push(chain(up, (task) => groupChanges(task, (row, old) => {
    task.output.emit(topic, {
      key: encodeValue(row.values.slice(0, keyCount)),
      value: encodeValue([row.nullValue ? null : row.values.slice(keyCount), old === null ? null : old.values.slice(keyCount)]),
      timestamp: row.timestamp,
      headers: row.headers,
    });
  })));
  return {
    schema,
    internalTypes,
    windowed: false,
    root: {
      topics: [topic],
      read: (_task, entry) => (record) => {
        const key = decodeValue(record.key!) as unknown[];
        const [values, oldValues] = decodeValue(record.value!) as [unknown[] | null, unknown[] | null];
        const rowOf = (v: unknown[]): Row => ({
          values: [...key, ...v], timestamp: record.timestamp, partition: record.partition, offset: record.offset,
          headers: record.headers, window: null, nullValue: false,
        });
        const old = oldValues === null ? null : rowOf(oldValues);
        if (values !== null) entry(rowOf(values), old);
        else if (old !== null) entry(tombstone(old), old);
      },
    },
    connect: (_task, next) => next,
  };
}

function sameKey(a: Row, b: Row, keyCount: number): boolean {
  return encodeValue(a.values.slice(0, keyCount)).equals(encodeValue(b.values.slice(0, keyCount)));
}

/**
 * StreamFlatMap: per input row, the table functions' lists zipped to the
 * longest, one output row per position (a shorter list gives NULL there).
 * A NULL list or a failing call contributes no elements; a NULL-valued row
 * yields nothing.
 */
function buildFlatMap(step: StreamFlatMap, b: Builder): StepBuild {
  const { ctx } = b;
  const up = buildStep(step.source, b);
  const bind = binderOver(up.schema, up.windowed, ctx);
  const boundArgs = step.tableFunctions.map((f) => f.args.map(bind));
  const resolved = step.tableFunctions.map((f, i) => ctx.functions.resolveTableFunction(f.functionName, boundArgs[i]!.map((a) => a.type)));
  const schema: LogicalSchema = {
    key: up.schema.key,
    value: [...up.schema.value, ...step.tableFunctions.map((f, i) => ({ name: f.name, type: resolved[i]!.returnType, namespace: 'VALUE' as const }))],
  };
  return {
    schema,
    windowed: up.windowed,
    root: up.root,
    connect: (task, next) => {
      const logger = loggerName(ctx, 'FlatMap');
      const calls = step.tableFunctions.map((f, i) => {
        const call = resolved[i]!;
        const args = boundArgs[i]!.map((a, j) => {
          const evaluate = compileGuarded(a, up.schema, ctx, task.output, 'FlatMap', `the argument ${j + 1} of ${f.functionName}`);
          const from = a.type;
          const to = call.paramTypes[j];
          if (to === null || to === undefined) return evaluate;
          const cast = buildCast(from, to);
          return (row: Row) => cast(evaluate(row));
        });
        return (row: Row): readonly unknown[] => {
          try {
            return call.implementation(...args.map((a) => a(row)));
          } catch (error) {
            const message = `Error computing ${f.functionName}: ${error instanceof Error ? error.message : String(error)}`;
            task.output.logError(recordProcessingError(logger, new KsqlError('BAD_STATEMENT', message, { cause: error }), ctx.includeRows ? rowText(row, up.schema) : null));
            return [];
          }
        };
      });
      return up.connect(task, (row) => {
        if (row.nullValue) return;
        const lists = calls.map((c) => c(row));
        const length = Math.max(0, ...lists.map((l) => l.length));
        for (let i = 0; i < length; i++) next(withValues(row, [...row.values, ...lists.map((l) => (i < l.length ? l[i] : null))]), null);
      });
    },
  };
}

/** A table's changes as stream rows: key, BEFORE, AFTER (NULL for a new key, a deletion). */
function buildChangelogStream(step: TableChangelogStream, b: Builder): StepBuild {
  const up = buildStep(step.source, b);
  const keyCount = up.schema.key.length;
  const names = up.schema.value.map((c) => c.name);
  const struct = (row: Row | null): Record<string, unknown> | null => {
    if (row === null || row.nullValue) return null;
    return Object.fromEntries(names.map((n, i) => [n, row.values[keyCount + i] ?? null]));
  };
  return {
    schema: step.schema,
    windowed: up.windowed,
    root: up.root,
    connect: (task, next) => up.connect(task, (row, old) => {
      const before = struct(old);
      const after = struct(row);
      // Deleting a key the table did not hold changes nothing.
      if (before === null && after === null) return;
      next({ ...withValues(row, [...row.values.slice(0, keyCount), before, after]), nullValue: false }, null);
    }),
  };
}

function buildAggregate(step: Aggregate, b: Builder): StepBuild {
  const { ctx } = b;
  const up = buildGroupBy(step.source, b);
  const keyCount = step.schema.key.length;
  const window = step.window;
  const bound = bindAggregateCalls(step, up.internalTypes, up.windowed, ctx);
  return {
    schema: step.schema,
    windowed: window !== undefined,
    root: up.root,
    connect: (task, next) => {
      const logger = loggerName(ctx, 'Aggregate');
      const calls = bound.build((error, row) =>
        task.output.logError(recordProcessingError(logger, error, ctx.includeRows && row !== null ? rowText(row, step.inputSchema) : null)));
      let operator: RowSink;
      if (window === undefined) operator = buildKeyAggregate(calls, keyCount, task.state, next, step.stateRetentionMs);
      else if (window.type === 'SESSION') operator = buildSessionAggregate(calls, keyCount, window, step.emitFinal, task.state, next);
      else operator = buildTimeWindowAggregate(calls, keyCount, window, step.emitFinal, task.state, next);
      return up.connect(task, operator);
    },
  };
}

