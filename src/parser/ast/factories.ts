/**
 * Small factories for AST nodes. Later passes (analyzer, planner rewrites)
 * build synthetic nodes with these; such nodes get NO_LOCATION unless given one.
 */
import type { Expression, ExpressionKind, ExpressionOfKind } from './expression.js';
import { NO_LOCATION, type SourceLocation } from './location.js';
import type { StatementKind, StatementOfKind } from './statement.js';

type ExpressionFields<K extends ExpressionKind> = Omit<ExpressionOfKind<K>, 'kind' | 'location'>;

/** Any expression node: `makeExpression('Comparison', { operator: '=', left, right })`. */
export function makeExpression<K extends ExpressionKind>(
  kind: K,
  fields: ExpressionFields<K>,
  location: SourceLocation = NO_LOCATION,
): ExpressionOfKind<K> {
  return { kind, ...fields, location } as unknown as ExpressionOfKind<K>;
}

/** Any statement node; `text` and `location` default to empty. */
export function makeStatement<K extends StatementKind>(
  kind: K,
  fields: Omit<StatementOfKind<K>, 'kind' | 'text' | 'location'>,
  text = '',
  location: SourceLocation = NO_LOCATION,
): StatementOfKind<K> {
  return { kind, ...fields, text, location } as unknown as StatementOfKind<K>;
}

export function columnRef(name: string, source?: string, location: SourceLocation = NO_LOCATION): ExpressionOfKind<'ColumnRef'> {
  return { kind: 'ColumnRef', source, name, location };
}

export function nullLiteral(location: SourceLocation = NO_LOCATION): ExpressionOfKind<'NullLiteral'> {
  return { kind: 'NullLiteral', location };
}

export function booleanLiteral(value: boolean, location: SourceLocation = NO_LOCATION): ExpressionOfKind<'BooleanLiteral'> {
  return { kind: 'BooleanLiteral', value, location };
}

export function stringLiteral(value: string, location: SourceLocation = NO_LOCATION): ExpressionOfKind<'StringLiteral'> {
  return { kind: 'StringLiteral', value, location };
}

/** An INTEGER literal for a 32-bit value, a BIGINT literal otherwise. */
export function integerLiteral(
  value: number | bigint,
  location: SourceLocation = NO_LOCATION,
): ExpressionOfKind<'IntegerLiteral'> | ExpressionOfKind<'BigIntLiteral'> {
  const big = BigInt(value);
  if (big >= -2147483648n && big <= 2147483647n) return { kind: 'IntegerLiteral', value: Number(big), location };
  return { kind: 'BigIntLiteral', value: big, location };
}

export function functionCall(name: string, args: readonly Expression[], location: SourceLocation = NO_LOCATION): ExpressionOfKind<'FunctionCall'> {
  return { kind: 'FunctionCall', name, args, star: false, location };
}

/** `a AND b AND ...` (left-nested); undefined for no terms. */
export function conjunction(terms: readonly Expression[]): Expression | undefined {
  let result: Expression | undefined;
  for (const t of terms) {
    result = result === undefined ? t : makeExpression('LogicalBinary', { operator: 'AND', left: result, right: t });
  }
  return result;
}
