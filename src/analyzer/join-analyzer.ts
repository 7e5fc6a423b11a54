/**
 * Analyzes the FROM of a two-source join as ksqlDB does: checks the join
 * (kinds, order, condition) with ksqlDB's messages, works out the join key
 * (the left join column, else the right one, else a synthetic ROWKEY) and the
 * joined schema, in which every source column is named `ALIAS_COLUMN`.
 *
 * The rest of the query is then analyzed as a query over one source, the
 * join: `rewriteForJoin` turns `A.COL` and unambiguous `COL` into references
 * to `A_COL`, and expands `*` and `A.*`. An unaliased `A.COL` is named
 * `A_COL`, an unaliased `COL` keeps its name, as in ksqlDB.
 */
import { windowedRepartitionError } from './windowed-repartition-error.js';
import { locationPrefix } from './location-prefix.js';
import { unknownQualifierError } from './unknown-qualifier-error.js';
import { statementError } from '../common/errors.js';
import type { Expression } from '../parser/ast/expression.js';
import type { AliasedSource, Join, JoinedSource, JoinType, Query, SelectItem } from '../parser/ast/query.js';
import { printExpression } from '../parser/index.js';
import { rewriteExpression, walkExpression } from '../parser/ast/traverse.js';
import { durationToMillis } from '../parser/ast/duration.js';
import type { Column } from '../schema/logical-schema.js';
import { formatSqlType, type SqlType } from '../schema/sql-type.js';
import { bindExpression, isPseudoColumnName } from './bind-expression.js';
import { expressionsEqual } from './expression-tree.js';
import type { AnalysisContext } from './analysis-context.js';
import type { AnalyzedJoin, JoinKind, SourceInfo } from './analyzed-source.js';
import { scopeOf } from './source-scope.js';

/**
 * Each side's record metadata, as columns of the join (`A_ROWTIME`...), after
 * the side's own columns: `A.ROWTIME` reads the side's record, not the result.
 */
export const SIDE_PSEUDO_COLUMNS: readonly Column[] = [
  { name: 'ROWTIME', type: { kind: 'BIGINT' }, namespace: 'VALUE' },
  { name: 'ROWPARTITION', type: { kind: 'INTEGER' }, namespace: 'VALUE' },
  { name: 'ROWOFFSET', type: { kind: 'BIGINT' }, namespace: 'VALUE' },
];

/**
 * A windowed side's window bounds, as columns of the join (`A_WINDOWSTART`,
 * `A_WINDOWEND`): ksqlDB copies them into each side's value before joining,
 * so `A.WINDOWEND` reads the side's own record and `*` lists them after the
 * side's key.
 */
export const SIDE_WINDOW_COLUMNS: readonly Column[] = [
  { name: 'WINDOWSTART', type: { kind: 'BIGINT' }, namespace: 'VALUE' },
  { name: 'WINDOWEND', type: { kind: 'BIGINT' }, namespace: 'VALUE' },
];

/** The name of the one source a join is analyzed as. */
export const JOIN_SOURCE_NAME = 'KSQL_JOIN';

const TYPE_TEXT: Readonly<Record<JoinType, string>> = {
  INNER: '[INNER] JOIN',
  LEFT: 'LEFT [OUTER] JOIN',
  RIGHT: 'RIGHT [OUTER] JOIN',
  FULL: '[FULL] OUTER JOIN',
};

interface Named {
  readonly alias: string;
  readonly source: SourceInfo;
}

export function analyzeJoin(from: Join, ctx: AnalysisContext): AnalyzedJoin {
  const first = resolve(from.left, ctx);
  const named: Named[] = [first];
  // ksqlDB's analyzer checks every join's source and criteria before its planner plans any of them.
  const criteria: Criteria[] = [];
  for (const joined of from.joins) {
    const right = resolve(joined.source, ctx);
    if (named.some((n) => n.source.name === right.source.name)) {
      if (named.length === 1) {
        throw statementError(`Can not join '${first.source.name}' to '${right.source.name}': self joins are not yet supported.`);
      }
      throw statementError(`N-way joins do not support multiple occurrences of the same source. Source: '${right.source.name}'`);
    }
    named.push(right);
    criteria.push(checkCriteria(joined.on, named));
  }
  let acc: AnalyzedJoin | undefined;
  from.joins.forEach((joined, i) => {
    acc = analyzeLevel(acc, named.slice(0, i + 1), named[i + 1]!, joined, criteria[i]!, ctx);
  });
  return acc!;
}

/** One `=` condition: its expression over the left input, over the joined source, and whether it was written the other way round. */
interface OrientedCondition {
  readonly left: Expression;
  readonly right: Expression;
  readonly flipped: boolean;
}

/** A join's ON clause as ksqlDB's analyzer checks it: each condition as (expression over the left input, over the joined source). */
interface Criteria {
  readonly onText: string;
  readonly pairs: readonly OrientedCondition[];
}

/** The checks of ksqlDB's analyzer on one join's criteria, in its order; `sides` ends with the joined source. */
function checkCriteria(on: Expression, sides: readonly Named[]): Criteria {
  checkShape(on);
  walkExpression(on, (node) => {
    if (node.kind === 'ColumnRef' && node.source !== undefined && !sides.some((s) => s.alias === node.source)) {
      throw unknownQualifierError(node.source, node.location);
    }
  });
  walkExpression(on, (node) => {
    if (node.kind !== 'ColumnRef' || isPseudoColumnName(node.name)) return;
    const known = node.source === undefined
      ? sides.some((s) => columnsOf(s.source).some((c) => c.name === node.name))
      : columnsOf(sides.find((s) => s.alias === node.source)!.source).some((c) => c.name === node.name);
    if (!known) {
      const name = node.source === undefined ? node.name : `${node.source}.${node.name}`;
      throw statementError(`${locationPrefix(node.location)}JOIN ON column '${name}' cannot be resolved.`, { position: node.location });
    }
  });
  const qualifiedOn = qualify(on, sides);
  const conditions = andConditions(qualifiedOn);
  const onText = printExpression(qualifiedOn);
  const pairs = conditions.map((condition) => orientCondition(condition, conditions.length === 1 ? onText : printExpression(condition), sides));
  return { onText, pairs };
}

/** The first of `named` that `on` references by a qualified column. */
function referencedAlias(on: Expression, named: readonly Named[]): string | undefined {
  let found: string | undefined;
  walkExpression(on, (node) => {
    if (found === undefined && node.kind === 'ColumnRef' && node.source !== undefined && named.some((n) => n.alias === node.source)) found = node.source;
  });
  return found;
}

/** One join of a left-deep chain: `acc` (undefined: the first source alone) joined with `right`. */
function analyzeLevel(acc: AnalyzedJoin | undefined, named: readonly Named[], right: Named, joined: JoinedSource, criteria: Criteria, ctx: AnalysisContext): AnalyzedJoin {
  const leftSource: SourceInfo = acc === undefined ? named[0]!.source : joinSourceInfo(acc);
  // ksqlDB names the left side by the joined source the criteria reference (the last one joined otherwise).
  const leftAlias = referencedAlias(joined.on, named) ?? named[named.length - 1]!.alias;
  const windowSide: Named = { alias: named[0]!.alias, source: named[0]!.source };
  const joinType = joined.joinType;
  // ksqlDB's refusals of a join's order or type name the sources, not their aliases.
  const got = `${named.find((n) => n.alias === leftAlias)!.source.name} ${TYPE_TEXT[joinType]} ${right.source.name}`;
  if (leftSource.kind === 'TABLE' && right.source.kind === 'STREAM') {
    throw statementError(`Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${got}.`);
  }
  const kind: JoinKind = leftSource.kind === 'STREAM'
    ? (right.source.kind === 'STREAM' ? 'StreamStreamJoin' : 'StreamTableJoin')
    : 'TableTableJoin';
  if (kind === 'StreamTableJoin' && joinType === 'FULL') {
    throw statementError(`Invalid join type: full-outer join not supported for stream-table join. Got ${got}.`);
  }
  checkWindowSizes(windowSide, right);

  const sides = [...named, right];
  const { onText, pairs } = criteria;
  const repeated = pairs.find((p, i) => pairs.findIndex((q) => printExpression(q.left) === printExpression(p.left) && printExpression(q.right) === printExpression(p.right)) !== i);
  if (repeated !== undefined) {
    throw statementError(`Invalid join condition: joins on multiple conditions are not yet supported. Got ${onText}.\nSeveral conditions must each join other expressions: ${printExpression(repeated.left)} = ${printExpression(repeated.right)} is repeated.`);
  }
  // Equating every key column of two multi-column keys is a key-to-key join ksqlDB refuses (no repartition
  // would be needed once supported); its error stands rather than joining through a struct of the keys.
  const isKeyOf = (e: Expression, source: SourceInfo): boolean => source.schema.key.length > 1 && e.kind === 'ColumnRef' && source.schema.key.some((k) => k.name === e.name);
  if (pairs.length > 1 && acc === undefined && pairs.every((p) => isKeyOf(p.left, leftSource) && isKeyOf(p.right, right.source))) {
    throw statementError(`Invalid join condition: joins on multiple conditions are not yet supported. Got ${onText}.\nA join of multi-column keys on their key columns is refused, as ksqlDB refuses it; several conditions may join value columns or expressions.`);
  }
  if (pairs.length > 1 && kind !== 'StreamStreamJoin') {
    throw statementError(`Invalid join condition: joins on several conditions are supported between two streams only, where both sides are repartitioned by the combined expressions; a table is joined on its primary key. Got ${onText.slice(1, -1)}.`);
  }
  // Several conditions join on the struct of their expressions (field names from the left side), NULL when
  // any of them is NULL: as with one condition, a NULL never equals anything, so such a row joins nothing.
  const fieldName = (e: Expression, i: number): string =>
    (e.kind === 'ColumnRef' && pairs.findIndex((p) => p.left.kind === 'ColumnRef' && p.left.name === e.name) === i ? e.name : `KSQL_COL_${i}`);
  const combined = (side: 'left' | 'right'): Expression => {
    if (pairs.length === 1) return pairs[0]![side];
    const location = pairs[0]![side].location;
    const notNull = pairs.map((p): Expression => ({ kind: 'IsNull', operand: p[side], negated: true, location }))
      .reduce((a, b) => ({ kind: 'LogicalBinary', operator: 'AND', left: a, right: b, location }));
    const struct: Expression = { kind: 'StructConstructor', fields: pairs.map((p, i) => ({ name: fieldName(p.left, i), value: p[side] })), location };
    return { kind: 'SearchedCase', whens: [{ kind: 'WhenClause', condition: notNull, result: struct, location }], otherwise: undefined, location };
  };
  const leftWritten = combined('left');
  const rightWritten = combined('right');
  // Over the left input: a source's own columns, or a previous join's ALIAS_COLUMN columns.
  const leftExpression = acc === undefined ? unqualify(leftWritten) : toJoinedColumns(leftWritten, named);
  const rightExpression = unqualify(rightWritten);
  // After an earlier join, any expression equal to its key (either side's join expression) is the key.
  const leftIsKey = acc === undefined
    ? isKeyColumn(leftExpression, leftSource)
    : (leftExpression.kind === 'ColumnRef' && (acc.keyAliases.includes(leftExpression.name) || acc.keyColumn.name === leftExpression.name))
      || acc.keyExpressions.some((e) => expressionsEqual(e, leftExpression));
  const rightIsKey = isKeyColumn(rightExpression, right.source);
  if (kind === 'StreamTableJoin' && !rightIsKey) {
    throw statementError(`Invalid join condition: stream-table joins require to join on the table's primary key. Got ${onText.slice(1, -1)}.`);
  }
  if (kind === 'TableTableJoin' && !rightIsKey) {
    throw statementError(`Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${onText.slice(1, -1)}.`);
  }
  const foreignKey = kind === 'TableTableJoin' && !leftIsKey;
  if (foreignKey && joinType === 'FULL') {
    throw statementError(`Invalid join type: full-outer join not supported for foreign-key table-table join. Got ${got}.`);
  }
  if (foreignKey && acc !== undefined) {
    throw statementError(`Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. Got ${onText.slice(1, -1)}.`);
  }
  if (foreignKey && joinType === 'RIGHT') throw statementError('RIGHT OUTER JOIN on a foreign key is not supported');
  if ((!leftIsKey && leftSource.windowed) || (!rightIsKey && right.source.windowed)) throw windowedRepartitionError();
  const typeOf = (e: Expression, source: SourceInfo): SqlType | null =>
    bindExpression(e, scopeOf(source.schema, undefined, source.windowed, ctx.functions, ctx.lookupType, 'JOIN')).type;
  const checkTypes = (lw: Expression, le: Expression, rw: Expression, re: Expression, flipped: boolean): SqlType => {
    const lt = typeOf(le, leftSource);
    const rt = typeOf(re, right.source);
    if (lt === null || rt === null || formatSqlType(lt) !== formatSqlType(rt)) {
      const typeText = (t: SqlType | null): string => (t === null ? 'NULL' : formatSqlType(t));
      // ksqlDB compares a table-table join's types while planning, as the condition is written; a stream
      // join's sides meet with keys of other types when it builds the join's schema (left key first).
      if (kind !== 'TableTableJoin' && pairs.length === 1) throw statementError(`Invalid join. Key types differ: ${typeText(lt)} vs ${typeText(rt)}`);
      const text = (e: Expression, t: SqlType | null) => `${columnText(e)}{${typeText(t)}}`;
      const [first, second] = flipped ? [text(rw, rt), text(lw, lt)] : [text(lw, lt), text(rw, rt)];
      throw statementError(`Invalid join condition: types don't match. Got ${first} = ${second}.`);
    }
    return lt;
  };
  if (pairs.length > 1) {
    for (const p of pairs) checkTypes(p.left, acc === undefined ? unqualify(p.left) : toJoinedColumns(p.left, named), p.right, unqualify(p.right), p.flipped);
  }
  const leftType = checkTypes(leftWritten, leftExpression, rightWritten, rightExpression, pairs[0]!.flipped);

  if (kind === 'StreamStreamJoin' && joined.within === undefined) {
    throw statementError('Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select');
  }
  if (kind === 'StreamTableJoin' && joined.within !== undefined) {
    throw statementError('A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to execute your join again.');
  }
  // ksqlDB's stream-table joiner knows only INNER and LEFT: a RIGHT join passes analysis and fails there.
  if (kind === 'StreamTableJoin' && joinType === 'RIGHT') throw statementError(`Invalid join type encountered: ${TYPE_TEXT[joinType]}`);
  if (kind === 'TableTableJoin' && joined.within !== undefined) {
    throw statementError('A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again.');
  }
  // The key: the left join column, else the right one, else synthetic; FULL OUTER joins always synthetic.
  const columnName = (e: Expression): string | undefined => (e.kind === 'ColumnRef' && e.source !== undefined ? `${e.source}_${e.name}` : undefined);
  const leftName = columnName(leftWritten);
  const rightName = columnName(rightWritten);
  const inherited = acc !== undefined && leftIsKey && !acc.synthetic;
  const synthetic = joinType === 'FULL' || (leftName === undefined && rightName === undefined && !inherited);
  // A foreign-key join keeps the left table's key.
  const leftKeyName = `${named[0]!.alias}_${leftSource.schema.key[0]?.name}`;
  const keyName = foreignKey ? leftKeyName : synthetic ? syntheticKeyName(sides) : (leftName ?? (inherited ? acc!.keyColumn.name : rightName))!;
  const keyAliases = foreignKey ? [keyName] : synthetic ? [keyName]
    : [...(inherited ? acc!.keyAliases : []), leftName, rightName].filter((n, i, all): n is string => n !== undefined && all.indexOf(n) === i);
  const keyTexts = foreignKey ? [`${named[0]!.alias}.${leftSource.schema.key[0]!.name}`] : synthetic ? [keyName]
    : [...(inherited ? acc!.keyExpressionsText : []), ...[leftWritten, rightWritten].filter((e) => e.kind === 'ColumnRef').map(columnText)]
      .filter((n, i, all) => all.indexOf(n) === i);
  const keyColumn: Column = { name: keyName, type: foreignKey ? leftSource.schema.key[0]!.type : leftType, namespace: 'KEY' };
  // A foreign-key join keeps every key column of the left table.
  const keyColumns: readonly Column[] = foreignKey
    ? leftSource.schema.key.map((c) => ({ ...c, name: `${named[0]!.alias}_${c.name}`, namespace: 'KEY' as const }))
    : [keyColumn];
  const keyNames = new Set(keyColumns.map((c) => c.name));
  const leftColumns: readonly Column[] = acc === undefined ? prefixedColumns(named[0]!) : [...acc.schema.key, ...acc.schema.value];
  const value = [...leftColumns, ...prefixedColumns(right)]
    .filter((c) => !keyNames.has(c.name))
    .map((c): Column => ({ ...c, namespace: 'VALUE' }));
  const within = joined.within;
  return {
    kind: foreignKey ? 'ForeignKeyTableTableJoin' : kind,
    joinType,
    foreignKeyOf: foreignKey ? named[0]!.alias : undefined,
    left: { source: leftSource, alias: acc === undefined ? named[0]!.alias : '', expression: leftExpression, rekey: !leftIsKey, join: acc },
    right: { source: right.source, alias: right.alias, expression: rightExpression, rekey: !rightIsKey },
    window: within === undefined ? undefined : {
      beforeMs: durationToMillis(within.before), afterMs: durationToMillis(within.after), graceMs: within.grace === undefined ? undefined : durationToMillis(within.grace),
    },
    keyColumn,
    synthetic,
    keyAliases,
    keyExpressionsText: keyTexts,
    keyExpressions: foreignKey ? [{ kind: 'ColumnRef', source: undefined, name: keyName, location: leftWritten.location }]
      : synthetic ? []
        : [...(inherited ? acc!.keyExpressions : []), toJoinedColumns(leftWritten, sides), toJoinedColumns(rightWritten, sides)],
    schema: { key: keyColumns, value },
    sources: sides.map((s) => ({ alias: s.alias, source: s.source })),
  };
}

/**
 * An ON clause is one `=`, or (beyond ksqlDB) `=` conditions joined by AND;
 * refused with ksqlDB's messages: OR of equalities, another comparison, or
 * anything else (the clause as written).
 */
function checkShape(on: Expression): void {
  if (on.kind === 'Comparison') {
    if (on.operator !== '=') throw statementError('Only equality join criteria is supported.');
    return;
  }
  const isEquality = (e: Expression): boolean => e.kind === 'Comparison' && e.operator === '=';
  if (on.kind === 'LogicalBinary' && on.operator === 'OR' && isEquality(on.left) && isEquality(on.right)) {
    throw statementError(`Invalid join condition: joins on multiple conditions are not yet supported. Got ${printExpression(on)}.\nConditions may be joined by AND, not OR.`);
  }
  const equalities = (e: Expression): boolean => isEquality(e) || (e.kind === 'LogicalBinary' && e.operator === 'AND' && equalities(e.left) && equalities(e.right));
  if (!equalities(on)) throw statementError(`Unsupported join expression: ${printExpression(on)}`);
}

/** The `=` conditions of an ON clause checkShape accepted. */
function andConditions(on: Expression): Expression[] {
  return on.kind === 'LogicalBinary' ? [...andConditions(on.left), ...andConditions(on.right)] : [on];
}

/** One `=` condition as (expression over the left input, expression over the right source), checked as ksqlDB checks a join's criteria. */
function orientCondition(condition: Expression, onText: string, sides: readonly Named[]): OrientedCondition {
  if (condition.kind !== 'Comparison') throw statementError(`Unsupported join expression: ${onText}`);
  const rightAlias = sides[sides.length - 1]!.alias;
  const refsOf = (e: Expression): Set<string> => {
    const names = new Set<string>();
    walkExpression(e, (node) => {
      if (node.kind === 'ColumnRef' && node.source !== undefined) names.add(node.source);
    });
    return names;
  };
  const leftRefs = refsOf(condition.left);
  const rightRefs = refsOf(condition.right);
  for (const [refs, side] of [[leftRefs, condition.left], [rightRefs, condition.right]] as const) {
    if (refs.size !== 1) {
      throw statementError(`Invalid comparison expression '${printExpression(side)}' in join '${onText}'. Each side of the join comparision must contain references from exactly one source.`);
    }
  }
  const [l] = leftRefs as Set<string>;
  const [r] = rightRefs as Set<string>;
  if (l === r) {
    throw statementError(`Each side of the join must reference exactly one source and not the same source. Left side references \`${l}\` and right references \`${r}\``);
  }
  // As written: the source of the comparison's left side is the left one in windowing messages.
  checkWindowTypes(sides.find((s) => s.alias === l)!, sides.find((s) => s.alias === r)!);
  if (l !== rightAlias && r !== rightAlias) {
    throw statementError(`A join criteria is expected to reference the source (\`${rightAlias}\`) in the FROM clause, instead the right source references \`${r}\` and the left source references \`${l}\``);
  }
  return r === rightAlias ? { left: condition.left, right: condition.right, flipped: false } : { left: condition.right, right: condition.left, flipped: true };
}

/** A source's columns, window bounds (windowed sources) and record metadata as the join names them. */
function prefixedColumns(side: Named): Column[] {
  return [...side.source.schema.key, ...side.source.schema.value, ...windowColumnsOf(side.source), ...SIDE_PSEUDO_COLUMNS]
    .map((c) => ({ ...c, name: `${side.alias}_${c.name}` }));
}

function windowColumnsOf(source: SourceInfo): readonly Column[] {
  return source.windowed ? SIDE_WINDOW_COLUMNS : [];
}

/** A column of the side's record that the join carries as `ALIAS_NAME`: its metadata, and a windowed side's bounds. */
function isSideRecordColumn(side: Named, name: string): boolean {
  return SIDE_PSEUDO_COLUMNS.some((c) => c.name === name) || windowColumnsOf(side.source).some((c) => c.name === name);
}

/** `A.COL` -> `A_COL` (and `A.ROWTIME` -> `A_ROWTIME`) for the sources in `named`. */
function toJoinedColumns(e: Expression, named: readonly Named[]): Expression {
  return rewriteExpression(e, (node) => {
    if (node.kind !== 'ColumnRef' || node.source === undefined) return undefined;
    const side = named.find((s) => s.alias === node.source);
    if (side === undefined) return undefined;
    if (columnsOf(side.source).some((c) => c.name === node.name) || isSideRecordColumn(side, node.name)) {
      return { ...node, source: undefined, name: `${node.source}_${node.name}` };
    }
    return isPseudoColumnName(node.name) ? { ...node, source: undefined } : undefined;
  });
}

/** `A.COL` as ksqlDB writes a join column in messages. */
function columnText(e: Expression): string {
  return e.kind === 'ColumnRef' && e.source !== undefined ? `${e.source}.${e.name}` : printExpression(e);
}

/** Windowed sources join only windowed sources of a compatible kind. */
function checkWindowTypes(left: Named, right: Named): void {
  const typeOf = (n: Named): string | undefined => n.source.windowType;
  if (left.source.windowed === right.source.windowed) {
    if (!left.source.windowed) return;
    const session = (n: Named) => typeOf(n) === 'SESSION';
    if (session(left) !== session(right)) {
      throw statementError(`Incompatible windowed sources.\nLeft source: ${typeOf(left)}\nRight source: ${typeOf(right)}\n`
        + 'Session windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\n'
        + 'Hopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources');
    }
    return;
  }
  const describe = (n: Named): string => (n.source.windowed ? `\`${n.alias}\` is ${typeOf(n)} windowed` : `\`${n.alias}\` is not windowed`);
  throw statementError(`Can not join windowed source to non-windowed source.\n${describe(left)}\n${describe(right)}`);
}

/**
 * Time windows of other sizes need a repartition into one key format,
 * refused for windowed sources, except that a key format from a registry
 * repartitions both sides anyway, into the left's windows.
 */
function checkWindowSizes(left: Named, right: Named): void {
  if (!left.source.windowed || left.source.windowType === 'SESSION') return;
  if (left.source.windowSizeMs !== right.source.windowSizeMs && left.source.keyFromRegistry !== true) throw windowedRepartitionError();
}

function resolve(s: AliasedSource, ctx: AnalysisContext): Named {
  const source = ctx.lookupSource(s.name);
  if (!source) throw statementError(`${s.name} does not exist.`, { position: s.location });
  return { alias: s.alias ?? s.name, source };
}

function columnsOf(source: SourceInfo): readonly Column[] {
  return [...source.schema.key, ...source.schema.value];
}

function isKeyColumn(e: Expression, source: SourceInfo): boolean {
  return e.kind === 'ColumnRef' && source.schema.key.length === 1 && source.schema.key[0]!.name === e.name;
}

/** ROWKEY, or ROWKEY_n past the names the sources' columns take. */
function syntheticKeyName(sides: readonly Named[]): string {
  const taken = new Set(sides.flatMap((s) => columnsOf(s.source).map((c) => c.name)));
  let name = 'ROWKEY';
  for (let n = 1; taken.has(name); n++) name = `ROWKEY_${n}`;
  return name;
}

/** Every column reference qualified by the alias of its source (unknown names stay as they are). */
function qualify(e: Expression, sides: readonly Named[]): Expression {
  return rewriteExpression(e, (node) => {
    if (node.kind !== 'ColumnRef' || node.source !== undefined) return undefined;
    const owners = sides.filter((s) => columnsOf(s.source).some((c) => c.name === node.name));
    if (owners.length > 1) {
      const list = owners.map((o) => `${o.alias}.${node.name}`).join(' or ');
      throw statementError(`Exception while preparing statement: ${locationPrefix(node.location)}Column '${node.name}' is ambiguous. Could be ${list}.`, { position: node.location });
    }
    return owners.length === 1 ? { ...node, source: owners[0]!.alias } : undefined;
  });
}

/** `e` with each unqualified column of the join qualified by the source that has it, as ksqlDB's sanitizer writes it. */
export function qualifyForJoin(e: Expression, join: AnalyzedJoin): Expression {
  return qualify(e, join.sources);
}

function unqualify(e: Expression): Expression {
  return rewriteExpression(e, (node) => (node.kind === 'ColumnRef' && node.source !== undefined ? { ...node, source: undefined } : undefined));
}

/**
 * The query with its FROM replaced by the join (as one source named
 * JOIN_SOURCE_NAME) and every column reference resolved to a joined column.
 */
export function rewriteForJoin(query: Query, join: AnalyzedJoin): Query {
  const sides: readonly Named[] = join.sources;
  const aliases = new Set(sides.map((s) => s.alias));
  const toJoined = (e: Expression): Expression => rewriteExpression(qualify(e, sides), (node) => {
    if (node.kind !== 'ColumnRef' || node.source === undefined || !aliases.has(node.source)) return undefined;
    const side = sides.find((s) => s.alias === node.source)!;
    if (columnsOf(side.source).some((c) => c.name === node.name)) return { ...node, source: undefined, name: `${node.source}_${node.name}` };
    if (isSideRecordColumn(side, node.name)) return { ...node, source: undefined, name: `${node.source}_${node.name}` };
    if (isPseudoColumnName(node.name)) return { ...node, source: undefined };
    return undefined;
  });
  // As ksqlDB orders a side's `*`: its key, its window bounds, its values.
  const starOf = (side: Named, location: SelectItem['location']): SelectItem[] =>
    [...side.source.schema.key, ...windowColumnsOf(side.source), ...side.source.schema.value].map((c) => {
      const name = `${side.alias}_${c.name}`;
      return { kind: 'SelectColumn', expression: { kind: 'ColumnRef', source: undefined, name, location }, alias: name, location };
    });
  const select: SelectItem[] = [];
  for (const item of query.select) {
    switch (item.kind) {
      case 'SelectAll': {
        if (item.source === undefined) {
          if (join.synthetic) {
            const name = join.keyColumn.name;
            select.push({ kind: 'SelectColumn', expression: { kind: 'ColumnRef', source: undefined, name, location: item.location }, alias: name, location: item.location });
          }
          for (const side of sides) select.push(...starOf(side, item.location));
        } else {
          const side = sides.find((s) => s.alias === item.source);
          if (side === undefined) throw unknownQualifierError(item.source, item.location);
          select.push(...starOf(side, item.location));
        }
        break;
      }
      case 'SelectStructAll':
        select.push({ ...item, base: toJoined(item.base) });
        break;
      case 'SelectColumn': {
        const written = item.expression;
        let alias = item.alias;
        // A column keeps its name, unless both sources have a column of that name.
        if (alias === undefined && written.kind === 'ColumnRef' && written.source !== undefined && aliases.has(written.source)
          && isSideRecordColumn(sides.find((s) => s.alias === written.source)!, written.name)) {
          alias = `${written.source}_${written.name}`;
        }
        if (alias === undefined && written.kind === 'ColumnRef' && !isPseudoColumnName(written.name)) {
          const shared = sides.filter((side) => columnsOf(side.source).some((c) => c.name === written.name)).length > 1;
          alias = shared && written.source !== undefined && aliases.has(written.source) ? `${written.source}_${written.name}` : written.name;
        }
        select.push({ ...item, expression: toJoined(written), alias });
        break;
      }
    }
  }
  const map = (e: Expression | undefined): Expression | undefined => (e === undefined ? undefined : toJoined(e));
  return {
    ...query,
    from: { kind: 'AliasedSource', name: JOIN_SOURCE_NAME, alias: undefined, location: query.from.location },
    select,
    where: map(query.where),
    having: map(query.having),
    groupBy: query.groupBy?.map(toJoined),
    partitionBy: query.partitionBy?.map(toJoined),
  };
}

/** The source a join is analyzed as. */
export function joinSourceInfo(join: AnalyzedJoin): SourceInfo {
  return {
    name: JOIN_SOURCE_NAME,
    kind: join.kind === 'TableTableJoin' || join.kind === 'ForeignKeyTableTableJoin' ? 'TABLE' : 'STREAM',
    schema: join.schema,
    windowed: join.left.source.windowed,
    join,
  };
}
