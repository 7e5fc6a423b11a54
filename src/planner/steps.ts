/**
 * Physical steps: the serializable plan of a query, in ksqlDB's vocabulary.
 * Plain JSON (expressions are ASTs; BIGINT literals need src/common/json-bigint.ts),
 * persisted in the command log and rebuilt into operators on every start.
 */
import type { FormatInfo, TimestampColumn, WindowInfo } from '../engine/data-source.js';
import type { Expression } from '../parser/ast/expression.js';
import type { LogicalSchema } from '../schema/logical-schema.js';

export const PLAN_VERSION = 1;

export interface StreamSource {
  readonly kind: 'StreamSource';
  readonly topic: string;
  /** The source's name or alias, for EXPLAIN and processing-log logger names. */
  readonly alias: string;
  readonly schema: LogicalSchema;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  readonly window: WindowInfo | undefined;
  readonly timestampColumn: TimestampColumn | undefined;
}

export interface StreamFilter {
  readonly kind: 'StreamFilter';
  readonly source: ExecutionStep;
  readonly predicate: Expression;
}

/** PARTITION BY: a new key from expressions; the old key columns move into the value. */
export interface StreamSelectKey {
  readonly kind: 'StreamSelectKey';
  readonly source: ExecutionStep;
  readonly keyExpressions: readonly Expression[];
  /** The schema after the step (key = the new key columns). */
  readonly schema: LogicalSchema;
}

/** The projection: key values pass through (renamed); value columns are computed. */
export interface StreamSelect {
  readonly kind: 'StreamSelect';
  readonly source: ExecutionStep;
  readonly keyColumnNames: readonly string[];
  readonly selects: readonly { readonly name: string; readonly expression: Expression }[];
}

export interface StreamSink {
  readonly kind: 'StreamSink';
  readonly source: ExecutionStep;
  readonly topic: string;
  readonly schema: LogicalSchema;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  /** The window of the sink's keys, when it is windowed (absent in plans of earlier versions). */
  readonly window?: WindowInfo | undefined;
  readonly timestampColumn: TimestampColumn | undefined;
}

export type ExecutionStep = StreamSource | StreamFilter | StreamSelectKey | StreamSelect | StreamSink;
export type StepKind = ExecutionStep['kind'];

/** A persistent query's plan as stored in the command log. */
export interface QueryPlan {
  readonly version: number;
  readonly queryId: string;
  readonly sink: string;
  readonly sourceNames: readonly string[];
  readonly physicalPlan: ExecutionStep;
}
