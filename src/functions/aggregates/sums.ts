/**
 * SUM, SUM_LIST and AVG. INTEGER and BIGINT sums wrap around as Java's int
 * and long do in ksqlDB; a DECIMAL sum keeps its argument's type and fails
 * with "Numeric field overflow" when it no longer fits.
 */
import { KsqlError } from '../../common/errors.js';
import { Decimal } from '../../schema/decimal.js';
import { BIGINT, DOUBLE, INTEGER, structType, type SqlType } from '../../schema/sql-type.js';
import { defineAggregate, type AggregateBindContext, type Aggregator } from '../aggregate-function.js';
import type { BindContext } from '../function-definition.js';

/** Addition and subtraction in one numeric representation. */
interface Arithmetic<T> {
  readonly zero: T;
  readonly add: (a: T, b: T) => T;
  readonly sub: (a: T, b: T) => T;
}

const INT_MATH: Arithmetic<number> = { zero: 0, add: (a, b) => (a + b) | 0, sub: (a, b) => (a - b) | 0 };
const LONG_MATH: Arithmetic<bigint> = { zero: 0n, add: (a, b) => BigInt.asIntN(64, a + b), sub: (a, b) => BigInt.asIntN(64, a - b) };
const DOUBLE_MATH: Arithmetic<number> = { zero: 0, add: (a, b) => a + b, sub: (a, b) => a - b };

function decimalMath(type: SqlType | null): Arithmetic<Decimal> {
  if (type === null || type.kind !== 'DECIMAL') throw new Error('decimal sum needs a DECIMAL type');
  const { precision, scale } = type;
  const digits = precision - scale;
  const limit = new Decimal(10).pow(digits);
  const fit = (d: Decimal): Decimal => {
    const rounded = d.toSignificantDigits(precision, Decimal.ROUND_HALF_UP);
    if (rounded.abs().gte(limit)) {
      throw new KsqlError(
        'BAD_REQUEST',
        `Numeric field overflow: A field with precision ${precision} and scale ${scale} ` +
          `must round to an absolute value less than 10^${digits}. Got ${rounded.toFixed()}`,
      );
    }
    return rounded;
  };
  return { zero: new Decimal(0), add: (a, b) => fit(a.plus(b)), sub: (a, b) => a.minus(b).toSignificantDigits(precision, Decimal.ROUND_HALF_UP) };
}

function summer<T>(math: Arithmetic<T>): Aggregator<T> {
  return {
    initialize: () => math.zero,
    add: (acc, [v]) => (v === null ? acc : math.add(acc, v as T)),
    undo: (acc, [v]) => (v === null ? acc : math.sub(acc, v as T)),
    merge: (a, b) => math.add(a, b),
    result: (acc) => acc,
  };
}

/** Sums the non-NULL elements of each list. */
function listSummer<T>(math: Arithmetic<T>): Aggregator<T> {
  const total = (list: readonly (T | null)[]): T => list.reduce<T>((s, x) => (x === null ? s : math.add(s, x)), math.zero);
  return {
    initialize: () => math.zero,
    add: (acc, [l]) => (l === null ? acc : math.add(acc, total(l as T[]))),
    undo: (acc, [l]) => (l === null ? acc : math.sub(acc, total(l as T[]))),
    merge: (a, b) => math.add(a, b),
    result: (acc) => acc,
  };
}

interface Average<T> {
  SUM: T;
  COUNT: bigint;
}

function averager<T>(math: Arithmetic<T>): Aggregator<Average<T>> {
  return {
    initialize: () => ({ SUM: math.zero, COUNT: 0n }),
    add: (acc, [v]) => (v === null ? acc : { SUM: math.add(acc.SUM, v as T), COUNT: acc.COUNT + 1n }),
    undo: (acc, [v]) => (v === null ? acc : { SUM: math.sub(acc.SUM, v as T), COUNT: acc.COUNT - 1n }),
    merge: (a, b) => ({ SUM: math.add(a.SUM, b.SUM), COUNT: a.COUNT + b.COUNT }),
    result: (acc) => (acc.COUNT === 0n ? 0 : Number(acc.SUM) / Number(acc.COUNT)),
  };
}

const averageType = (sum: SqlType): SqlType => structType([{ name: 'SUM', type: sum }, { name: 'COUNT', type: BIGINT }]);

const first = (ctx: BindContext): SqlType => ctx.paramTypes[0] as SqlType;

export const SUM = defineAggregate({
  name: 'SUM',
  description: 'Sums the non-NULL values of a column.',
  variants: [
    { params: 'INTEGER col', returns: 'INTEGER', table: true, create: () => summer(INT_MATH) },
    { params: 'BIGINT col', returns: 'BIGINT', table: true, create: () => summer(LONG_MATH) },
    { params: 'DOUBLE col', returns: 'DOUBLE', table: true, create: () => summer(DOUBLE_MATH) },
    {
      params: 'DECIMAL col',
      returns: first,
      table: true,
      create: (ctx: AggregateBindContext) => summer(decimalMath(ctx.paramTypes[0] ?? null)),
    },
  ],
});

export const SUM_LIST = defineAggregate({
  name: 'SUM_LIST',
  description: 'Sums the non-NULL elements of the lists of a column into one value.',
  variants: [
    { params: 'ARRAY<INTEGER> list', returns: 'INTEGER', table: true, create: () => listSummer(INT_MATH) },
    { params: 'ARRAY<BIGINT> list', returns: 'BIGINT', table: true, create: () => listSummer(LONG_MATH) },
    { params: 'ARRAY<DOUBLE> list', returns: 'DOUBLE', table: true, create: () => listSummer(DOUBLE_MATH) },
  ],
});

export const AVG = defineAggregate({
  name: 'AVG',
  description: 'The average of the non-NULL values of a column (0 when there are none).',
  variants: [
    { params: 'INTEGER col', returns: 'DOUBLE', intermediate: () => averageType(INTEGER), table: true, create: () => averager(INT_MATH) },
    { params: 'BIGINT col', returns: 'DOUBLE', intermediate: () => averageType(BIGINT), table: true, create: () => averager(LONG_MATH) },
    { params: 'DOUBLE col', returns: 'DOUBLE', intermediate: () => averageType(DOUBLE), table: true, create: () => averager(DOUBLE_MATH) },
  ],
});
