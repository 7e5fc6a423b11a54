/**
 * Physical steps: the plan of a query, in ksqlDB's vocabulary, as a tree
 * from the sink down to the sources. The planner also decides the internal
 * topics (internal-topics.ts), which the steps name, and the graph of
 * sub-topologies they make (plan-graph.ts); the command log keeps the plan
 * as that graph, expressions as SQL text (persisted-plan.ts).
 */
import type { WindowSpec } from '../analyzer/aggregate-analyzer.js';
import type { FormatInfo, TimestampColumn, WindowInfo } from '../catalog/data-source.js';
import type { Expression } from '../parser/ast/expression.js';
import type { LogicalSchema } from '../schema/logical-schema.js';

/** The format of persisted plans: 1 held this tree as JSON with AST expressions; 2 holds the graph (persisted-plan.ts). */
export const PLAN_VERSION = 2;

/**
 * A source topic read as a stream (every record an event) or as a table
 * (TableSource: the latest value per key, kept in a state store, so every
 * change carries the row it replaces).
 */
export interface StreamSource {
  readonly kind: 'StreamSource' | 'TableSource';
  readonly topic: string;
  /** The source's name or alias, for EXPLAIN and processing-log logger names. */
  readonly alias: string;
  readonly schema: LogicalSchema;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  readonly window: WindowInfo | undefined;
  readonly timestampColumn: TimestampColumn | undefined;
}

/** WHERE or HAVING. On a table, a row that stops passing becomes a tombstone. */
export interface StreamFilter {
  readonly kind: 'StreamFilter' | 'TableFilter';
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

/**
 * Table functions (ksqlDB's StreamFlatMap): each input row yields one row per
 * element of the longest list the calls return, the row's columns followed
 * by one column per call (`name`, KSQL_SYNTH_n), NULL past a shorter list.
 */
export interface StreamFlatMap {
  readonly kind: 'StreamFlatMap';
  readonly source: ExecutionStep;
  readonly tableFunctions: readonly { readonly name: string; readonly functionName: string; readonly args: readonly Expression[] }[];
}

/** The projection: key values pass through (renamed); value columns are computed. */
export interface StreamSelect {
  readonly kind: 'StreamSelect' | 'TableSelect';
  readonly source: ExecutionStep;
  readonly keyColumnNames: readonly string[];
  /** Which input key columns the output key holds, in order, when not all of them in theirs (ksqlDB's new planner). */
  readonly keyIndices?: readonly number[] | undefined;
  readonly selects: readonly { readonly name: string; readonly expression: Expression }[];
}

/**
 * GROUP BY: the grouping key and the aggregate arguments of every row.
 * `repartition` routes rows through an internal topic keyed by the new key,
 * so that each key's rows meet in one task; a table's changes travel as an
 * undo of the old row and an add of the new one.
 */
export interface GroupBy {
  readonly kind: 'StreamGroupBy' | 'TableGroupBy';
  readonly source: ExecutionStep;
  readonly groupBy: readonly Expression[];
  /** KSQL_INTERNAL_COL_n: the aggregate arguments, over the source. */
  readonly internals: readonly { readonly name: string; readonly expression: Expression }[];
  readonly repartition: boolean;
  /** The repartition topic's name after the query's prefix, when `repartition` (internal-topics.ts names it). */
  readonly repartitionTopic?: string | undefined;
  /** Key: the grouping columns; value: the internal columns. */
  readonly schema: LogicalSchema;
}

export interface AggregateCall {
  readonly name: string;
  readonly functionName: string;
  /** The call's arguments over the GroupBy's source (for resolving the function and its literal arguments). */
  readonly args: readonly Expression[];
  /** The GroupBy's internal columns that hold the per-row arguments. */
  readonly columnArgNames: readonly string[];
}

/** One accumulator per key (and window) and call; emits the key's new results per change. */
export interface Aggregate {
  readonly kind: 'StreamAggregate' | 'StreamWindowedAggregate' | 'TableAggregate';
  readonly source: GroupBy;
  /** The schema of the GroupBy's source, to resolve the calls against. */
  readonly inputSchema: LogicalSchema;
  readonly calls: readonly AggregateCall[];
  readonly window: WindowSpec | undefined;
  /** EMIT FINAL: a window's result is emitted once, when the window closes, instead of on every change. */
  readonly emitFinal: boolean;
  /** Beyond ksqlDB (StreamAggregate only): a key idle longer than this, by stream time, is dropped with a tombstone. */
  readonly stateRetentionMs?: number;
  /** Key columns, then the calls' results. */
  readonly schema: LogicalSchema;
}

/**
 * A join of two sources (StreamTableJoin, TableTableJoin, StreamStreamJoin,
 * ForeignKeyTableTableJoin). A side whose join expression is not its key is
 * re-keyed by `expression` through a repartition topic first, except the
 * left table of a foreign-key join, whose `expression` is the foreign key. The result
 * row is the join key, then the left source's columns, then the right's, in
 * `schema` (named ALIAS_COLUMN; the key column is not repeated).
 */
export interface Join {
  readonly kind: 'StreamTableJoin' | 'TableTableJoin' | 'StreamStreamJoin' | 'ForeignKeyTableTableJoin';
  readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
  readonly left: JoinSideStep;
  readonly right: JoinSideStep;
  /** WITHIN (stream-stream joins): how far before and after a left record a right record joins it, and the grace period. */
  readonly window: { readonly beforeMs: number; readonly afterMs: number; readonly graceMs: number | undefined } | undefined;
  readonly schema: LogicalSchema;
  /** The key format the join's sides meet in (`join-key-format.ts`); absent in plans of earlier versions. */
  readonly keyFormat?: FormatInfo | undefined;
  /**
   * A foreign-key join whose left rows reach the right table through
   * subscription topics, so the tables need not be co-partitioned; absent in
   * plans of earlier versions, whose single-partition tables join in one task.
   */
  readonly subscriptions?: true;
  /** With `subscriptions`: the topics of subscriptions to right keys and of their answers, names after the query's prefix (internal-topics.ts names them). */
  readonly registrationTopic?: string | undefined;
  readonly responseTopic?: string | undefined;
  /** A stream-stream outer join with a GRACE PERIOD: the changelog of its store of records waiting for their window to close. */
  readonly outerChangelogTopic?: string | undefined;
}

export interface JoinSideStep {
  /** A source, or (n-way joins) the join of the sources before. */
  readonly source: StreamSource | Join;
  readonly expression: Expression;
  readonly repartition: boolean;
  /** The repartition topic's name after the query's prefix, when `repartition` (internal-topics.ts names it). */
  readonly repartitionTopic?: string | undefined;
  /** The changelog topic of the store that keeps this side's rows, when it has one. */
  readonly changelogTopic?: string | undefined;
}

/**
 * Beyond ksqlDB: a table's changes as a stream. Each change becomes one row:
 * the key, then BEFORE (the row it replaces, NULL for a new key) and AFTER
 * (the new row, NULL for a deletion), structs of the table's value columns.
 */
export interface TableChangelogStream {
  readonly kind: 'TableChangelogStream';
  readonly source: ExecutionStep;
  readonly schema: LogicalSchema;
}

export interface StreamSink {
  readonly kind: 'StreamSink' | 'TableSink';
  readonly source: ExecutionStep;
  readonly topic: string;
  readonly schema: LogicalSchema;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  /** The window of the sink's keys, when it is windowed (absent in plans of earlier versions). */
  readonly window?: WindowInfo | undefined;
  readonly timestampColumn: TimestampColumn | undefined;
  /**
   * A table whose pull queries read its aggregate's store through the steps
   * above it (aggregate-served-table.ts), so the sink keeps no materialization
   * of its own; absent in plans from before (TableSink version 1) and for other tables.
   */
  readonly servedFromAggregate?: true;
}

export type ExecutionStep =
  | StreamSource | StreamFilter | StreamSelectKey | StreamFlatMap | StreamSelect | GroupBy | Aggregate | Join | TableChangelogStream | StreamSink;
export type StepKind = ExecutionStep['kind'];

/** A persistent query's plan (persisted-plan.ts turns it into the command log's form and back). */
export interface QueryPlan {
  /** The format version it was read from (PLAN_VERSION for a new plan). */
  readonly version: number;
  readonly queryId: string;
  readonly sink: string;
  readonly sourceNames: readonly string[];
  readonly physicalPlan: ExecutionStep;
  /** Why a logged plan cannot be read (a step kind or version this server does not know): the query cannot start. */
  readonly unreadable?: string;
}
