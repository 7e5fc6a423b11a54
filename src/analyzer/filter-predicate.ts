/**
 * Type check of a WHERE or HAVING predicate, as ksqlDB frames it: the
 * predicate must be BOOLEAN, and any type error found in it is reported as
 * `Error in WHERE expression: ...` (or HAVING), whatever the error was.
 */
import { KsqlError, statementError } from '../common/errors.js';
import type { Expression } from '../parser/ast/expression.js';
import { printExpression } from '../parser/index.js';
import { formatSqlType } from '../schema/sql-type.js';
import { bindExpression, isTypeError, type BindScope } from './bind-expression.js';
import type { BoundExpression } from './bound-expression.js';

export type FilterClause = 'WHERE' | 'HAVING';

/**
 * Binds `predicate` in `scope` as `clause`; `asWritten` is the predicate as the
 * user wrote it, for the message when it is not BOOLEAN.
 */
export function bindFilterPredicate(predicate: Expression, scope: Omit<BindScope, 'clause'>, clause: FilterClause, asWritten: Expression = predicate): BoundExpression {
  let bound: BoundExpression;
  try {
    bound = bindExpression(predicate, { ...scope, clause });
  } catch (err) {
    if (!isTypeError(err)) throw err;
    throw new KsqlError(err.code, `Error in ${clause} expression: ${err.message}`, { cause: err, position: err.position });
  }
  const t = bound.type;
  if (t !== null && t.kind !== 'BOOLEAN') {
    throw statementError(`Type error in ${clause} expression: Should evaluate to boolean but is ${printExpression(asWritten)} (${formatSqlType(t)}) instead.`);
  }
  return bound;
}
