/**
 * Whole-tree passes over expressions. `mapChildren` is a mapped record over
 * every expression kind, so adding a kind without teaching it here fails to
 * compile; everything else is built on it.
 */
import type { Expression, ExpressionKind, ExpressionOfKind } from './expression.js';

type ChildMapper = (child: Expression) => Expression;

const MAP_CHILDREN: { readonly [K in ExpressionKind]: (e: ExpressionOfKind<K>, f: ChildMapper) => ExpressionOfKind<K> } = {
  NullLiteral: (e) => e,
  BooleanLiteral: (e) => e,
  IntegerLiteral: (e) => e,
  BigIntLiteral: (e) => e,
  DecimalLiteral: (e) => e,
  DoubleLiteral: (e) => e,
  StringLiteral: (e) => e,
  BytesLiteral: (e) => e,
  TypedLiteral: (e) => e,
  ColumnRef: (e) => e,
  LambdaVariable: (e) => e,
  IntervalUnit: (e) => e,
  ArithmeticUnary: (e, f) => ({ ...e, operand: f(e.operand) }),
  ArithmeticBinary: (e, f) => ({ ...e, left: f(e.left), right: f(e.right) }),
  Concatenation: (e, f) => ({ ...e, left: f(e.left), right: f(e.right) }),
  Comparison: (e, f) => ({ ...e, left: f(e.left), right: f(e.right) }),
  LogicalBinary: (e, f) => ({ ...e, left: f(e.left), right: f(e.right) }),
  Not: (e, f) => ({ ...e, operand: f(e.operand) }),
  IsNull: (e, f) => ({ ...e, operand: f(e.operand) }),
  IsDistinctFrom: (e, f) => ({ ...e, left: f(e.left), right: f(e.right) }),
  InList: (e, f) => ({ ...e, operand: f(e.operand), list: e.list.map(f) }),
  Between: (e, f) => ({ ...e, operand: f(e.operand), low: f(e.low), high: f(e.high) }),
  Like: (e, f) => ({ ...e, operand: f(e.operand), pattern: f(e.pattern) }),
  SearchedCase: (e, f) => ({
    ...e,
    whens: e.whens.map((w) => ({ ...w, condition: f(w.condition), result: f(w.result) })),
    otherwise: e.otherwise === undefined ? undefined : f(e.otherwise),
  }),
  SimpleCase: (e, f) => ({
    ...e,
    operand: f(e.operand),
    whens: e.whens.map((w) => ({ ...w, condition: f(w.condition), result: f(w.result) })),
    otherwise: e.otherwise === undefined ? undefined : f(e.otherwise),
  }),
  Cast: (e, f) => ({ ...e, operand: f(e.operand) }),
  ArrayConstructor: (e, f) => ({ ...e, elements: e.elements.map(f) }),
  MapConstructor: (e, f) => ({ ...e, entries: e.entries.map((en) => ({ key: f(en.key), value: f(en.value) })) }),
  StructConstructor: (e, f) => ({ ...e, fields: e.fields.map((fl) => ({ name: fl.name, value: f(fl.value) })) }),
  FunctionCall: (e, f) => ({ ...e, args: e.args.map(f) }),
  Lambda: (e, f) => ({ ...e, body: f(e.body) }),
  Subscript: (e, f) => ({ ...e, base: f(e.base), index: f(e.index) }),
  Dereference: (e, f) => ({ ...e, base: f(e.base) }),
};

/** The `kind` of every expression node. */
export const EXPRESSION_KINDS: ReadonlySet<string> = new Set(Object.keys(MAP_CHILDREN));

/** A copy of `e` with each direct child replaced by `f(child)`, in source order. */
export function mapChildren<E extends Expression>(e: E, f: ChildMapper): E {
  return (MAP_CHILDREN[e.kind] as unknown as (e: E, f: ChildMapper) => E)(e, f);
}

/** The direct children of `e`, in source order. */
export function expressionChildren(e: Expression): Expression[] {
  const out: Expression[] = [];
  mapChildren(e, (c) => {
    out.push(c);
    return c;
  });
  return out;
}

/** The operands of `e`'s top-level ANDs (`a AND (b AND c)` -> a, b, c); `e` alone when it is no AND. */
export function conjuncts(e: Expression): Expression[] {
  return e.kind === 'LogicalBinary' && e.operator === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Calls `visit` on `e` and every expression under it, parents first. */
export function walkExpression(e: Expression, visit: (node: Expression) => void): void {
  visit(e);
  for (const c of expressionChildren(e)) walkExpression(c, visit);
}

/**
 * Rewrites top-down: where `replace` returns an expression it takes the
 * node's place (and is not descended into); elsewhere children are rewritten.
 */
export function rewriteExpression(e: Expression, replace: (node: Expression) => Expression | undefined): Expression {
  const replaced = replace(e);
  if (replaced !== undefined) return replaced;
  return mapChildren(e, (c) => rewriteExpression(c, replace));
}
