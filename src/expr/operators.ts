/**
 * The operators of compiled expressions, built once per type: ordering and
 * equality of non-null values, and arithmetic with Java's semantics
 * (32- and 64-bit wrap-around, truncating division, DECIMALs at the
 * result's scale, DOUBLE per IEEE 754).
 */
import { KsqlError } from '../common/errors.js';
import { Decimal, roundDecimal } from '../schema/decimal.js';
import { sqlTypesEqual, type SqlType } from '../schema/sql-type.js';
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
 * Equality of two non-null values of two types, as Java's equals of the
 * objects ksqlDB holds them in: two ARRAYs, MAPs or STRUCTs of different types
 * are compared unconverted, so elements of different classes (an INTEGER and
 * a BIGINT, DECIMALs of different scales) never match, nor do STRUCTs of
 * different schemas; empty collections and NULL elements still do.
 */
export function buildEqualityBetween(lt: SqlType, rt: SqlType): (a: unknown, b: unknown) => boolean {
  if (sqlTypesEqual(lt, rt)) return buildEquality(lt);
  if (lt.kind === 'ARRAY' && rt.kind === 'ARRAY') {
    const element = orNulls(buildEqualityBetween(lt.element, rt.element));
    return (a, b) => {
      const x = a as unknown[];
      const y = b as unknown[];
      return x.length === y.length && x.every((v, i) => element(v, y[i]));
    };
  }
  if (lt.kind === 'MAP' && rt.kind === 'MAP') {
    const key = orNulls(buildEqualityBetween(lt.key, rt.key));
    const value = orNulls(buildEqualityBetween(lt.value, rt.value));
    return (a, b) => {
      const x = a as Map<unknown, unknown>;
      const y = b as Map<unknown, unknown>;
      if (x.size !== y.size) return false;
      for (const [k, v] of x) {
        const match = [...y].find(([k2]) => key(k, k2));
        if (match === undefined || !value(v, match[1])) return false;
      }
      return true;
    };
  }
  if (lt.kind === 'DECIMAL' && rt.kind === 'DECIMAL' && lt.scale === rt.scale) return buildEquality(lt);
  return () => false;
}

function orNulls(eq: (a: unknown, b: unknown) => boolean): (a: unknown, b: unknown) => boolean {
  return (a, b) => (a === null || a === undefined || b === null || b === undefined ? (a ?? null) === (b ?? null) : eq(a, b));
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
