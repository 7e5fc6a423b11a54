/**
 * Helpers shared by the function catalogue: null-strict wrappers, ordering
 * and equality over SQL values, and a hashable key for set-like functions.
 * All synchronous and allocation-light: they run per record.
 */
import { Decimal } from 'decimal.js';
import { KsqlError } from '../../common/errors.js';

/** Wraps a function so any NULL argument gives NULL (the commonest ksqlDB rule). */
export function strict<A extends unknown[], R>(fn: (...args: A) => R): (...args: { [K in keyof A]: A[K] | null }) => R | null {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const f = fn as unknown as (...args: any[]) => R;
  switch (fn.length) {
    case 1:
      return ((a: unknown) => (a === null ? null : f(a))) as never;
    case 2:
      return ((a: unknown, b: unknown) => (a === null || b === null ? null : f(a, b))) as never;
    case 3:
      return ((a: unknown, b: unknown, c: unknown) => (a === null || b === null || c === null ? null : f(a, b, c))) as never;
    default:
      return ((...args: unknown[]) => {
        for (let i = 0; i < args.length; i++) if (args[i] === null) return null;
        return f(...args);
      }) as never;
  }
}

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

/** A bounded cache for values compiled from text (regexes, formatters), keyed by that text. */
export class TextCache<T> {
  private readonly entries = new Map<string, T>();
  constructor(
    private readonly build: (text: string) => T,
    private readonly limit = 256,
  ) {}

  get(text: string): T {
    let value = this.entries.get(text);
    if (value === undefined) {
      value = this.build(text);
      if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(text, value);
    }
    return value;
  }
}

/** A KsqlError for a value a function cannot process (the runtime sends the record to the processing log). */
export function valueError(functionName: string, message: string): KsqlError {
  return new KsqlError('BAD_REQUEST', `${functionName}: ${message}`);
}
