/**
 * Analyzes an aggregating SELECT (GROUP BY, aggregate calls, WINDOW, HAVING)
 * into ksqlDB's three-stage shape:
 *
 *   group:     per input row, the grouping key (the GROUP BY expressions) and
 *              the values the aggregate calls read (KSQL_INTERNAL_COL_n);
 *   aggregate: per key (and window), one accumulator per distinct aggregate
 *              call, whose results are the columns KSQL_AGG_VARIABLE_n;
 *   project:   HAVING and the SELECT list, rewritten over the aggregate's
 *              schema (grouping expressions become key column references,
 *              aggregate calls become KSQL_AGG_VARIABLE_n references).
 *
 * Key columns are named as ksqlDB names them: the projection's alias for the
 * grouping expression, else the column or struct field name, else KSQL_COL_n.
 */
import { andList } from '../common/and-list.js';
import { statementError } from '../common/errors.js';
import type { ResolvedAggregateCall } from '../functions/resolve-aggregate.js';
import type { Expression, ExpressionOfKind } from '../parser/ast/expression.js';
import type { WindowExpression } from '../parser/ast/query.js';
import { durationToMillis } from '../parser/ast/duration.js';
import { expressionChildren, rewriteExpression, walkExpression } from '../parser/ast/traverse.js';
import { printExpression } from '../parser/index.js';
import { formatExpressionText } from './expression-text.js';
import { COPY_KEY_HINT, keysMissingError } from './keys-missing-error.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import { quoteIdentifier, type SqlType } from '../schema/sql-type.js';
import { DAY_MS, isTimeZoneId } from '../schema/zoned-windows.js';
import { bindExpression, type BindScope } from './bind-expression.js';
import { columnAliasGenerator } from './column-alias-generator.js';
import { expressionsEqual } from './expression-tree.js';
import { bindFilterPredicate } from './filter-predicate.js';

/** A window as the plan stores it: sizes in ms, ksqlDB's defaults applied. */
export interface WindowSpec {
  readonly type: 'TUMBLING' | 'HOPPING' | 'SESSION';
  /** TUMBLING/HOPPING: the window size; SESSION: the inactivity gap. */
  readonly sizeMs: number;
  /** HOPPING: the advance; TUMBLING: the size. */
  readonly advanceMs: number;
  readonly graceMs: number;
  readonly retentionMs: number;
  /** Beyond ksqlDB (TUMBLING, HOPPING): windows of whole local days in this zone. */
  readonly timeZone?: string;
}

export interface AggregateCallInfo {
  /** KSQL_AGG_VARIABLE_n. */
  readonly name: string;
  readonly functionName: string;
  /** Every argument as written (unqualified), over the grouped source's schema. */
  readonly args: readonly Expression[];
  /** The internal columns holding the per-row arguments, in the function's order. */
  readonly columnArgNames: readonly string[];
  readonly type: SqlType;
  /** The accumulator's type, which the aggregate's store holds in the source's value format. */
  readonly intermediateType: SqlType;
}

export interface AnalyzedAggregation {
  /** The GROUP BY expressions over the source (unqualified). */
  readonly groupBy: readonly Expression[];
  readonly keyColumns: readonly Column[];
  /** KSQL_INTERNAL_COL_n: the per-row aggregate arguments, over the source. */
  readonly internals: readonly { readonly name: string; readonly expression: Expression }[];
  readonly calls: readonly AggregateCallInfo[];
  /** Key columns, then KSQL_AGG_VARIABLE_n. */
  readonly schema: LogicalSchema;
  readonly window: WindowSpec | undefined;
  /** HAVING over `schema`. */
  readonly having: Expression | undefined;
  /** Whether every aggregate call can run over a table (undo). */
  readonly tableCapable: boolean;
}

export interface AggregateProjectionItem {
  readonly name: string;
  /** Over the source, as written (unqualified). */
  readonly expression: Expression;
}

/** Whether a query aggregates: GROUP BY, WINDOW, HAVING or an aggregate call in SELECT. */
export function isAggregateQuery(
  items: readonly AggregateProjectionItem[], groupBy: readonly Expression[] | undefined, isAggregate: (name: string) => boolean,
): boolean {
  if (groupBy !== undefined) return true;
  return items.some((it) => findAggregateCalls(it.expression, isAggregate).length > 0);
}

export interface AggregateAnalysisInput {
  readonly items: readonly AggregateProjectionItem[];
  readonly groupBy: readonly Expression[];
  /** The GROUP BY expressions as written (qualified), for messages. */
  readonly writtenGroupBy: readonly Expression[];
  readonly having: Expression | undefined;
  readonly window: WindowExpression | undefined;
  readonly emitFinal: boolean;
  readonly sourceKind: 'STREAM' | 'TABLE';
  /** Binds an expression over the source's columns. */
  readonly sourceScope: BindScope;
  readonly resolve: (name: string, args: readonly { type: SqlType | null; constant?: unknown; text?: string }[]) => ResolvedAggregateCall;
  readonly isAggregate: (name: string) => boolean;
  /** The sink's name for persistent queries. */
  readonly sinkName: string | undefined;
}

export interface AggregateAnalysisResult {
  readonly aggregation: AnalyzedAggregation;
  /** The projection over `aggregation.schema`: which items are keys, and the value expressions. */
  readonly keyColumns: readonly Column[];
  readonly values: readonly { readonly name: string; readonly expression: Expression; readonly type: SqlType }[];
}

export function analyzeAggregation(input: AggregateAnalysisInput): AggregateAnalysisResult {
  const { items, groupBy, sourceScope, isAggregate } = input;
  for (const e of [...items.map((it) => it.expression), ...groupBy, ...(input.having ? [input.having] : [])]) {
    walkExpression(e, (node) => {
      if (node.kind === 'FunctionCall' && !isAggregate(node.name) && !sourceScope.functions.has(node.name)) {
        throw statementError(`Can't find any functions with the name '${node.name.toUpperCase()}'`);
      }
    });
  }
  // SELECT and HAVING name columns of the source, not the grouped key (whose name may be the same: a struct field's).
  const clauses = [...items.map((it) => ({ e: it.expression, clause: 'SELECT' })), ...(input.having ? [{ e: input.having, clause: 'HAVING' }] : [])];
  for (const { e, clause } of clauses) {
    walkExpression(e, (node) => {
      if (node.kind === 'ColumnRef' && !(input.window !== undefined && (node.name === 'WINDOWSTART' || node.name === 'WINDOWEND'))) {
        bindExpression(node, { ...sourceScope, clause });
      }
    });
  }

  // With a WINDOW clause the bounds exist only once rows are windowed, so only the SELECT may read them
  // (ksqlDB's AggregateAnalyzer); a windowed source's rows carry their bounds everywhere.
  const bounds = input.window === undefined ? [] : [
    ...groupBy,
    ...(input.having ? [input.having] : []),
    ...items.flatMap((it) => findAggregateCalls(it.expression, isAggregate)).flatMap((c) => c.args),
  ];
  for (const e of bounds) {
    walkExpression(e, (node) => {
      if (node.kind === 'ColumnRef' && (node.name === 'WINDOWSTART' || node.name === 'WINDOWEND')) {
        throw statementError(`Window bounds column ${node.name} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.\nSee https://github.com/confluentinc/ksql/issues/4397`);
      }
    });
  }
  if (groupBy.length === 0) {
    const bare = items.filter((it) => findAggregateCalls(it.expression, isAggregate).length === 0 && hasColumnRefs(it.expression));
    if (bare.length > 0) {
      throw statementError(`Non-aggregate SELECT expression(s) not part of GROUP BY: ${bare.map((it) => formatExpressionText(it.expression)).join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`);
    }
    const call = items.flatMap((it) => findAggregateCalls(it.expression, isAggregate))[0];
    if (call !== undefined) {
      throw statementError(`CREATE TABLE AS SELECT statement does not support aggregate function [${printCall(call)}] without a GROUP BY clause.`);
    }
    throw statementError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  }
  for (const g of groupBy) {
    const inner = findAggregateCalls(g, isAggregate)[0];
    if (inner !== undefined) throw statementError(`GROUP BY does not support aggregate functions: ${inner.name.toUpperCase()} is an aggregate function.`);
  }
  groupBy.forEach((g, i) => {
    if (groupBy.slice(0, i).some((o) => expressionsEqual(o, g))) {
      throw statementError(`Duplicate GROUP BY expression: ${printExpression(input.writtenGroupBy[i] ?? g)}`);
    }
  });

  // Distinct aggregate calls, in order of appearance (SELECT, then HAVING).
  const callNodes: ExpressionOfKind<'FunctionCall'>[] = [];
  const collect = (e: Expression): void => {
    for (const c of findAggregateCalls(e, isAggregate)) {
      for (const a of c.args) {
        const nested = findAggregateCalls(a, isAggregate)[0];
        if (nested !== undefined) throw statementError(`Aggregate functions can not be nested: ${c.name.toUpperCase()}(${nested.name.toUpperCase()}())`);
      }
      if (!callNodes.some((n) => expressionsEqual(n, c))) callNodes.push(c);
    }
  };
  for (const it of items) collect(it.expression);
  if (input.having !== undefined) collect(input.having);
  if (callNodes.length === 0) throw statementError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');

  const internals: { name: string; expression: Expression }[] = [];
  const internalFor = (e: Expression): string => {
    const found = internals.find((i) => expressionsEqual(i.expression, e));
    if (found) return found.name;
    const name = `KSQL_INTERNAL_COL_${internals.length}`;
    internals.push({ name, expression: e });
    return name;
  };
  const unsupportedOnTables: string[] = [];
  const calls: AggregateCallInfo[] = callNodes.map((c, i) => {
    const args = aggregateArgs(c);
    const resolved = input.resolve(c.name, args.map((a) => {
      const bound = bindExpression(a, sourceScope);
      return bound.kind === 'Constant' ? { type: bound.type, constant: bound.value } : { type: bound.type, text: formatExpressionText(a) };
    }));
    if (!resolved.supportsTables) unsupportedOnTables.push(c.name.toUpperCase());
    return {
      name: `KSQL_AGG_VARIABLE_${i}`,
      functionName: c.name.toUpperCase(),
      args,
      columnArgNames: resolved.columnArgs.map((k) => internalFor(args[k]!)),
      type: resolved.returnType,
      intermediateType: resolved.intermediateType,
    };
  });
  // ksqlDB's grouped table refuses a window before it looks at the functions.
  if (input.sourceKind === 'TABLE' && input.window !== undefined) throw statementError('Windowing not supported for table aggregations.');
  if (input.sourceKind === 'TABLE' && unsupportedOnTables.length > 0) {
    const names = [...new Set(unsupportedOnTables)];
    const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    throw statementError(`The aggregation function${names.length > 1 ? 's' : ''} ${list} cannot be applied to a table source, only to a stream source.`);
  }

  // Key columns: named after the projection when it selects the grouping expression, else as
  // ksqlDB's group-by step names them: a column by its name, anything else by a new name
  // unique beside the source's columns (a struct field's own name, numbered if one is taken).
  const keyAliases = columnAliasGenerator(sourceScope.columns.map((c) => c.name));
  const keyColumns: Column[] = groupBy.map((g) => {
    const type = bindExpression(g, { ...sourceScope, clause: 'GROUP BY' }).type ?? { kind: 'STRING' };
    const selected = items.find((it) => expressionsEqual(it.expression, g));
    const name = selected?.name ?? (g.kind === 'ColumnRef' ? g.name : keyAliases.uniqueAliasFor(g));
    return { name, type, namespace: 'KEY' };
  });
  const schema: LogicalSchema = {
    key: keyColumns,
    value: calls.map((c) => ({ name: c.name, type: c.type, namespace: 'VALUE' as const })),
  };
  const aggregateScope: BindScope = {
    ...sourceScope,
    columns: [...schema.key, ...schema.value].map((c, index) => ({ name: c.name, type: c.type, index, source: undefined })),
    sourceNames: [],
    windowed: input.window !== undefined,
  };

  /** Grouping expressions -> key refs, aggregate calls -> result refs; undefined when columns are left over. */
  const rewrite = (e: Expression): Expression | undefined => {
    const out = rewriteExpression(e, (node) => {
      const k = groupBy.findIndex((g) => expressionsEqual(g, node));
      if (k >= 0) return { kind: 'ColumnRef', source: undefined, name: keyColumns[k]!.name, location: node.location };
      if (node.kind === 'FunctionCall' && isAggregate(node.name)) {
        const c = callNodes.findIndex((n) => expressionsEqual(n, node));
        return { kind: 'ColumnRef', source: undefined, name: calls[c]!.name, location: node.location };
      }
      return undefined;
    });
    return hasStrayColumns(out, new Set([...schema.key, ...schema.value].map((c) => c.name)), input.window === undefined && sourceScope.windowed) ? undefined : out;
  };

  let having: Expression | undefined;
  if (input.having !== undefined) {
    having = rewrite(input.having);
    if (having === undefined) {
      const stray = findStrayColumns(input.having, groupBy, isAggregate);
      throw statementError(`Non-aggregate HAVING expression not part of GROUP BY: ${stray.join(', ')}\nConsider switching the HAVING clause to a WHERE clause before the GROUP BY.`);
    }
    bindFilterPredicate(having, aggregateScope, 'HAVING', input.having);
  }

  const keyNames = new Map<number, string[]>();
  const values: { name: string; expression: Expression; type: SqlType }[] = [];
  const strays: string[] = [];
  for (const it of items) {
    const k = groupBy.findIndex((g) => expressionsEqual(g, it.expression));
    if (k >= 0) {
      keyNames.set(k, [...(keyNames.get(k) ?? []), it.name]);
      continue;
    }
    const expression = rewrite(it.expression);
    if (expression === undefined) {
      strays.push(formatExpressionText(it.expression));
      continue;
    }
    const type = bindExpression(expression, { ...aggregateScope, clause: 'SELECT' }).type ?? { kind: 'STRING' };
    values.push({ name: it.name, expression, type });
  }
  if (strays.length > 0) {
    throw statementError(`Non-aggregate SELECT expression(s) not part of GROUP BY: ${strays.join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`);
  }
  const projectedKeys: Column[] = [];
  keyColumns.forEach((k, i) => {
    const names = keyNames.get(i);
    if (names && names.length > 1) {
      throw statementError(`The projection contains a key column more than once: ${andList(names.map(quoteIdentifier))}.\n${COPY_KEY_HINT}`);
    }
    if (names) projectedKeys.push(k);
  });
  if (input.sinkName !== undefined) {
    const missing = groupBy.filter((_, i) => !keyNames.has(i)).map((g) => printExpression(g));
    if (missing.length > 0) throw keysMissingError(input.sinkName, 'grouping expression', missing);
    if (values.length === 0) throw statementError('The projection contains no value columns.');
  }

  return {
    aggregation: {
      groupBy,
      keyColumns,
      internals,
      calls,
      schema,
      window: input.window === undefined ? undefined : windowSpec(input.window, input.emitFinal),
      having,
      tableCapable: unsupportedOnTables.length === 0,
    },
    keyColumns: input.sinkName !== undefined ? projectedKeys : keyColumns,
    values,
  };
}

/** The aggregate calls in an expression (not descending into them). */
export function findAggregateCalls(e: Expression, isAggregate: (name: string) => boolean): ExpressionOfKind<'FunctionCall'>[] {
  const found: ExpressionOfKind<'FunctionCall'>[] = [];
  const visit = (node: Expression): void => {
    if (node.kind === 'FunctionCall' && isAggregate(node.name)) {
      found.push(node);
      return;
    }
    for (const c of expressionChildren(node)) visit(c);
  };
  visit(e);
  return found;
}

/**
 * An aggregate call's arguments. Without any (`AVG(*)`, `COUNT()`), ksqlDB
 * aggregates ROWTIME: the call resolves as taking one BIGINT, its
 * DEFAULT_FUNCTION_ARG_SCHEMA.
 */
function aggregateArgs(call: ExpressionOfKind<'FunctionCall'>): readonly Expression[] {
  return call.star || call.args.length === 0 ? [{ kind: 'ColumnRef', source: undefined, name: 'ROWTIME', location: call.location }] : call.args;
}

/** `COUNT(*)` reads as ksqlDB prints it, `COUNT(ROWTIME)`. */
function printCall(call: ExpressionOfKind<'FunctionCall'>): string {
  return call.star || call.args.length === 0 ? `${call.name.toUpperCase()}(ROWTIME)` : printExpression(call);
}

function hasColumnRefs(e: Expression): boolean {
  let found = false;
  walkExpression(e, (node) => {
    if (node.kind === 'ColumnRef') found = true;
  });
  return found;
}

/** The columns of `e` outside aggregate calls and grouping expressions. */
function findStrayColumns(e: Expression, groupBy: readonly Expression[], isAggregate: (name: string) => boolean): string[] {
  const stray: string[] = [];
  const visit = (node: Expression): void => {
    if (groupBy.some((g) => expressionsEqual(g, node))) return;
    if (node.kind === 'FunctionCall' && isAggregate(node.name)) return;
    if (node.kind === 'ColumnRef') {
      if (!stray.includes(node.name)) stray.push(node.name);
      return;
    }
    for (const c of expressionChildren(node)) visit(c);
  };
  visit(e);
  return stray;
}

/**
 * Whether column references are left that the aggregate schema does not have. A WINDOW
 * clause groups by its bounds too (elsewhere binding refuses them); a windowed source's
 * bounds, without a WINDOW clause, are grouped only if GROUP BY names them (`boundsStray`).
 */
function hasStrayColumns(e: Expression, known: ReadonlySet<string>, boundsStray: boolean): boolean {
  let stray = false;
  walkExpression(e, (node) => {
    if (node.kind === 'ColumnRef' && !known.has(node.name) && (boundsStray || (node.name !== 'WINDOWSTART' && node.name !== 'WINDOWEND'))) stray = true;
  });
  return stray;
}

const ONE_DAY_MS = 24 * 3600 * 1000;

/** Kafka Streams refuses these windows when it builds them (TimeWindows, SessionWindows); so does the analyzer. */
function checkWindowBounds(kind: WindowExpression['kind'], sizeMs: number, advanceMs: number): void {
  if (kind === 'SessionWindow') {
    if (sizeMs <= 0) throw statementError('Gap time cannot be zero or negative.');
    return;
  }
  if (sizeMs <= 0) throw statementError('Window size (sizeMs) must be larger than zero.');
  if (advanceMs <= 0 || advanceMs > sizeMs) {
    throw statementError(`Window advancement interval should be more than zero and less than window duration which is ${sizeMs} ms, but given advancement interval is: ${advanceMs} ms`);
  }
}

/**
 * Kafka Streams refuses a window store whose RETENTION is shorter than its
 * size (a session's gap) plus its grace period, the grace ksqlDB gives it by
 * default included.
 */
function checkRetention(w: WindowExpression, sizeMs: number, retentionMs: number): void {
  const graceMs = w.grace !== undefined ? durationToMillis(w.grace) : Math.max(ONE_DAY_MS - sizeMs, 0);
  if (sizeMs + graceMs <= retentionMs) return;
  const store = 'Aggregate-Aggregate-Materialize';
  throw statementError(w.kind === 'SessionWindow'
    ? `The retention period of the session store ${store} must be no smaller than the session inactivity gap plus the grace period. Got gap=[${sizeMs}], grace=[${graceMs}], retention=[${retentionMs}]`
    : `The retention period of the window store ${store} must be no smaller than its window size plus the grace period. Got size=[${sizeMs}], grace=[${graceMs}], retention=[${retentionMs}]`);
}

/**
 * ksqlDB's defaults: without GRACE PERIOD, windows accept records up to a day
 * late (Kafka Streams' legacy default, one day less the size), except with
 * EMIT FINAL, where results are released as soon as a window ends. Windows
 * are kept for the RETENTION, and at least for their size plus grace.
 */
function windowSpec(w: WindowExpression, emitFinal: boolean): WindowSpec {
  const sizeMs = durationToMillis(w.kind === 'SessionWindow' ? w.gap : w.size);
  const advanceMs = w.kind === 'HoppingWindow' ? durationToMillis(w.advance) : sizeMs;
  checkWindowBounds(w.kind, sizeMs, advanceMs);
  const graceMs = w.grace !== undefined ? durationToMillis(w.grace) : emitFinal ? 0 : Math.max(ONE_DAY_MS - sizeMs, 0);
  if (w.retention !== undefined) checkRetention(w, sizeMs, durationToMillis(w.retention));
  const retentionMs = Math.max(w.retention !== undefined ? durationToMillis(w.retention) : 0, sizeMs + graceMs);
  const type = w.kind === 'TumblingWindow' ? 'TUMBLING' : w.kind === 'HoppingWindow' ? 'HOPPING' : 'SESSION';
  if (w.timeZone !== undefined) checkTimeZone(w.timeZone, type, sizeMs, advanceMs, emitFinal);
  return { type, sizeMs, advanceMs, graceMs, retentionMs, ...(w.timeZone === undefined ? {} : { timeZone: w.timeZone }) };
}

/** TIMEZONE (beyond ksqlDB) aligns windows of whole days to local midnights. */
function checkTimeZone(id: string, type: WindowSpec['type'], sizeMs: number, advanceMs: number, emitFinal: boolean): void {
  if (type === 'SESSION') throw statementError('TIMEZONE aligns TUMBLING and HOPPING windows: a SESSION window has no boundaries to align.');
  if (!isTimeZoneId(id)) throw statementError(`Unknown time-zone ID: ${id}`);
  if (sizeMs % DAY_MS !== 0 || advanceMs % DAY_MS !== 0) {
    throw statementError('A window with a TIMEZONE is made of whole local days: its SIZE (and ADVANCE BY) must be a multiple of 1 DAY.');
  }
  if (emitFinal) throw statementError('EMIT FINAL is not supported on windows with a TIMEZONE.');
}
