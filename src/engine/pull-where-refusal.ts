/**
 * What ksqlDB's pull query filter refuses in a WHERE clause, in its words:
 * why a clause needs a table scan (when scans are disabled), and window
 * bounds it cannot read. Its WHERE is read as
 * a disjunction of conjunctions (an IN on a column is one `=` per value);
 * each disjunct must fix every key column by `=` to an expression without
 * columns, and the first disjunct or conjunct that does not is named.
 */
import { formatExpressionText } from '../analyzer/expression-text.js';
import type { Expression } from '../parser/ast/expression.js';
import { conjuncts, walkExpression } from '../parser/ast/traverse.js';
import type { Column } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier } from '../schema/sql-type.js';

/** The reason a scan is needed for `where` on a source with `key` columns; undefined when every disjunct is keyed. */
export function scanRefusalReason(where: Expression | undefined, key: readonly Column[], windowed: boolean): string | undefined {
  if (where === undefined) return 'WHERE clause missing key column for disjunct: true';
  for (const disjunct of disjunctsOf(where)) {
    const seen = new Set<number>();
    for (const conjunct of conjuncts(disjunct)) {
      const refusal = conjunctRefusal(conjunct, key, windowed, seen);
      if (refusal !== undefined) return refusal;
    }
    if (seen.size === 0) return `WHERE clause missing key column for disjunct: ${formatExpressionText(disjunct)}`;
    if (seen.size !== key.length) {
      const specified = key.filter((_, i) => seen.has(i)).map((c) => c.name);
      return `Multi-column sources must specify every key in the WHERE clause. Specified: [${specified.join(', ')}] Expected: ${keyText(key)}`;
    }
  }
  return undefined;
}

function conjunctRefusal(e: Expression, key: readonly Column[], windowed: boolean, seen: Set<number>): string | undefined {
  if (e.kind === 'Like') return undefined;
  if (e.kind !== 'Comparison') return `Unsupported expression in WHERE clause: ${formatExpressionText(e)}`;
  const column = e.right.kind === 'ColumnRef' ? e.right : e.left.kind === 'ColumnRef' ? e.left : undefined;
  if (column === undefined) return 'A comparison must directly reference a key column';
  if (hasColumn(column === e.right ? e.left : e.right)) return 'A comparison must be between a key column and a resolvable expression';
  if (column.name === 'WINDOWSTART' || column.name === 'WINDOWEND') {
    return windowed ? undefined : 'Cannot use WINDOWSTART/WINDOWEND on non-windowed source';
  }
  const index = key.findIndex((c) => c.name === column.name);
  if (index < 0) return undefined;
  if (e.operator === '<>') return `Bound on key columns '${keyText(key)}' must currently be '='`;
  if (seen.has(index)) return 'A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate';
  seen.add(index);
  return undefined;
}

/** ksqlDB's text for a WHERE clause a pull query cannot take: the reason, then what it needs. */
export function invalidWhereMessage(reason: string, windowed: boolean): string {
  return `${reason}. See https://cnfl.io/queries for more info.\n`
    + 'Add EMIT CHANGES if you intended to issue a push query.\n'
    + 'Pull queries require a WHERE clause that:\n'
    + ' - includes a key equality expression, e.g. `SELECT * FROM X WHERE <key-column> = Y;`.\n'
    + ' - in the case of a multi-column key, is a conjunction of equality expressions that cover all key columns.'
    + (windowed
      ? '\n - (optionally) limits the time bounds of the windowed table.\n\t Bounds on [WINDOWSTART, WINDOWEND] are supported\n'
        + `\t Supported operators are [${Object.values(BOUND_TYPE).join(', ')}]`
      : '')
    + '\nIf more flexible queries are needed, table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true.';
}

/** ksqlDB's names of the comparisons a window bound may use. */
const BOUND_TYPE = { '=': 'EQUAL', '>': 'GREATER_THAN', '>=': 'GREATER_THAN_OR_EQUAL', '<': 'LESS_THAN', '<=': 'LESS_THAN_OR_EQUAL' } as const;

/**
 * Window bounds of a windowed table's pull query that ksqlDB refuses: `<>`
 * on a bound always; and, when the query looks keys up, a second bound of
 * the same kind on a column, or an equality beside a range on it.
 */
export function windowBoundsRefusal(where: Expression, keyed: boolean): string | undefined {
  for (const disjunct of disjunctsOf(where)) {
    const seen = { WINDOWSTART: new Set<string>(), WINDOWEND: new Set<string>() };
    for (const conjunct of conjuncts(disjunct)) {
      if (conjunct.kind !== 'Comparison') continue;
      const column = boundColumn(conjunct.right) ?? boundColumn(conjunct.left);
      if (column === undefined) continue;
      if (conjunct.operator === '<>') return `Unsupported ${column} bounds: NOT_EQUAL`;
      if (!keyed) continue;
      // The bound as if the column stood on the left: `1 < WINDOWSTART` is a lower bound.
      const flipped = boundColumn(conjunct.right) !== undefined;
      const kind = conjunct.operator === '=' ? 'EQUAL' : (conjunct.operator.startsWith('<') !== flipped ? 'LESS_THAN' : 'GREATER_THAN');
      const kinds = seen[column];
      if (kinds.has(kind)) return `Duplicate ${column} bounds on: ${kind}`;
      kinds.add(kind);
      if (kinds.has('EQUAL') && kinds.size > 1) return `\`${formatExpressionText(conjunct)}\` cannot be combined with other ${column} bounds`;
    }
  }
  return undefined;
}

function boundColumn(e: Expression): 'WINDOWSTART' | 'WINDOWEND' | undefined {
  return e.kind === 'ColumnRef' && (e.name === 'WINDOWSTART' || e.name === 'WINDOWEND') ? e.name : undefined;
}

/** The WHERE clause as a disjunction of conjunctions, IN lists on a column spread into one `=` each. */
function disjunctsOf(e: Expression): Expression[] {
  if (e.kind === 'LogicalBinary' && e.operator === 'OR') return [...disjunctsOf(e.left), ...disjunctsOf(e.right)];
  if (e.kind === 'LogicalBinary') {
    const rights = disjunctsOf(e.right);
    return disjunctsOf(e.left).flatMap((left) => rights.map((right): Expression => ({ ...e, left, right })));
  }
  if (e.kind === 'InList' && !e.negated && e.operand.kind === 'ColumnRef') {
    return e.list.map((value): Expression => ({ kind: 'Comparison', operator: '=', left: e.operand, right: value, location: e.location }));
  }
  return [e];
}

function hasColumn(e: Expression): boolean {
  let found = false;
  walkExpression(e, (node) => {
    if (node.kind === 'ColumnRef') found = true;
  });
  return found;
}

/** Key columns as ksqlDB prints a schema's key: [`K` STRING KEY, ...]. */
function keyText(key: readonly Column[]): string {
  return `[${key.map((c) => `${quoteIdentifier(c.name)} ${formatSqlType(c.type)} KEY`).join(', ')}]`;
}
