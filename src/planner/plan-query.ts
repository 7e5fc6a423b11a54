/** From an analyzed stateless query to its physical steps. */
import type { AnalyzedQuery } from '../analyzer/query-analyzer.js';
import type { DataSource } from '../engine/data-source.js';
import type { ExecutionStep, StreamSink } from './steps.js';

/** The steps from the source up to (not including) the sink. */
export function planStream(analysis: AnalyzedQuery, source: DataSource): ExecutionStep {
  let step: ExecutionStep = {
    kind: 'StreamSource',
    topic: source.topic,
    alias: analysis.alias,
    schema: source.schema,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    window: source.window,
    timestampColumn: source.timestampColumn,
  };
  if (analysis.where !== undefined) step = { kind: 'StreamFilter', source: step, predicate: analysis.where };
  if (analysis.partitionBy !== undefined) {
    const { expressions, schema } = analysis.partitionBy;
    step = { kind: 'StreamSelectKey', source: step, keyExpressions: expressions, schema };
  }
  return {
    kind: 'StreamSelect',
    source: step,
    keyColumnNames: analysis.keyColumns.map((c) => c.name),
    selects: analysis.values.map((v) => ({ name: v.name, expression: v.expression })),
  };
}

/** Adds the sink step for a persistent query writing `sink`. */
export function planSink(upstream: ExecutionStep, sink: DataSource): StreamSink {
  return {
    kind: 'StreamSink',
    source: upstream,
    topic: sink.topic,
    schema: sink.schema,
    keyFormat: sink.keyFormat,
    valueFormat: sink.valueFormat,
    window: sink.window,
    timestampColumn: sink.timestampColumn,
  };
}
