/**
 * Helpers shared by the function catalogue: null-strict wrappers, a cache of
 * compiled patterns, and value errors. (Ordering and equality of SQL values
 * live in src/schema/value-compare.ts.)
 * All synchronous and allocation-light: they run per record.
 */
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
