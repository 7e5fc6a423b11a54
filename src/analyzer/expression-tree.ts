/**
 * Whole-tree helpers over expression ASTs: a structural rewrite, equality
 * that ignores source locations, and collecting nodes of one kind. They walk
 * every nested node generically, so a new expression kind needs no change here.
 */
import type { Expression, ExpressionKind, ExpressionOfKind } from '../parser/ast/expression.js';

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function isExpressionNode(v: Node): boolean {
  return typeof v.kind === 'string' && 'location' in v;
}

/**
 * Rebuilds `e` bottom-up; `visit` may return a replacement for any expression
 * node (after its children were rewritten), or undefined to keep it.
 */
export function rewriteExpression(e: Expression, visit: (node: Expression) => Expression | undefined): Expression {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isNode(v)) return v;
    let changed = false;
    const out: Node = {};
    for (const [k, child] of Object.entries(v)) {
      if (k === 'location') {
        out[k] = child;
        continue;
      }
      const w = walk(child);
      if (w !== child) changed = true;
      out[k] = w;
    }
    const node = (changed ? out : v) as Node;
    if (isExpressionNode(node)) return visit(node as unknown as Expression) ?? node;
    return node;
  };
  return walk(e) as Expression;
}

/** Structural equality of two expressions, ignoring where they were written. */
export function expressionsEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => expressionsEqual(x, b[i]));
  }
  if (isNode(a) && isNode(b)) {
    const keys = Object.keys(a).filter((k) => k !== 'location' && a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => k !== 'location' && b[k] !== undefined);
    return keys.length === keysB.length && keys.every((k) => expressionsEqual(a[k], b[k]));
  }
  return false;
}

/** Every node of a kind inside `e` (outermost first), including `e` itself. */
export function collectNodes<K extends ExpressionKind>(e: Expression, kind: K): ExpressionOfKind<K>[] {
  const out: ExpressionOfKind<K>[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isNode(v)) return;
    if (v.kind === kind && isExpressionNode(v)) out.push(v as unknown as ExpressionOfKind<K>);
    for (const [k, child] of Object.entries(v)) if (k !== 'location') walk(child);
  };
  walk(e);
  return out;
}
