/**
 * Bound expressions: the analyzer's output for one expression. Every name is
 * resolved (columns to row indices, functions to implementations), every
 * node has its SQL type, and implicit coercions are explicit `Cast` nodes,
 * so the compiler (src/expr) never looks anything up or decides a type.
 * `type: null` is an untyped NULL literal.
 */
import type { ScalarImpl } from '../functions/function-definition.js';
import type { ArithmeticOperator, ComparisonOperator } from '../parser/ast/expression.js';
import type { SqlType } from '../schema/sql-type.js';

export type PseudoColumnName = 'ROWTIME' | 'ROWPARTITION' | 'ROWOFFSET' | 'WINDOWSTART' | 'WINDOWEND';

export type BoundExpression =
  | { readonly kind: 'Constant'; readonly type: SqlType | null; readonly value: unknown }
  /** A literal whose value the compiler parses for its type (DECIMAL digits, typed literals). */
  | { readonly kind: 'LiteralText'; readonly type: SqlType; readonly text: string }
  | { readonly kind: 'ColumnAccess'; readonly type: SqlType; readonly index: number; readonly name: string }
  | { readonly kind: 'PseudoColumn'; readonly type: SqlType; readonly column: PseudoColumnName }
  | { readonly kind: 'LambdaParam'; readonly type: SqlType; readonly slot: number }
  | { readonly kind: 'Arithmetic'; readonly type: SqlType; readonly operator: ArithmeticOperator; readonly left: BoundExpression; readonly right: BoundExpression }
  /** STRING + STRING: Java string concatenation, where NULL reads as "null". */
  | { readonly kind: 'Concat'; readonly type: SqlType; readonly left: BoundExpression; readonly right: BoundExpression }
  | { readonly kind: 'Negate'; readonly type: SqlType; readonly operand: BoundExpression }
  /** Both operands already have `operandType`. */
  | { readonly kind: 'Compare'; readonly type: SqlType; readonly operator: ComparisonOperator; readonly operandType: SqlType | null; readonly left: BoundExpression; readonly right: BoundExpression }
  | { readonly kind: 'Logical'; readonly type: SqlType; readonly operator: 'AND' | 'OR'; readonly left: BoundExpression; readonly right: BoundExpression }
  | { readonly kind: 'Not'; readonly type: SqlType; readonly operand: BoundExpression }
  | { readonly kind: 'IsNull'; readonly type: SqlType; readonly operand: BoundExpression; readonly negated: boolean }
  | { readonly kind: 'IsDistinct'; readonly type: SqlType; readonly operandType: SqlType | null; readonly left: BoundExpression; readonly right: BoundExpression; readonly negated: boolean }
  | { readonly kind: 'In'; readonly type: SqlType; readonly operandType: SqlType | null; readonly operand: BoundExpression; readonly list: readonly BoundExpression[]; readonly negated: boolean }
  | { readonly kind: 'Between'; readonly type: SqlType; readonly operandType: SqlType; readonly operand: BoundExpression; readonly low: BoundExpression; readonly high: BoundExpression; readonly negated: boolean }
  | { readonly kind: 'Like'; readonly type: SqlType; readonly operand: BoundExpression; readonly pattern: BoundExpression; readonly escape: string | undefined; readonly negated: boolean }
  | { readonly kind: 'Case'; readonly type: SqlType | null; readonly whens: readonly { readonly condition: BoundExpression; readonly result: BoundExpression }[]; readonly otherwise: BoundExpression | undefined }
  /** `written`: a CAST in the SQL text, evaluated per record; an implicit coercion of a constant folds at compile time. */
  | { readonly kind: 'Cast'; readonly type: SqlType; readonly from: SqlType | null; readonly operand: BoundExpression; readonly written?: true }
  | { readonly kind: 'MakeArray'; readonly type: SqlType; readonly elements: readonly BoundExpression[] }
  | { readonly kind: 'MakeMap'; readonly type: SqlType; readonly keys: readonly BoundExpression[]; readonly values: readonly BoundExpression[] }
  | { readonly kind: 'MakeStruct'; readonly type: SqlType; readonly names: readonly string[]; readonly values: readonly BoundExpression[] }
  | { readonly kind: 'Call'; readonly type: SqlType; readonly name: string; readonly implementation: ScalarImpl; readonly args: readonly BoundExpression[] }
  /** A lambda argument; at run time a JS function of `slots.length` parameters. */
  | { readonly kind: 'Lambda'; readonly type: SqlType; readonly slots: readonly number[]; readonly body: BoundExpression }
  | { readonly kind: 'Subscript'; readonly type: SqlType; readonly base: BoundExpression; readonly index: BoundExpression }
  | { readonly kind: 'Field'; readonly type: SqlType; readonly base: BoundExpression; readonly field: string };

export type BoundKind = BoundExpression['kind'];
export type BoundOfKind<K extends BoundKind> = Extract<BoundExpression, { kind: K }>;
