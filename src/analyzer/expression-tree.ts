/** Structural equality of expression ASTs, which the parser's traversal does not offer. */

/** Structural equality of two expressions, ignoring where they were written. */
export function expressionsEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => expressionsEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter((k) => k !== 'location' && x[k] !== undefined);
  const keysB = Object.keys(y).filter((k) => k !== 'location' && y[k] !== undefined);
  return keys.length === keysB.length && keys.every((k) => expressionsEqual(x[k], y[k]));
}
