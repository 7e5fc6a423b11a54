/**
 * Analyzes a SELECT over one stream: resolves the source, expands `*`,
 * names every output column as ksqlDB does (alias, column name, struct field
 * name, else KSQL_COL_n), and works out the output key: the source key, or
 * the PARTITION BY expressions. Expressions stay ASTs (qualifiers removed),
 * typed by binding them here with the same binder the runtime uses.
 */
import { andList } from '../common/and-list.js';
import { statementError } from '../common/errors.js';
import { lookupFormat } from '../formats/index.js';
import type { Expression } from '../parser/ast/expression.js';
import type { Query, SortItem } from '../parser/ast/query.js';
import { printExpression } from '../parser/index.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier, type SqlType } from '../schema/sql-type.js';
import { rewritePseudoTimestampText } from './pseudo-timestamp-text.js';
import { bindExpression, isPseudoColumnName, type BindScope } from './bind-expression.js';
import { rewriteExpression, walkExpression } from '../parser/ast/traverse.js';
import { expressionsEqual } from './expression-tree.js';
import { bindFilterPredicate } from './filter-predicate.js';
import { analyzeAggregation, isAggregateQuery, type AnalyzedAggregation } from './aggregate-analyzer.js';
import { analyzeTableFunctions, checkTableFunctionPlacement, hasTableFunction, type AnalyzedTableFunction } from './table-function-analyzer.js';
import { analyzeJoin, JOIN_SOURCE_NAME, joinSourceInfo, qualifyForJoin, rewriteForJoin } from './join-analyzer.js';
import type { AnalysisContext } from './analysis-context.js';
import type { AnalyzedJoin, SourceInfo } from './analyzed-source.js';
import { scopeOf } from './source-scope.js';
import { windowedRepartitionError } from './windowed-repartition-error.js';
import { unknownQualifierError } from './unknown-qualifier-error.js';
import { columnAliasGenerator } from './column-alias-generator.js';
import { COPY_KEY_HINT, keysMissingError } from './keys-missing-error.js';
import { checkNoPseudoColumnClash } from './pseudo-column-clash.js';

/** The pseudo columns a source's rows carry in ksqlDB's processing schema. */
const ROW_PSEUDO_COLUMNS = ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET'];

export interface SelectedColumn {
  readonly name: string;
  readonly expression: Expression;
  readonly type: SqlType;
}

export interface AnalyzedQuery {
  readonly source: SourceInfo;
  readonly alias: string;
  readonly where: Expression | undefined;
  /** The new key, when PARTITION BY changes it. */
  readonly partitionBy: { readonly expressions: readonly Expression[]; readonly schema: LogicalSchema } | undefined;
  /** The output key columns (names as projected) and value columns. */
  readonly keyColumns: readonly Column[];
  readonly values: readonly SelectedColumn[];
  readonly outputSchema: LogicalSchema;
  readonly limit: number | undefined;
  /** A pull query's ORDER BY (over its result columns) and OFFSET; persistent queries refuse both. */
  readonly orderBy: readonly SortItem[];
  readonly offset: number | undefined;
  /** Set for GROUP BY queries: `values` are then over `aggregation.schema`. */
  readonly aggregation: AnalyzedAggregation | undefined;
  readonly emitFinal: boolean;
  /**
   * The selected columns in SELECT order: a key column of the input (its index
   * in the input key, under its projected name) or a value column (-1).
   */
  readonly projection: readonly { readonly name: string; readonly keyIndex: number }[];
  /** The input key column of each output key column, when the output key is not the whole input key in order (new planner). */
  readonly keyIndices?: readonly number[] | undefined;
  /** Table function calls (FlatMap), after PARTITION BY: `values` read their KSQL_SYNTH_n columns. */
  readonly tableFunctions: readonly AnalyzedTableFunction[];
}

export function analyzeQuery(query: Query, ctx: AnalysisContext): AnalyzedQuery {
  if (ctx.newPlanner === true && ctx.sinkName !== undefined) checkNewPlannerSupports(query);
  // Empty grouping lists are refused as ksqlDB's parser refuses them, before any other check.
  if (query.groupBy?.length === 0) throw statementError('GROUP BY requires at least one expression');
  if (query.partitionBy?.length === 0) throw statementError('PARTITION BY requires at least one expression');
  if (ctx.sinkName !== undefined) checkNoWindowedTable(query.from, ctx);
  checkNoPseudoColumnClash(sourceNamesOf(query.from).flatMap((name) => ctx.lookupSource(name)?.schema ?? []));
  if (ctx.sinkName !== undefined && (query.orderBy.length > 0 || query.offset !== undefined)) {
    throw statementError(`${query.orderBy.length > 0 ? 'ORDER BY' : 'OFFSET'} is only supported in pull queries: a persistent query writes its rows as they happen, with no end to sort or skip at.`);
  }
  if (query.from.kind === 'Join') {
    // `src.ROWTIME AS ROWTIME` is the pseudo column itself, which the join's rewrite would hide.
    if (ctx.sinkName !== undefined) {
      for (const item of query.select) {
        if (item.kind === 'SelectColumn' && item.alias !== undefined && isPseudoColumnName(item.alias) && item.expression.kind === 'ColumnRef' && item.expression.name === item.alias) {
          throw statementError(`Reserved column name in select: ${quoteIdentifier(item.alias)}. Please remove or alias the column.`);
        }
      }
    }
    // ksqlDB resolves a windowed aggregation's window bounds against a single source only: over a join they are unknown.
    if (query.window !== undefined) checkNoWindowBoundsOverJoin(query);
    // A join is analyzed as one source whose columns are the joined ones (ALIAS_COLUMN).
    const join = joinSourceInfo(analyzeJoin(query.from, ctx));
    return analyzeQuery(rewriteForJoin(query, join.join!), {
      ...ctx,
      lookupSource: (name) => (name === JOIN_SOURCE_NAME ? join : ctx.lookupSource(name)),
      partitionByText: query.partitionBy?.map((e) => printExpression(qualifyForJoin(e, join.join!))),
    });
  }
  const newPlanner = ctx.newPlanner === true && ctx.sinkName !== undefined;
  const from = query.from;
  const source = ctx.lookupSource(from.name);
  if (!source) throw statementError(`${from.name} does not exist.`, { position: from.location });
  if (newPlanner && source.kind === 'TABLE') throw statementError('Input TABLES are not supported by the new planner');
  const alias = from.alias ?? from.name;
  const unqualify = (e: Expression): Expression => stripQualifiers(e, alias);
  const scope = (schema: LogicalSchema, clause: string) => scopeOf(schema, alias, source.windowed, ctx.functions, ctx.lookupType, clause);

  const whereAsWritten = query.where === undefined ? undefined : rewritePseudoTimestampText(query.where);
  const where = whereAsWritten === undefined ? undefined : unqualify(whereAsWritten);
  if (whereAsWritten !== undefined) {
    checkWindowBoundsInWhere(where!, source);
    bindFilterPredicate(whereAsWritten, scope(source.schema, 'WHERE'), 'WHERE', query.where);
  }

  const isAggregate = (name: string): boolean => ctx.functions.isAggregate(name);
  const groupsOrAggregates = isAggregateQuery(
    [...query.select.flatMap((it) => (it.kind === 'SelectColumn' ? [{ name: '', expression: it.expression }] : [])), ...(query.having ? [{ name: '', expression: query.having }] : [])],
    query.groupBy, isAggregate);
  // ksqlDB plans a WINDOW without GROUP BY or aggregate call as a projection, then refuses it.
  const windowWithoutGrouping = query.window !== undefined && !groupsOrAggregates;
  const aggregating = !windowWithoutGrouping && (query.window !== undefined || query.having !== undefined || groupsOrAggregates);
  const selectExpressions = query.select.flatMap((it) => (it.kind === 'SelectColumn' ? [it.expression] : []));
  checkTableFunctionPlacement(selectExpressions, ctx.functions, query.groupBy !== undefined);
  if (aggregating && selectExpressions.some((e) => hasTableFunction(e, ctx.functions))) {
    throw statementError('Table functions cannot be used with aggregations.');
  }
  if (source.kind === 'TABLE' && selectExpressions.some((e) => hasTableFunction(e, ctx.functions))) {
    throw statementError('Table source is not supported with table functions');
  }
  const tableFunctions = analyzeTableFunctions(aggregating ? [] : selectExpressions, scope(source.schema, 'SELECT'), unqualify);
  const { rewrite } = tableFunctions;
  let items = expandSelect(query, source, alias, scope(tableFunctions.extend(source.schema), 'SELECT'), !aggregating, ctx.sinkName !== undefined, undefined, rewrite);
  const persistent = ctx.sinkName !== undefined;
  // As ksqlDB's analysis of the sink, after the projection's columns resolved and before the planner's checks (its TIMESTAMP column...).
  for (const name of ctx.sinkFormatNames ?? []) lookupFormat(name);
  const timestampColumn = ctx.sinkTimestampColumn;
  if (timestampColumn !== undefined && !items.some((it) => it.name === timestampColumn)) {
    throw statementError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${timestampColumn}'`);
  }
  if (windowWithoutGrouping) {
    const at = query.window!.location;
    throw statementError(`Line: ${at.line}, Col: ${at.column}: WINDOW clause requires a GROUP BY clause.`, { position: at });
  }
  if (query.emit === 'FINAL' && ctx.suppressEnabled === false) {
    throw statementError('Suppression is currently disabled. You can enable it by setting ksql.suppress.enabled to true');
  }
  if (query.emit === 'FINAL' && query.window === undefined) throw statementError('EMIT FINAL is only supported for windowed aggregations.');
  if (aggregating) {
    if (query.partitionBy !== undefined) throw statementError('PARTITION BY cannot be used with GROUP BY.');
    const result = analyzeAggregation({
      items,
      groupBy: (query.groupBy ?? []).map(unqualify),
      writtenGroupBy: query.groupBy ?? [],
      having: query.having === undefined ? undefined : unqualify(query.having),
      window: query.window,
      emitFinal: query.emit === 'FINAL',
      sourceKind: source.kind,
      sourceScope: scope(source.schema, 'SELECT'),
      resolve: (name, args) => ctx.functions.resolveAggregate(name, args),
      isAggregate,
      sinkName: ctx.sinkName,
    });
    checkDuplicates([...result.keyColumns, ...result.values]);
    return {
      source, alias, where, partitionBy: undefined, keyColumns: result.keyColumns, values: result.values,
      outputSchema: { key: result.keyColumns, value: result.values.map((v) => ({ name: v.name, type: v.type, namespace: 'VALUE' as const })) },
      limit: query.limit, orderBy: query.orderBy, offset: query.offset, aggregation: result.aggregation, emitFinal: query.emit === 'FINAL', tableFunctions: [],
      projection: items.map((it) => ({ name: it.name, keyIndex: (query.groupBy ?? []).findIndex((g) => expressionsEqual(unqualify(g), it.expression)) })),
    };
  }

  let inputSchema = source.schema;
  let partitionBy: AnalyzedQuery['partitionBy'];
  // The key columns as the repartition names them, before the projection's aliases: ksqlDB's messages use these.
  const repartitionKeyNames: string[] = [];
  if (query.partitionBy !== undefined) {
    const expressions = checkPartitionBy(query.partitionBy, unqualify);
    if (source.windowed && !isSameKey(expressions, source.schema)) throw windowedRepartitionError();
    // A new key column is named by ksqlDB's alias generator over the source's columns, its pseudo columns included.
    const aliases = columnAliasGenerator([...source.schema.key, ...source.schema.value].map((c) => c.name).concat(ROW_PSEUDO_COLUMNS));
    const keyColumns: Column[] = expressions.map((e) => {
      const t = bindExpression(e, scope(source.schema, 'PARTITION BY')).type;
      const match = items.find((it) => expressionsEqual(it.expression, e));
      const generated = e.kind === 'ColumnRef' ? e.name : aliases.uniqueAliasFor(e);
      repartitionKeyNames.push(generated);
      const name = match?.name ?? generated;
      return { name, type: t ?? { kind: 'STRING' }, namespace: 'KEY' };
    });
    const promoted = new Set(expressions.filter((e) => e.kind === 'ColumnRef').map((e) => (e as { name: string }).name));
    const value = [
      ...source.schema.value.filter((c) => !promoted.has(c.name)),
      ...source.schema.key.filter((c) => !keyColumns.some((k) => k.name === c.name)).map((c) => ({ ...c, namespace: 'VALUE' as const })),
    ];
    inputSchema = { key: keyColumns, value };
    partitionBy = { expressions, schema: inputSchema };
    // `*` stands for the columns after the repartition: the new keys, then the values and the former keys.
    const all = query.select.find((it) => it.kind === 'SelectAll');
    if (all !== undefined) {
      items = expandSelect(query, source, alias, scope(tableFunctions.extend(source.schema), 'SELECT'), true, persistent, [
        ...keyColumns.map((k, i) => ({ name: k.name, expression: expressions[i]! })),
        ...value.map((c): StarColumn => ({ name: c.name, expression: { kind: 'ColumnRef', source: undefined, name: c.name, location: all.location } })),
      ], rewrite);
    }
  }

  // Which projected items are the key columns, and under what names.
  const keyColumns: Column[] = [];
  const values: SelectedColumn[] = [];
  const keyNameOf = new Map<number, string[]>();
  const projection: { name: string; keyIndex: number }[] = [];
  const postScope = scope(tableFunctions.extend(inputSchema), 'SELECT');
  // A join's key column projected as itself is the key; otherwise the first other join column standing for it.
  const projectsJoinKey = source.join !== undefined
    && items.some((it) => it.expression.kind === 'ColumnRef' && it.expression.name === inputSchema.key[0]?.name);
  for (const it of items) {
    let keyIndex = keyIndexOf(it.expression, inputSchema, partitionBy?.expressions, keyNameOf.has(0) || projectsJoinKey ? [] : source.join?.keyAliases);
    // The new planner keeps as key the key columns projected under their own names, in projection order.
    if (newPlanner && keyIndex >= 0 && inputSchema.key[keyIndex]!.name !== it.name) keyIndex = -1;
    projection.push({ name: it.name, keyIndex });
    if (keyIndex >= 0) {
      const names = keyNameOf.get(keyIndex) ?? [];
      names.push(it.name);
      keyNameOf.set(keyIndex, names);
      continue;
    }
    const bound = partitionBy === undefined && it.bound !== undefined ? it.bound : bindExpression(it.expression, postScope);
    if (bound.type === null) {
      throw statementError("Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).");
    }
    values.push({ name: it.name, expression: it.expression, type: bound.type });
  }
  inputSchema.key.forEach((k, i) => {
    const names = keyNameOf.get(i);
    if (names && names.length > 1) {
      throw statementError(
        `The projection contains a key column (${quoteIdentifier(repartitionKeyNames[i] ?? k.name)}) more than once, aliased as: ${andList([...names].sort())}.\n${COPY_KEY_HINT}`,
      );
    }
    if (names) keyColumns.push({ name: names[0]!, type: k.type, namespace: 'KEY' });
  });
  let keyIndices: number[] | undefined;
  if (newPlanner) {
    keyIndices = projection.filter((p) => p.keyIndex >= 0).map((p) => p.keyIndex);
    keyColumns.splice(0, keyColumns.length, ...keyIndices.map((k): Column => ({ name: inputSchema.key[k]!.name, type: inputSchema.key[k]!.type, namespace: 'KEY' })));
  }
  if (persistent) {
    // ksqlDB's final projection refuses an empty value before the key check that follows it.
    if (values.length === 0) throw statementError('The projection contains no value columns.');
    if (!newPlanner && inputSchema.key.some((_, i) => !keyNameOf.has(i))) {
      // A repartition asks for its expressions as written, all of them, whatever the source.
      if (partitionBy !== undefined) {
        throw keysMissingError(ctx.sinkName!, 'partitioning expression', ctx.partitionByText ?? query.partitionBy!.map((e) => printExpression(e)));
      }
      if (source.join !== undefined) {
        throw missingJoinKeyError(source.join, ctx.sinkName!, inputSchema.key.flatMap((_, i) => (keyNameOf.has(i) ? [] : [i])));
      }
      throw keysMissingError(ctx.sinkName!, 'key column', inputSchema.key.map((k) => k.name));
    }
  }
  checkDuplicates([...keyColumns, ...values]);
  if (partitionBy !== undefined && source.kind === 'TABLE' && source.join === undefined) checkTableKeyKept(partitionBy.expressions, source.schema);
  const outputSchema: LogicalSchema = {
    key: persistent ? keyColumns : inputSchema.key,
    value: values.map((v) => ({ name: v.name, type: v.type, namespace: 'VALUE' as const })),
  };
  return {
    source, alias, where, partitionBy, keyColumns: outputSchema.key, values, outputSchema, limit: query.limit, orderBy: query.orderBy, offset: query.offset, projection, aggregation: undefined, emitFinal: false,
    tableFunctions: tableFunctions.calls, keyIndices,
  };
}

/** ksqlDB's new planner plans only projections of one stream. */
function checkNewPlannerSupports(query: Query): void {
  const clauses: [unknown, string][] = [
    [query.where, 'WHERE'], [query.groupBy, 'GROUP BY'], [query.having, 'HAVING'], [query.window, 'WINDOWS'],
    [query.partitionBy, 'PARTITION BY'], [query.limit, 'LIMIT'], [query.from.kind === 'Join' ? true : undefined, 'joins'],
  ];
  for (const [clause, name] of clauses) {
    if (clause !== undefined) throw statementError(`New query planner does not support ${name}. Set ksql.new.query.planner.enabled=false.`);
  }
}

interface SelectItemInfo {
  readonly name: string;
  readonly expression: Expression;
  /** Undefined for aggregating queries, whose items are bound after rewriting. */
  readonly bound: ReturnType<typeof bindExpression> | undefined;
}

/** A column `*` stands for, and the expression that computes it. */
interface StarColumn {
  readonly name: string;
  readonly expression: Expression;
}

/** The select items, `*` expanded to `star` (by default the source's columns). */
function expandSelect(
  query: Query, source: SourceInfo, alias: string, scope: BindScope, bind: boolean, persistent: boolean, star?: readonly StarColumn[],
  rewrite: (e: Expression) => Expression = (e) => e,
): SelectItemInfo[] {
  const items: SelectItemInfo[] = [];
  let generated = 0;
  // Generated names (KSQL_COL_n) skip every name a column already has, in the source or the projection.
  const taken = new Set<string>([...source.schema.key, ...source.schema.value].map((c) => c.name));
  for (const item of query.select) {
    if (item.kind === 'SelectColumn' && item.alias !== undefined) taken.add(item.alias);
    if (item.kind === 'SelectColumn' && item.expression.kind === 'ColumnRef') taken.add(item.expression.name);
  }
  const nextGenerated = (): string => {
    let name: string;
    do name = `KSQL_COL_${generated++}`;
    while (taken.has(name));
    return name;
  };
  /** A struct field is named by ksqlDB's alias generator: its field name, numbered past the names taken. */
  const fieldAliases = columnAliasGenerator([...taken]);
  const uniqueFieldName = (field: Expression): string => {
    const name = fieldAliases.uniqueAliasFor(field);
    taken.add(name);
    return name;
  };
  for (const item of query.select) {
    switch (item.kind) {
      case 'SelectAll': {
        if (item.source !== undefined && item.source !== alias) {
          throw unknownQualifierError(item.source, item.location);
        }
        // As in ksqlDB, `*` of a transient query on a windowed source has the window bounds after the key columns.
        const windowBounds = !persistent && source.windowed && source.join === undefined ? ['WINDOWSTART', 'WINDOWEND'] : [];
        const names = [...source.schema.key.map((c) => c.name), ...windowBounds, ...source.schema.value.map((c) => c.name)];
        const columns = star ?? names.map((name): StarColumn =>
          ({ name, expression: { kind: 'ColumnRef', source: undefined, name, location: item.location } }));
        for (const { name, expression } of columns) items.push({ name, expression, bound: bind ? bindExpression(expression, scope) : undefined });
        break;
      }
      case 'SelectStructAll': {
        const base = stripQualifiers(item.base, alias);
        const bound = bindExpression(item.base, scope);
        if (bound.type?.kind !== 'STRUCT') throw statementError(`Can't expand ${printExpression(item.base)}: it is not a STRUCT.`);
        for (const f of bound.type.fields) {
          const expression: Expression = { kind: 'Dereference', base, field: f.name, location: item.location };
          items.push({ name: f.name, expression, bound: bindExpression(expression, { ...scope, sourceNames: [] }) });
        }
        break;
      }
      case 'SelectColumn': {
        // Table function calls read their synthetic columns; names come from the calls as written.
        const bound = bind ? bindExpression(rewrite(item.expression), scope) : undefined;
        const written = stripQualifiers(item.expression, alias);
        const expression = rewrite(written);
        // A pseudo column's name is only for the pseudo column itself (`src.ROWTIME AS ROWTIME` is that column,
        // not an alias), which persistent queries may not select; transient ones may.
        const selfNamed = written.kind === 'ColumnRef' && (item.alias === undefined || item.alias === written.name);
        if (item.alias !== undefined && isPseudoColumnName(item.alias) && !selfNamed) {
          throw statementError(`${quoteIdentifier(item.alias)} is a reserved column name. You cannot use it as an alias for a column.`);
        }
        let name = item.alias ?? (written.kind === 'Dereference' ? uniqueFieldName(written) : derivedName(written));
        if (persistent && name !== undefined && selfNamed && isPseudoColumnName(name)) {
          throw statementError(`Reserved column name in select: ${quoteIdentifier(name)}. Please remove or alias the column.`);
        }
        name ??= nextGenerated();
        items.push({ name, expression, bound });
        break;
      }
    }
  }
  return items;
}

/** ksqlDB's name for an unaliased select expression: a column's name, a struct field's name. */
function derivedName(e: Expression): string | undefined {
  if (e.kind === 'ColumnRef') return e.name;
  if (e.kind === 'Dereference') return e.field;
  return undefined;
}

/** The index of the key column that `e` denotes, or -1. */
function keyIndexOf(e: Expression, schema: LogicalSchema, partitionBy: readonly Expression[] | undefined, keyAliases: readonly string[] = []): number {
  if (partitionBy !== undefined) return partitionBy.findIndex((p) => expressionsEqual(p, e));
  if (e.kind !== 'ColumnRef') return -1;
  if (keyAliases.includes(e.name)) return 0;
  return schema.key.findIndex((k) => k.name === e.name);
}

/** ksqlDB's message for a join query whose projection lacks the join key. */
function missingJoinKeyError(join: AnalyzedJoin, sinkName: string, missingKeys: readonly number[]): Error {
  if (join.foreignKeyOf !== undefined) {
    const left = join.sources[0]!;
    const columns = missingKeys.map((i) => quoteIdentifier(left.source.schema.key[i]!.name));
    const word = columns.length === 1 ? 'column' : 'columns';
    return statementError(`Primary key ${word} missing in projection. For foreign-key table-table joins, the projection must include all primary key columns `
      + `from the left input table (${quoteIdentifier(left.source.name)}). Missing ${word}: ${columns.join(', ')}.`);
  }
  return keysMissingError(sinkName, 'join expression', join.keyExpressionsText, true, join.synthetic);
}

function checkDuplicates(columns: readonly { readonly name: string; readonly type: SqlType }[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw statementError(`Duplicate value columns found in schema: ${quoteIdentifier(c.name)} ${formatSqlType(c.type)}`);
    seen.add(c.name);
  }
}

function checkNoWindowBoundsOverJoin(query: Query): void {
  for (const item of query.select) {
    if (item.kind !== 'SelectColumn') continue;
    walkExpression(item.expression, (node) => {
      if (node.kind === 'ColumnRef' && node.source === undefined && (node.name === 'WINDOWSTART' || node.name === 'WINDOWEND')) {
        throw statementError(`SELECT column '${node.name}' cannot be resolved.`);
      }
    });
  }
}

/**
 * Window bounds exist in a WHERE only over a windowed source: elsewhere
 * ksqlDB's type check of the WHERE (which comes before its other checks of
 * the clause, such as aggregate calls) does not know them.
 */
function checkWindowBoundsInWhere(where: Expression, source: SourceInfo): void {
  if (source.windowed) return;
  const columns = new Set([...source.schema.key, ...source.schema.value].map((c) => c.name));
  walkExpression(where, (node) => {
    if (node.kind === 'ColumnRef' && (node.name === 'WINDOWSTART' || node.name === 'WINDOWEND') && !columns.has(node.name)) {
      throw statementError(`Error in WHERE expression: Unknown column ${node.name}.`);
    }
  });
}

/** Whether partitioning by `expressions` keeps the key: the key columns, all and in order. */
function isSameKey(expressions: readonly Expression[], schema: LogicalSchema): boolean {
  return expressions.length === schema.key.length && schema.key.length > 0
    && expressions.every((e, i) => e.kind === 'ColumnRef' && e.name === schema.key[i]!.name);
}

/**
 * A table cannot be repartitioned (ksqlDB's SchemaKTable.selectKey): PARTITION BY
 * may only name its one key column. Checked once the projection is, as ksqlDB
 * finds it when building the physical plan.
 */
function checkTableKeyKept(expressions: readonly Expression[], schema: LogicalSchema): void {
  if (schema.key.length === 1 && isSameKey(expressions, schema)) return;
  if (schema.key.length > 1) {
    throw statementError('Cannot repartition a TABLE source. If this is a join, joins on tables with multiple columns is not yet supported.');
  }
  throw statementError("Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key column "
    + `${schema.key[0]!.name} instead of [${expressions.map((e) => printExpression(e)).join(', ')}]`);
}

function sourceNamesOf(from: Query['from']): string[] {
  return from.kind === 'Join' ? [from.left.name, ...from.joins.map((j) => j.source.name)] : [from.name];
}

/** A persistent query may read windowed streams, never a windowed table. */
function checkNoWindowedTable(from: Query['from'], ctx: AnalysisContext): void {
  const names = sourceNamesOf(from);
  if (names.some((name) => { const s = ctx.lookupSource(name); return s?.kind === 'TABLE' && s.windowed; })) {
    throw statementError('KSQL does not support persistent queries on windowed tables.');
  }
}

/**
 * ksqlDB's rules for the PARTITION BY list: no expression
 * twice (once qualifiers are resolved), and NULL only alone, where it means
 * no key at all. Returns the key expressions, unqualified ([] for NULL).
 */
function checkPartitionBy(written: readonly Expression[], unqualify: (e: Expression) => Expression): Expression[] {
  const expressions = written.map(unqualify);
  expressions.forEach((e, i) => {
    if (expressions.slice(0, i).some((o) => expressionsEqual(o, e))) throw statementError(`Duplicate PARTITION BY expression: ${printExpression(written[i]!)}`);
  });
  if (!expressions.some((e) => e.kind === 'NullLiteral')) return expressions;
  if (expressions.length > 1) throw statementError('Cannot PARTITION BY multiple columns including NULL');
  return [];
}

/** `alias.col` -> `col`: within one source every qualifier is that source. */
export function stripQualifiers(e: Expression, alias: string): Expression {
  return rewriteExpression(e, (node) =>
    node.kind === 'ColumnRef' && node.source === alias ? { ...node, source: undefined } : undefined,
  );
}
