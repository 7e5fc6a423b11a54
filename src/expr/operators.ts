/**
 * The operators of compiled expressions, built once per type: ordering and
 * equality of non-null values, and arithmetic with Java's semantics
 * (32- and 64-bit wrap-around, truncating division, DECIMALs at the
 * result's scale, DOUBLE per IEEE 754).
 */
import { KsqlError } from '../common/errors.js';
import { Decimal, roundDecimal } from '../schema/decimal.js';
import type { SqlType } from '../schema/sql-type.js';
import { valuesEqual } from '../schema/value-compare.js';

function divisionByZero(): never {
  throw new KsqlError('BAD_STATEMENT', '/ by zero');
}

export const ORDER_TESTS: Record<'<' | '<=' | '>' | '>=', (c: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/** Orders two non-null values of a type. */
export function buildOrdering(t: SqlType | null): (a: unknown, b: unknown) => number {
  switch (t?.kind) {
    case 'DECIMAL':
      return (a, b) => (a as Decimal).comparedTo(b as Decimal);
    case 'BYTES':
      return (a, b) => Buffer.compare(a as Buffer, b as Buffer);
    case 'BOOLEAN':
      return (a, b) => (a === b ? 0 : a ? 1 : -1);
    default:
      return (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
  }
}

/** Equality of two non-null values of a type. */
export function buildEquality(t: SqlType | null): (a: unknown, b: unknown) => boolean {
  switch (t?.kind) {
    case 'DECIMAL':
      return (a, b) => (a as Decimal).equals(b as Decimal);
    case 'BYTES':
      return (a, b) => (a as Buffer).equals(b as Buffer);
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return valuesEqual;
    default:
      return (a, b) => a === b;
  }
}

/**
 * ksqlDB divides DECIMALs with RoundingMode.UNNECESSARY: a quotient that does
 * not end within the result's scale (1 / 3) fails rather than rounds.
 */
function exactQuotient(a: Decimal, b: Decimal, scale: number): Decimal {
  const q = a.div(b);
  if (q.decimalPlaces() > scale) throw new KsqlError('BAD_STATEMENT', 'Rounding necessary');
  return q;
}

export function arithmeticOperator(op: string, t: SqlType): (a: unknown, b: unknown) => unknown {
  switch (t.kind) {
    case 'INTEGER':
      switch (op) {
        case '+': return (a, b) => ((a as number) + (b as number)) | 0;
        case '-': return (a, b) => ((a as number) - (b as number)) | 0;
        case '*': return (a, b) => Math.imul(a as number, b as number);
        case '/': return (a, b) => ((b as number) === 0 ? divisionByZero() : Math.trunc((a as number) / (b as number)) | 0);
        default: return (a, b) => ((b as number) === 0 ? divisionByZero() : ((a as number) % (b as number)) | 0);
      }
    case 'BIGINT':
      switch (op) {
        case '+': return (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint));
        case '-': return (a, b) => BigInt.asIntN(64, (a as bigint) - (b as bigint));
        case '*': return (a, b) => BigInt.asIntN(64, (a as bigint) * (b as bigint));
        case '/': return (a, b) => ((b as bigint) === 0n ? divisionByZero() : BigInt.asIntN(64, (a as bigint) / (b as bigint)));
        default: return (a, b) => ((b as bigint) === 0n ? divisionByZero() : (a as bigint) % (b as bigint));
      }
    case 'DECIMAL': {
      const scale = t.scale;
      switch (op) {
        case '+': return (a, b) => roundDecimal((a as Decimal).plus(b as Decimal), scale);
        case '-': return (a, b) => roundDecimal((a as Decimal).minus(b as Decimal), scale);
        case '*': return (a, b) => roundDecimal((a as Decimal).times(b as Decimal), scale);
        case '/': return (a, b) => ((b as Decimal).isZero() ? divisionByZero() : exactQuotient(a as Decimal, b as Decimal, scale));
        default: return (a, b) => ((b as Decimal).isZero() ? divisionByZero() : roundDecimal((a as Decimal).mod(b as Decimal), scale));
      }
    }
    default:
      switch (op) {
        case '+': return (a, b) => (a as number) + (b as number);
        case '-': return (a, b) => (a as number) - (b as number);
        case '*': return (a, b) => (a as number) * (b as number);
        case '/': return (a, b) => (a as number) / (b as number);
        default: return (a, b) => (a as number) % (b as number);
      }
  }
}
