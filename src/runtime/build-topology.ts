/**
 * Turns a query's physical steps into the operator chain of a task: a
 * function from a consumed record to the records the sink emits. Everything
 * per schema (serdes, compiled expressions, column index maps) is built here,
 * once per task; the per-record path only evaluates closures.
 */
import { KsqlError } from '../common/errors.js';
import { bindExpression } from '../analyzer/bind-expression.js';
import { scopeOf } from '../analyzer/query-analyzer.js';
import { createSerde } from '../formats/index.js';
import type { FunctionRegistry } from '../functions/registry.js';
import type { ConsumedRecord } from '../broker/broker.js';
import { compileExpression, type Evaluator } from '../expr/compile-expression.js';
import { withValues, type Row } from '../expr/row.js';
import type { ExecutionStep, StreamSink, StreamSource } from '../planner/steps.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import { BIGINT, STRING, type SqlType } from '../schema/sql-type.js';
import { deserializationError, recordProcessingError, serializationError } from './processing-log.js';
import type { RecordProcessor, TaskOutput } from './task.js';

export interface TopologyContext {
  readonly queryId: string;
  readonly functions: FunctionRegistry;
  readonly lookupType: (name: string) => SqlType | undefined;
  /** ksql.logging.processing.rows.include */
  readonly includeRows: boolean;
}

/** A built query: the topic its tasks read, and how to make each task's processor. */
export interface Topology {
  readonly sourceTopic: string;
  readonly sinkTopic: string;
  buildProcessor(output: TaskOutput): RecordProcessor;
}

type Downstream = (row: Row) => void;

interface StepBuild {
  readonly schema: LogicalSchema;
  readonly windowed: boolean;
  /** Connects this step to what follows it; returns the step's input function. */
  readonly connect: (output: TaskOutput, next: Downstream) => Downstream;
}

export function buildTopology(sink: ExecutionStep, ctx: TopologyContext): Topology {
  if (sink.kind !== 'StreamSink') throw new KsqlError('SERVER_ERROR', `a query plan must end in a sink, not ${sink.kind}`);
  const source = findSource(sink);
  const upstream = buildStep(sink.source, ctx);
  return {
    sourceTopic: source.topic,
    sinkTopic: sink.topic,
    buildProcessor(output) {
      const emit = buildSinkWriter(sink, upstream.schema, ctx, output);
      const entry = upstream.connect(output, emit);
      const read = buildSourceReader(source, ctx, output);
      return {
        process(record: ConsumedRecord) {
          const row = read(record);
          if (row !== null) entry(row);
        },
      };
    },
  };
}

function findSource(step: ExecutionStep): StreamSource {
  let s: ExecutionStep = step;
  while (s.kind !== 'StreamSource') s = s.source;
  return s;
}

function logger(ctx: TopologyContext, name: string): string {
  return `processing.${ctx.queryId}.${name}`;
}

function rowText(row: Row, schema: LogicalSchema): string {
  const names = [...schema.key, ...schema.value].map((c) => c.name);
  return JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row.values[i] ?? null])), (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v);
}

/** Compiles an expression against a schema; an evaluation error is logged and yields NULL. */
function compileGuarded(
  expression: Parameters<typeof bindExpression>[0], schema: LogicalSchema, windowed: boolean, ctx: TopologyContext,
  output: TaskOutput, loggerName: string, what: string,
): Evaluator {
  const scope = scopeOf(schema, undefined, windowed, ctx.functions, ctx.lookupType, 'SELECT');
  const name = logger(ctx, loggerName);
  const evaluate = compileExpression(bindExpression(expression, scope), {
    onError: (error, row) => output.logError(recordProcessingError(name, error, ctx.includeRows ? rowText(row, schema) : null)),
  });
  return (row) => {
    try {
      return evaluate(row);
    } catch (error) {
      const message = `Error computing ${what}: ${error instanceof Error ? error.message : String(error)}`;
      output.logError(recordProcessingError(name, new KsqlError('BAD_STATEMENT', message, { cause: error }), ctx.includeRows ? rowText(row, schema) : null));
      return null;
    }
  };
}

function buildStep(step: ExecutionStep, ctx: TopologyContext): StepBuild {
  switch (step.kind) {
    case 'StreamSource':
      return { schema: step.schema, windowed: step.window !== undefined, connect: (_output, next) => next };
    case 'StreamFilter': {
      const up = buildStep(step.source, ctx);
      return {
        schema: up.schema,
        windowed: up.windowed,
        connect: (output, next) => {
          const predicate = compileGuarded(step.predicate, up.schema, up.windowed, ctx, output, 'Filter', 'the WHERE clause');
          return up.connect(output, (row) => {
            if (!row.nullValue && predicate(row) === true) next(row);
          });
        },
      };
    }
    case 'StreamSelectKey': {
      const up = buildStep(step.source, ctx);
      const upColumns = [...up.schema.key, ...up.schema.value].map((c) => c.name);
      const valueIndexes = step.schema.value.map((c) => upColumns.indexOf(c.name));
      return {
        schema: step.schema,
        windowed: up.windowed,
        connect: (output, next) => {
          const keys = step.keyExpressions.map((e, i) =>
            compileGuarded(e, up.schema, up.windowed, ctx, output, 'PartitionBy', `the PARTITION BY expression ${i + 1}`));
          return up.connect(output, (row) => {
            const values: unknown[] = keys.map((k) => k(row));
            for (const i of valueIndexes) values.push(row.values[i] ?? null);
            next(withValues(row, values));
          });
        },
      };
    }
    case 'StreamSelect': {
      const up = buildStep(step.source, ctx);
      const keyCount = up.schema.key.length;
      const schema: LogicalSchema = {
        key: up.schema.key.map((c, i) => ({ ...c, name: step.keyColumnNames[i] ?? c.name })),
        value: step.selects.map((s) => ({
          name: s.name,
          type: bindExpression(s.expression, scopeOf(up.schema, undefined, up.windowed, ctx.functions, ctx.lookupType, 'SELECT')).type ?? STRING,
          namespace: 'VALUE' as const,
        })),
      };
      return {
        schema,
        windowed: up.windowed,
        connect: (output, next) => {
          const selects = step.selects.map((s) =>
            compileGuarded(s.expression, up.schema, up.windowed, ctx, output, 'Project', `the expression for column ${s.name}`));
          return up.connect(output, (row) => {
            const values = row.values.slice(0, keyCount);
            if (row.nullValue) for (let i = 0; i < selects.length; i++) values.push(null);
            else for (const f of selects) values.push(f(row));
            next(withValues(row, values));
          });
        },
      };
    }
    case 'StreamSink':
      throw new KsqlError('SERVER_ERROR', 'a sink can only end a plan');
  }
}

/** Record -> row for the source step: deserialize, fill headers columns, pick the timestamp. */
function buildSourceReader(source: StreamSource, ctx: TopologyContext, output: TaskOutput): (record: ConsumedRecord) => Row | null {
  const { schema } = source;
  const keySerde = createSerde({ format: source.keyFormat.format, target: 'key', columns: schema.key, properties: source.keyFormat.properties, features: source.keyFormat.features, topic: source.topic });
  const valueColumns = schema.value.filter((c) => c.namespace !== 'HEADERS');
  const valueSerde = createSerde({ format: source.valueFormat.format, target: 'value', columns: valueColumns, properties: source.valueFormat.properties, features: source.valueFormat.features, topic: source.topic });
  const loggerName = logger(ctx, `KsqlTopic.Source.deserializer`);
  // Where each value-side column comes from: the deserialized value, or the record headers.
  const fillers = schema.value.map((c) => {
    if (c.namespace !== 'HEADERS') {
      const i = valueColumns.indexOf(c);
      return (value: unknown[], _record: ConsumedRecord) => value[i] ?? null;
    }
    if (c.headerKey !== undefined) {
      const key = c.headerKey;
      return (_value: unknown[], record: ConsumedRecord) => {
        for (let i = record.headers.length - 1; i >= 0; i--) if (record.headers[i]!.key === key) return record.headers[i]!.value;
        return null;
      };
    }
    return (_value: unknown[], record: ConsumedRecord) => record.headers.map((h) => ({ KEY: h.key, VALUE: h.value }));
  });
  const timestampOf = buildTimestampExtractor(source, ctx);
  const hasKey = schema.key.length > 0;
  return (record) => {
    let key: unknown[] | null;
    try {
      key = hasKey ? keySerde.deserialize(record.key) : [];
    } catch (error) {
      output.logError(deserializationError(loggerName, 'key', record.topic, record.key, error, ctx.includeRows));
      return null;
    }
    let value: unknown[] | null;
    try {
      value = valueSerde.deserialize(record.value);
    } catch (error) {
      output.logError(deserializationError(loggerName, 'value', record.topic, record.value, error, ctx.includeRows));
      return null;
    }
    const values: unknown[] = key === null ? schema.key.map(() => null) : key.slice();
    const nullValue = value === null;
    for (const fill of fillers) values.push(nullValue ? null : fill(value!, record));
    const row: Row = { values, timestamp: record.timestamp, partition: record.partition, offset: record.offset, headers: record.headers, window: null, nullValue };
    if (timestampOf === undefined) return row;
    const ts = timestampOf(row);
    if (ts === null || ts < 0) return null;
    return { ...row, timestamp: ts };
  };
}

/** The event time of a row, from the TIMESTAMP column when one is set. */
function buildTimestampExtractor(source: { schema: LogicalSchema; timestampColumn: StreamSource['timestampColumn'] }, ctx: TopologyContext): ((row: Row) => number | null) | undefined {
  const tc = source.timestampColumn;
  if (tc === undefined) return undefined;
  const columns = [...source.schema.key, ...source.schema.value];
  const index = columns.findIndex((c) => c.name === tc.column);
  const type = columns[index]!.type;
  if (type.kind === 'STRING') {
    const parse = ctx.functions.resolve('STRINGTOTIMESTAMP', [STRING, STRING]).implementation;
    const format = tc.format!;
    return (row) => {
      const text = row.values[index];
      if (text === null || text === undefined) return null;
      const v = parse(text, format);
      return v === null ? null : Number(v);
    };
  }
  void BIGINT;
  return (row) => {
    const v = row.values[index];
    return v === null || v === undefined ? null : Number(v);
  };
}

function buildSinkWriter(sink: StreamSink, upstream: LogicalSchema, ctx: TopologyContext, output: TaskOutput): Downstream {
  const { schema } = sink;
  const keySerde = createSerde({ format: sink.keyFormat.format, target: 'key', columns: schema.key, properties: sink.keyFormat.properties, features: sink.keyFormat.features, topic: sink.topic });
  const valueSerde = createSerde({ format: sink.valueFormat.format, target: 'value', columns: schema.value, properties: sink.valueFormat.properties, features: sink.valueFormat.features, topic: sink.topic });
  const keyCount = upstream.key.length;
  const loggerName = logger(ctx, `${sink.topic}.serializer`);
  const timestampOf = buildTimestampExtractor(sink, ctx);
  const topic = sink.topic;
  return (row) => {
    let key: Buffer | null;
    let value: Buffer | null;
    try {
      key = keyCount === 0 ? null : keySerde.serialize(row.values.slice(0, keyCount));
    } catch (error) {
      output.logError(serializationError(loggerName, 'key', topic, error, ctx.includeRows ? rowText(row, upstream) : null));
      return;
    }
    try {
      value = row.nullValue ? null : valueSerde.serialize(row.values.slice(keyCount));
    } catch (error) {
      output.logError(serializationError(loggerName, 'value', topic, error, ctx.includeRows ? rowText(row, upstream) : null));
      return;
    }
    const timestamp = timestampOf === undefined ? row.timestamp : timestampOf(row);
    if (timestamp === null || timestamp < 0) return;
    output.emit(topic, { key, value, timestamp, headers: row.headers });
  };
}
