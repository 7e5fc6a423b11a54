/** Ordering, equality and hashing keys of SQL values, shared by expressions and functions. */
import { KsqlError } from '../common/errors.js';
import { Decimal } from './decimal.js';

/** Orders two non-null values of one SQL type (numbers, bigints, Decimals, strings, booleans, Buffers). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Decimal && b instanceof Decimal) return a.comparedTo(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  throw new KsqlError('SERVER_ERROR', `cannot compare values ${String(a)} and ${String(b)}`);
}

/** SQL value equality, deep for ARRAY, MAP and STRUCT. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (a instanceof Decimal && b instanceof Decimal) return a.equals(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    }
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b) || a instanceof Map || b instanceof Map) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** A string that is equal for equal SQL values of one type: a Map key for distinct/union/except. */
export function valueKey(v: unknown): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'f' + String(v);
    case 'bigint':
      return 'i' + v.toString();
    case 'boolean':
      return v ? 't' : 'F';
    default:
      break;
  }
  if (v instanceof Decimal) return 'd' + v.toString();
  if (Buffer.isBuffer(v)) return 'b' + v.toString('hex');
  if (Array.isArray(v)) return 'a[' + v.map(valueKey).join(',') + ']';
  if (v instanceof Map) return 'm{' + [...v].map(([k, x]) => valueKey(k) + ':' + valueKey(x)).join(',') + '}';
  return 'o{' + Object.entries(v as object).map(([k, x]) => JSON.stringify(k) + ':' + valueKey(x)).join(',') + '}';
}
