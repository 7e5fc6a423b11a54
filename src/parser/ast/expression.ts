/**
 * The expression AST. Every node has a `kind` equal to its type's name and a
 * `location`. Identifiers are already normalized: upper-cased unless quoted.
 * Literals keep their source text where digits could be lost.
 */
import type { SourceLocation } from './location.js';
import type { TypeNode } from './type-node.js';
import type { TimeUnit } from './duration.js';

export interface NullLiteral {
  readonly kind: 'NullLiteral';
  readonly location: SourceLocation;
}

export interface BooleanLiteral {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
  readonly location: SourceLocation;
}

/** An integer that fits in 32 bits: SQL INTEGER. */
export interface IntegerLiteral {
  readonly kind: 'IntegerLiteral';
  readonly value: number;
  readonly location: SourceLocation;
}

/** An integer beyond 32 bits but within 64: SQL BIGINT. */
export interface BigIntLiteral {
  readonly kind: 'BigIntLiteral';
  readonly value: bigint;
  readonly location: SourceLocation;
}

/**
 * A number with a point and no exponent (`1.50`, `-.5`): SQL DECIMAL whose
 * precision and scale come from the digits written. `text` is the exact
 * digits, with a leading '-' when negative (e.g. "-0.50").
 */
export interface DecimalLiteral {
  readonly kind: 'DecimalLiteral';
  readonly text: string;
  readonly location: SourceLocation;
}

/** A number with an exponent (`1.5e3`): SQL DOUBLE. `text` as written. */
export interface DoubleLiteral {
  readonly kind: 'DoubleLiteral';
  readonly value: number;
  readonly text: string;
  readonly location: SourceLocation;
}

/** A '...' string, with '' already turned into '. */
export interface StringLiteral {
  readonly kind: 'StringLiteral';
  readonly value: string;
  readonly location: SourceLocation;
}

/** X'0aff': SQL BYTES; `hex` is the lower-cased hex digits (even count). */
export interface BytesLiteral {
  readonly kind: 'BytesLiteral';
  readonly hex: string;
  readonly location: SourceLocation;
}

/**
 * A typed string literal, `DATE '2020-01-01'`, `TIME '10:00:00'`,
 * `TIMESTAMP '2020-01-01T10:00:00'`, `DECIMAL '1.23'`. The analyzer parses
 * `value` for the type.
 */
export interface TypedLiteral {
  readonly kind: 'TypedLiteral';
  readonly typeName: 'DATE' | 'TIME' | 'TIMESTAMP' | 'DECIMAL';
  readonly value: string;
  readonly location: SourceLocation;
}

export type Literal =
  | NullLiteral
  | BooleanLiteral
  | IntegerLiteral
  | BigIntLiteral
  | DecimalLiteral
  | DoubleLiteral
  | StringLiteral
  | BytesLiteral
  | TypedLiteral;

/** `col` or `src.col`; `source` is the qualifier (a source name or alias). */
export interface ColumnRef {
  readonly kind: 'ColumnRef';
  readonly source: string | undefined;
  readonly name: string;
  readonly location: SourceLocation;
}

/** A use of a lambda parameter inside the lambda's body. */
export interface LambdaVariable {
  readonly kind: 'LambdaVariable';
  readonly name: string;
  readonly location: SourceLocation;
}

/** A bare time unit given as a function argument: `TIMESTAMPADD(SECONDS, 5, ts)`. */
export interface IntervalUnit {
  readonly kind: 'IntervalUnit';
  readonly unit: TimeUnit;
  readonly location: SourceLocation;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface ArithmeticUnary {
  readonly kind: 'ArithmeticUnary';
  readonly operator: '+' | '-';
  readonly operand: Expression;
  readonly location: SourceLocation;
}

export interface ArithmeticBinary {
  readonly kind: 'ArithmeticBinary';
  readonly operator: ArithmeticOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly location: SourceLocation;
}

/** `a || b`: string concatenation. */
export interface Concatenation {
  readonly kind: 'Concatenation';
  readonly left: Expression;
  readonly right: Expression;
  readonly location: SourceLocation;
}

/** `!=` is read as `<>`. */
export interface Comparison {
  readonly kind: 'Comparison';
  readonly operator: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly location: SourceLocation;
}

export interface LogicalBinary {
  readonly kind: 'LogicalBinary';
  readonly operator: 'AND' | 'OR';
  readonly left: Expression;
  readonly right: Expression;
  readonly location: SourceLocation;
}

export interface Not {
  readonly kind: 'Not';
  readonly operand: Expression;
  readonly location: SourceLocation;
}

/** `x IS NULL`, or `x IS NOT NULL` when `negated`. */
export interface IsNull {
  readonly kind: 'IsNull';
  readonly operand: Expression;
  readonly negated: boolean;
  readonly location: SourceLocation;
}

/** `a IS DISTINCT FROM b`, or `IS NOT DISTINCT FROM` when `negated`. */
export interface IsDistinctFrom {
  readonly kind: 'IsDistinctFrom';
  readonly left: Expression;
  readonly right: Expression;
  readonly negated: boolean;
  readonly location: SourceLocation;
}

export interface InList {
  readonly kind: 'InList';
  readonly operand: Expression;
  readonly list: readonly Expression[];
  readonly negated: boolean;
  readonly location: SourceLocation;
}

export interface Between {
  readonly kind: 'Between';
  readonly operand: Expression;
  readonly low: Expression;
  readonly high: Expression;
  readonly negated: boolean;
  readonly location: SourceLocation;
}

/** `x LIKE p [ESCAPE 'c']`; `escape` is the escape string's value. */
export interface Like {
  readonly kind: 'Like';
  readonly operand: Expression;
  readonly pattern: Expression;
  readonly escape: string | undefined;
  readonly negated: boolean;
  readonly location: SourceLocation;
}

export interface WhenClause {
  readonly kind: 'WhenClause';
  readonly condition: Expression;
  readonly result: Expression;
  readonly location: SourceLocation;
}

/** `CASE WHEN cond THEN r ... [ELSE e] END`. */
export interface SearchedCase {
  readonly kind: 'SearchedCase';
  readonly whens: readonly WhenClause[];
  readonly otherwise: Expression | undefined;
  readonly location: SourceLocation;
}

/** `CASE operand WHEN value THEN r ... [ELSE e] END`; `condition` of each WhenClause is the value compared. */
export interface SimpleCase {
  readonly kind: 'SimpleCase';
  readonly operand: Expression;
  readonly whens: readonly WhenClause[];
  readonly otherwise: Expression | undefined;
  readonly location: SourceLocation;
}

export interface Cast {
  readonly kind: 'Cast';
  readonly operand: Expression;
  readonly type: TypeNode;
  readonly location: SourceLocation;
}

export interface ArrayConstructor {
  readonly kind: 'ArrayConstructor';
  readonly elements: readonly Expression[];
  readonly location: SourceLocation;
}

export interface MapEntry {
  readonly key: Expression;
  readonly value: Expression;
}

export interface MapConstructor {
  readonly kind: 'MapConstructor';
  readonly entries: readonly MapEntry[];
  readonly location: SourceLocation;
}

export interface StructConstructorField {
  readonly name: string;
  readonly value: Expression;
}

export interface StructConstructor {
  readonly kind: 'StructConstructor';
  readonly fields: readonly StructConstructorField[];
  readonly location: SourceLocation;
}

/**
 * `name(args)`. `COUNT(*)` is `star: true` with no args (ksqlDB treats it as
 * `COUNT()`; the flag only keeps the spelling). Lambdas come last in `args`.
 */
export interface FunctionCall {
  readonly kind: 'FunctionCall';
  readonly name: string;
  readonly args: readonly Expression[];
  readonly star: boolean;
  readonly location: SourceLocation;
}

/** `x => body` or `(x, y) => body`; only valid as a function argument. */
export interface Lambda {
  readonly kind: 'Lambda';
  readonly params: readonly string[];
  readonly body: Expression;
  readonly location: SourceLocation;
}

/** `base[index]`: array (1-based, negative from the end) or map lookup. */
export interface Subscript {
  readonly kind: 'Subscript';
  readonly base: Expression;
  readonly index: Expression;
  readonly location: SourceLocation;
}

/** `base->field`. */
export interface Dereference {
  readonly kind: 'Dereference';
  readonly base: Expression;
  readonly field: string;
  readonly location: SourceLocation;
}

export type Expression =
  | Literal
  | ColumnRef
  | LambdaVariable
  | IntervalUnit
  | ArithmeticUnary
  | ArithmeticBinary
  | Concatenation
  | Comparison
  | LogicalBinary
  | Not
  | IsNull
  | IsDistinctFrom
  | InList
  | Between
  | Like
  | SearchedCase
  | SimpleCase
  | Cast
  | ArrayConstructor
  | MapConstructor
  | StructConstructor
  | FunctionCall
  | Lambda
  | Subscript
  | Dereference;

export type ExpressionKind = Expression['kind'];

/** The node type of a given kind: `ExpressionOfKind<'Cast'>` is `Cast`. */
export type ExpressionOfKind<K extends ExpressionKind> = Extract<Expression, { kind: K }>;

const LITERAL_KINDS: ReadonlySet<string> = new Set([
  'NullLiteral',
  'BooleanLiteral',
  'IntegerLiteral',
  'BigIntLiteral',
  'DecimalLiteral',
  'DoubleLiteral',
  'StringLiteral',
  'BytesLiteral',
  'TypedLiteral',
]);

export function isLiteral(e: Expression): e is Literal {
  return LITERAL_KINDS.has(e.kind);
}
