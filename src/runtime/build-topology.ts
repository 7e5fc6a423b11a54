/**
 * Turns a query's physical steps into sub-topologies: each reads one topic
 * (a source, or an internal repartition topic) and runs a chain of operators
 * per task. Everything per schema (serdes, compiled expressions, stores) is
 * built once per task; the per-record path only calls closures.
 *
 * Rows flow as `(row, old)`: `old` is the row a table change replaces (null
 * for streams and for new keys), and a NULL-valued row is a deletion. A
 * GroupBy that must move rows to their key's task ends one sub-topology in a
 * repartition topic and starts the next one from it.
 */
import type { ConsumedRecord } from '../broker/broker.js';
import { KsqlError } from '../common/errors.js';
import { withValues, type Row } from '../expr/row.js';
import type { Aggregate, ExecutionStep, GroupBy, Join, JoinSideStep, StreamFlatMap, StreamSink, StreamSource } from '../planner/steps.js';
import { buildJoinOperator, type JoinEntries } from './join-operator.js';
import { buildStreamStreamJoin } from './stream-join-operator.js';
import { buildForeignKeyJoin } from './foreign-key-join-operator.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import { STRING, type SqlType } from '../schema/sql-type.js';
import { createSerde, type Serde } from '../formats/index.js';
import { bindExpression } from '../analyzer/bind-expression.js';
import { walkExpression } from '../parser/ast/traverse.js';
import { scopeOf } from '../analyzer/query-analyzer.js';
import { buildCast } from '../expr/cast.js';
import { buildAggregateCalls } from './aggregate-calls.js';
import { buildKeyAggregate, buildSessionAggregate, buildTimeWindowAggregate, type RowSink } from './aggregate-operator.js';
import { compileGuarded, loggerName, rowText, typeOf, type TopologyContext } from './guarded-expression.js';
import { recordProcessingError } from './processing-log.js';
import { buildSinkWriter } from './sink-writer.js';
import { buildSourceReader } from './source-reader.js';
import { buildTableMaterializer } from './table-materializer.js';
import type { RecordProcessor, TaskOutput } from './task.js';
import type { TaskState } from './task-state.js';
import { decodeValue, encodeValue } from './value-codec.js';

export type { TopologyContext } from './guarded-expression.js';

/** What a task's operators work with. */
export interface TaskScope {
  readonly output: TaskOutput;
  readonly state: TaskState;
}

/** One topic's worth of a query: a task per partition of `sourceTopic`. */
export interface SubTopology {
  /** One topic, or both sides of a join (read by one task per partition). */
  readonly sourceTopics: readonly string[];
  buildProcessor(task: TaskScope): RecordProcessor;
}

export interface Topology {
  /** In data-flow order: a sub-topology's internal output feeds a later one. */
  readonly subTopologies: readonly SubTopology[];
  /** Internal topics to create, each with as many partitions as `partitionsOf`. */
  readonly internalTopics: readonly { readonly name: string; readonly partitionsOf: string }[];
  readonly sinkTopic: string;
}

/** Where a chain's rows come from: its topics and how a record enters the chain. */
interface Root {
  readonly topics: readonly string[];
  read(task: TaskScope, entry: RowSink): (record: ConsumedRecord) => void;
}

interface StepBuild {
  readonly schema: LogicalSchema;
  readonly windowed: boolean;
  readonly root: Root;
  /** Connects this step to what follows; returns the function the root feeds. */
  readonly connect: (task: TaskScope, next: RowSink) => RowSink;
}

interface Builder {
  readonly ctx: TopologyContext;
  readonly subTopologies: SubTopology[];
  readonly internalTopics: { name: string; partitionsOf: string }[];
}

export function buildTopology(sink: ExecutionStep, ctx: TopologyContext): Topology {
  if (sink.kind !== 'StreamSink' && sink.kind !== 'TableSink') throw new KsqlError('SERVER_ERROR', `a query plan must end in a sink, not ${sink.kind}`);
  const builder: Builder = { ctx, subTopologies: [], internalTopics: [] };
  const upstream = buildStep(sink.source, builder);
  builder.subTopologies.push(chain(upstream, (task) => {
    const write = buildSinkWriter(sink as StreamSink, upstream.schema, ctx, task.output);
    if (sink.kind !== 'TableSink') return (row) => write(row);
    const materialize = buildTableMaterializer(sink, upstream.schema.key.length, task.state);
    return (row) => {
      write(row);
      materialize(row);
    };
  }));
  return { subTopologies: builder.subTopologies, internalTopics: builder.internalTopics, sinkTopic: sink.topic };
}

/**
 * The operators of a sink-less plan (a transient query): each row the last
 * step produces goes to `onRow` instead of a topic. Plans that need a
 * repartition topic cannot run this way.
 */
export function buildRowProcessor(last: ExecutionStep, ctx: TopologyContext, task: TaskScope, onRow: (row: Row) => void): RecordProcessor {
  const builder: Builder = { ctx, subTopologies: [], internalTopics: [] };
  const built = buildStep(last, builder);
  if (builder.subTopologies.length > 0) throw new KsqlError('SERVER_ERROR', 'a transient query cannot repartition its input');
  return chain(built, () => (row) => onRow(row)).buildProcessor(task);
}

/**
 * The operators of a sink-less plan fed with rows instead of records (a pull
 * query over a table's materialized rows): returns the function to feed.
 */
export function buildRowChain(last: ExecutionStep, ctx: TopologyContext, task: TaskScope, onRow: (row: Row) => void): RowSink {
  const builder: Builder = { ctx, subTopologies: [], internalTopics: [] };
  const built = buildStep(last, builder);
  if (builder.subTopologies.length > 0) throw new KsqlError('SERVER_ERROR', 'a pull query cannot repartition its input');
  return built.connect(task, (row) => onRow(row));
}

/** A sub-topology from a built chain and its terminal operator. */
function chain(build: StepBuild, terminal: (task: TaskScope) => RowSink): SubTopology {
  return {
    sourceTopics: build.root.topics,
    buildProcessor(task) {
      const entry = build.connect(task, terminal(task));
      const process = build.root.read(task, entry);
      const { state } = task;
      return {
        process,
        flushState: () => state.flush(),
        abortState: () => state.abort(),
        close: () => state.close(),
      };
    },
  };
}

function buildStep(step: ExecutionStep, b: Builder): StepBuild {
  const { ctx } = b;
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
      return {
        ...up,
        connect: (task, next) => {
          const having = table && isAggregate(step.source);
          const predicate = compileGuarded(step.predicate, up.schema, up.windowed, ctx, task.output,
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
      return {
        schema: step.schema,
        windowed: up.windowed,
        root: up.root,
        connect: (task, next) => {
          const keys = step.keyExpressions.map((e, i) =>
            compileGuarded(e, up.schema, up.windowed, ctx, task.output, 'PartitionBy', `the PARTITION BY expression ${i + 1}`));
          // A row without a value (a tombstone) gets NULL for every key expression that reads the value, as in ksqlDB.
          const valueNames = new Set(up.schema.value.map((c) => c.name));
          const readsValue = step.keyExpressions.map((e) => {
            let reads = false;
            walkExpression(e, (node) => {
              if (node.kind === 'ColumnRef' && valueNames.has(node.name)) reads = true;
            });
            return reads;
          });
          return up.connect(task, (row) => {
            const values: unknown[] = keys.map((k, i) => (row.nullValue && readsValue[i] ? null : k(row)));
            for (const i of valueIndexes) values.push(row.values[i] ?? null);
            next(withValues(row, values), null);
          });
        },
      };
    }
    case 'StreamFlatMap':
      return buildFlatMap(step, b);
    case 'StreamSelect':
    case 'TableSelect': {
      const up = buildStep(step.source, b);
      const keyCount = up.schema.key.length;
      const schema: LogicalSchema = {
        key: up.schema.key.map((c, i) => ({ ...c, name: step.keyColumnNames[i] ?? c.name })),
        value: step.selects.map((s) => ({ name: s.name, type: typeOf(s.expression, up.schema, up.windowed, ctx) ?? STRING, namespace: 'VALUE' as const })),
      };
      return {
        schema,
        windowed: up.windowed,
        root: up.root,
        connect: (task, next) => {
          const selects = step.selects.map((s) =>
            compileGuarded(s.expression, up.schema, up.windowed, ctx, task.output, 'Project', `the expression for column ${s.name}`));
          const width = keyCount + selects.length;
          const project = (row: Row): Row => {
            const values: unknown[] = new Array(width);
            const input = row.values;
            for (let i = 0; i < keyCount; i++) values[i] = input[i];
            if (row.nullValue) for (let i = keyCount; i < width; i++) values[i] = null;
            else for (let i = keyCount; i < width; i++) values[i] = selects[i - keyCount]!(row);
            return withValues(row, values);
          };
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
    case 'StreamSink':
    case 'TableSink':
      throw new KsqlError('SERVER_ERROR', 'a sink can only end a plan');
  }
}

function isAggregate(step: ExecutionStep): boolean {
  return step.kind === 'StreamAggregate' || step.kind === 'TableAggregate' || step.kind === 'StreamWindowedAggregate';
}

function tombstone(row: Row): Row {
  const values = row.values.slice();
  return { ...row, values, nullValue: true };
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
 * A table source: the latest row per key in a store, so each change carries
 * the row it replaces. Records without a key are dropped, as in ksqlDB.
 */
function tableRoot(source: StreamSource, ctx: TopologyContext): Root {
  const keyCount = source.schema.key.length;
  return {
    topics: [source.topic],
    read(task, entry) {
      const read = buildSourceReader(source, ctx, task.output);
      const store = task.state.keyValueStore(`${source.alias}-Source-Materialize`);
      return (record) => {
        if (record.key === null && keyCount > 0) return;
        const row = read(record);
        if (row === null) return;
        const id = record.key ?? Buffer.alloc(0);
        const previous = store.get(id);
        const old: Row | null = previous === null ? null : { ...row, values: decodeValue(previous) as unknown[], nullValue: false };
        store.put(id, row.nullValue ? null : encodeValue(row.values));
        entry(row, old);
      };
    },
  };
}

/** GroupBy: the grouping key and the aggregate arguments; through a repartition topic when the key changes. */
function buildGroupBy(step: GroupBy, b: Builder): StepBuild {
  const { ctx } = b;
  const up = buildStep(step.source, b);
  const internalTypes = step.internals.map((i) => typeOf(i.expression, up.schema, up.windowed, ctx) ?? STRING);
  const schema: LogicalSchema = {
    key: step.schema.key,
    value: step.internals.map((i, k) => ({ name: i.name, type: internalTypes[k]!, namespace: 'VALUE' as const })),
  };
  /** The grouped row of an input row, or null when a grouping value is NULL. */
  const grouper = (task: TaskScope): ((row: Row) => Row | null) => {
    const keys = step.groupBy.map((e, i) => compileGuarded(e, up.schema, up.windowed, ctx, task.output, 'GroupBy', `the GROUP BY expression ${i + 1}`));
    const internals = step.internals.map((i) => compileGuarded(i.expression, up.schema, up.windowed, ctx, task.output, 'Aggregate', `the aggregate argument ${i.name}`));
    const logger = loggerName(ctx, 'GroupBy');
    return (row) => {
      const values: unknown[] = [];
      for (const k of keys) {
        const v = k(row);
        if (v === null) {
          task.output.logError(recordProcessingError(logger,
            new KsqlError('BAD_STATEMENT', 'Group-by column resolved to null. The source row will be excluded from the table.'),
            ctx.includeRows ? rowText(row, up.schema) : null));
          return null;
        }
        values.push(v);
      }
      for (const f of internals) values.push(f(row));
      return { ...withValues(row, values), window: null };
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
      windowed: up.windowed,
      root: up.root,
      connect: (task, next) => up.connect(task, groupChanges(task, next)),
    };
  }
  const topic = `${ctx.internalTopicPrefix}-Aggregate-GroupBy-repartition`;
  b.internalTopics.push({ name: topic, partitionsOf: up.root.topics[0]! });
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
  const scope = scopeOf(up.schema, undefined, up.windowed, ctx.functions, ctx.lookupType, 'SELECT');
  const resolved = step.tableFunctions.map((f) => {
    const argTypes = f.args.map((a) => bindExpression(a, scope).type);
    return ctx.functions.resolveTableFunction(f.functionName, argTypes);
  });
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
        const args = f.args.map((a, j) => {
          const evaluate = compileGuarded(a, up.schema, up.windowed, ctx, task.output, 'FlatMap', `the argument ${j + 1} of ${f.functionName}`);
          const from = bindExpression(a, scope).type;
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

function buildAggregate(step: Aggregate, b: Builder): StepBuild {
  const { ctx } = b;
  const up = buildStep(step.source, b);
  const keyCount = step.schema.key.length;
  const window = step.window;
  return {
    schema: step.schema,
    windowed: window !== undefined,
    root: up.root,
    connect: (task, next) => {
      const calls = buildAggregateCalls(step, ctx);
      let operator: RowSink;
      if (window === undefined) operator = buildKeyAggregate(calls, keyCount, task.state, next);
      else if (window.type === 'SESSION') operator = buildSessionAggregate(calls, keyCount, window, step.emitFinal, task.state, next);
      else operator = buildTimeWindowAggregate(calls, keyCount, window, step.emitFinal, task.state, next);
      return up.connect(task, operator);
    },
  };
}

/**
 * The key bytes that partition a re-keyed side's rows: the join key written
 * in the key format of the side it meets (the other side when that one keeps
 * its source's key, else the leftmost source), so that a key lands in the
 * partition where the other side's records with that key are.
 */
function partitioningKeySerde(step: Join, other: JoinSideStep, keyType: SqlType): Serde {
  let source: StreamSource | Join = !other.repartition ? other.source : step.left.source;
  while (!isSourceStep(source)) source = source.left.source;
  const { keyFormat } = source;
  return createSerde({
    format: keyFormat.format, target: 'key', columns: [{ name: 'ROWKEY', type: keyType, namespace: 'KEY' }],
    properties: keyFormat.properties, features: keyFormat.features, topic: source.topic,
  });
}

function isSourceStep(step: StreamSource | Join): step is StreamSource {
  return step.kind === 'StreamSource' || step.kind === 'TableSource';
}

/** Where one side of a join enters: its root, and how each of its rows gives the join key and the side's columns. */
interface JoinSideRoot {
  readonly root: Root;
  /** The side's rows carry the join key in front of the source's columns (after a repartition). */
  readonly keyed: boolean;
  readonly build: StepBuild;
}

/**
 * A join: one task per partition reads both sides (co-partitioned topics).
 * A side joined on something other than its key is re-keyed first, through
 * a repartition topic keyed by the join expression's value.
 */
function buildJoin(step: Join, b: Builder): StepBuild {
  const { ctx } = b;
  const side = (s: JoinSideStep, other: JoinSideStep, name: 'left' | 'right'): JoinSideRoot => {
    const up = buildStep(s.source, b);
    if (!s.repartition) return { root: up.root, keyed: false, build: up };
    const topic = `${ctx.internalTopicPrefix}-Join-${name}-repartition`;
    b.internalTopics.push({ name: topic, partitionsOf: up.root.topics[0]! });
    const keyType = typeOf(s.expression, up.schema, up.windowed, ctx) ?? STRING;
    const partitioning = partitioningKeySerde(step, other, keyType);
    b.subTopologies.push(chain(up, (task) => {
      const keyOf = compileGuarded(s.expression, up.schema, up.windowed, ctx, task.output, 'Join', 'the join expression');
      return (row) => {
        if (row.nullValue) return;
        const key = keyOf(row);
        if (key === null) return;
        let partitionKey: Buffer | undefined;
        try {
          partitionKey = partitioning.serialize([key]) ?? undefined;
        } catch (error) {
          task.output.logError(recordProcessingError(loggerName(ctx, 'Join'), error, ctx.includeRows ? rowText(row, up.schema) : null));
          return;
        }
        task.output.emit(topic, { key: encodeValue([key]), value: encodeValue(row.values), timestamp: row.timestamp, headers: row.headers, partitionKey });
      };
    }));
    return {
      keyed: true,
      build: up,
      root: {
        topics: [topic],
        read: (_task, entry) => (record) => {
          const [key] = decodeValue(record.key!) as unknown[];
          const values = decodeValue(record.value!) as unknown[];
          entry({
            values: [key, ...values], timestamp: record.timestamp, partition: record.partition, offset: record.offset,
            headers: record.headers, window: null, nullValue: false,
          }, null);
        },
      },
    };
  };
  const left = side(step.left, step.right, 'left');
  const right = side(step.right, step.left, 'right');
  return {
    schema: step.schema,
    windowed: left.build.windowed,
    root: {
      topics: [...left.root.topics, ...right.root.topics],
      read(task, entry) {
        const join = step.kind === 'StreamStreamJoin' ? buildStreamStreamJoin(step, task.state, entry)
          : step.kind === 'ForeignKeyTableTableJoin'
            ? buildForeignKeyJoin(step, task.state, compileGuarded(step.left.expression, left.build.schema, left.build.windowed, ctx, task.output, 'Join', 'the foreign key'), entry)
            : buildJoinOperator(step, task.state, entry);
        /** A side's rows into the join: with their key in front (repartitioned), their key column, or (an earlier join) the join expression. */
        const enter = (s: JoinSideRoot, spec: JoinSideStep, to: JoinEntries['left']): RowSink => {
          if (s.keyed) return (row, old) => to(row.values[0], withValues(row, row.values.slice(1)), old);
          if (spec.source.kind === 'StreamSource' || spec.source.kind === 'TableSource') return (row, old) => to(row.values[0], row, old);
          const keyOf = compileGuarded(spec.expression, s.build.schema, s.build.windowed, ctx, task.output, 'Join', 'the join expression');
          return (row, old) => to(row.nullValue && old !== null ? keyOf(old) : keyOf(row), row, old);
        };
        // A repartitioned side's steps ran before its repartition topic; otherwise they run here.
        const wire = (s: JoinSideRoot, sink: RowSink): RowSink => (s.keyed ? sink : s.build.connect(task, sink));
        const readLeft = left.root.read(task, wire(left, enter(left, step.left, join.left)));
        const readRight = right.root.read(task, wire(right, enter(right, step.right, join.right)));
        const leftTopics = new Set(left.root.topics);
        return (record) => (leftTopics.has(record.topic) ? readLeft(record) : readRight(record));
      },
    },
    connect: (_task, next) => next,
  };
}
