/**
 * STDDEV_SAMP (which, as in ksqlDB, returns the sample variance), STDDEV_SAMPLE
 * (the sample standard deviation) and CORRELATION (Pearson).
 *
 * The deviation functions keep {SUM, COUNT, M2} and update M2 with the
 * Youngs-Cramer formulas, in the argument's own arithmetic (INTEGER and
 * BIGINT wrap and divide as Java's int and long), so results match ksqlDB's
 * to the last bit. Fewer than two values give 0.
 */
import { BIGINT, DOUBLE, INTEGER, structType, type SqlType } from '../../schema/sql-type.js';
import { defineAggregate, type AggregateVariantInput, type Aggregator } from '../aggregate-function.js';

interface Moments<T> {
  SUM: T;
  COUNT: number;
  M2: number;
}

/** The argument type's arithmetic, as Java does it for int, long and double. */
interface MomentMath<T> {
  readonly zero: T;
  readonly add: (a: T, b: T) => T;
  readonly sub: (a: T, b: T) => T;
  /** value * (count + 1) - (sum + value), as a double. */
  readonly delta: (acc: Moments<T>, value: T) => number;
  /** sum1 / count1 - sum2 / count2, as a double (integer division for integer types). */
  readonly meanGap: (a: Moments<T>, b: Moments<T>) => number;
}

const INT_MOMENTS: MomentMath<number> = {
  zero: 0,
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  delta: (acc, v) => (Math.imul(v, acc.COUNT + 1) - ((acc.SUM + v) | 0)) | 0,
  meanGap: (a, b) => ((Math.trunc(a.SUM / a.COUNT) | 0) - (Math.trunc(b.SUM / b.COUNT) | 0)) | 0,
};

const LONG_MOMENTS: MomentMath<bigint> = {
  zero: 0n,
  add: (a, b) => BigInt.asIntN(64, a + b),
  sub: (a, b) => BigInt.asIntN(64, a - b),
  delta: (acc, v) => Number(BigInt.asIntN(64, v * BigInt(acc.COUNT + 1) - BigInt.asIntN(64, acc.SUM + v))),
  meanGap: (a, b) => Number(BigInt.asIntN(64, a.SUM / BigInt(a.COUNT) - b.SUM / BigInt(b.COUNT))),
};

const DOUBLE_MOMENTS: MomentMath<number> = {
  zero: 0,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  delta: (acc, v) => v * (acc.COUNT + 1) - (acc.SUM + v),
  meanGap: (a, b) => a.SUM / a.COUNT - b.SUM / b.COUNT,
};

function deviation<T>(math: MomentMath<T>, finish: (variance: number) => number): Aggregator<Moments<T>> {
  return {
    initialize: () => ({ SUM: math.zero, COUNT: 0, M2: 0 }),
    add: (acc, [raw]) => {
      if (raw === null) return acc;
      const v = raw as T;
      const count = acc.COUNT + 1;
      let m2 = 0;
      if (count > 1) {
        const d = math.delta(acc, v);
        m2 = (d * d) / (count * (count - 1));
      }
      return { COUNT: count, SUM: math.add(acc.SUM, v), M2: acc.M2 + m2 };
    },
    undo: (acc, [raw]) => {
      if (raw === null) return acc;
      const v = raw as T;
      const count = acc.COUNT - 1;
      let m2 = 0;
      if (count > 0) {
        const d = math.delta(acc, v);
        m2 = (d * d) / (count * (count + 1));
      }
      return { COUNT: count, SUM: math.sub(acc.SUM, v), M2: acc.M2 - m2 };
    },
    merge: (a, b) => {
      const count = a.COUNT + b.COUNT;
      let m2 = a.M2 + b.M2;
      if (a.COUNT !== 0 && b.COUNT !== 0) {
        const gap = math.meanGap(a, b);
        m2 += (a.COUNT * b.COUNT * gap * gap) / count;
      }
      return { COUNT: count, SUM: math.add(a.SUM, b.SUM), M2: m2 };
    },
    result: (acc) => (acc.COUNT < 2 ? 0 : finish(acc.M2 / (acc.COUNT - 1))),
  };
}

function momentsType(sum: SqlType): SqlType {
  return structType([
    { name: 'SUM', type: sum },
    { name: 'COUNT', type: INTEGER },
    { name: 'M2', type: DOUBLE },
  ]);
}

function deviationVariants(finish: (variance: number) => number): AggregateVariantInput[] {
  return [
    { params: 'INTEGER col', returns: 'DOUBLE', intermediate: () => momentsType(INTEGER), table: true, create: () => deviation(INT_MOMENTS, finish) },
    { params: 'BIGINT col', returns: 'DOUBLE', intermediate: () => momentsType(BIGINT), table: true, create: () => deviation(LONG_MOMENTS, finish) },
    { params: 'DOUBLE col', returns: 'DOUBLE', intermediate: () => momentsType(DOUBLE), table: true, create: () => deviation(DOUBLE_MOMENTS, finish) },
  ];
}

export const STDDEV_SAMP = defineAggregate({
  name: 'STDDEV_SAMP',
  description: 'The sample variance of a column (the square of the sample standard deviation; see STDDEV_SAMPLE).',
  variants: deviationVariants((variance) => variance),
});

export const STDDEV_SAMPLE = defineAggregate({
  name: 'STDDEV_SAMPLE',
  description: 'The sample standard deviation of a column.',
  variants: deviationVariants(Math.sqrt),
});

interface CorrelationSums {
  X_SUM: number;
  Y_SUM: number;
  X_SQUARED_SUM: number;
  Y_SQUARED_SUM: number;
  XY_SUM: number;
  COUNT: bigint;
}

function shift(acc: CorrelationSums, x: number, y: number, sign: 1 | -1): CorrelationSums {
  return {
    X_SUM: acc.X_SUM + sign * x,
    Y_SUM: acc.Y_SUM + sign * y,
    X_SQUARED_SUM: acc.X_SQUARED_SUM + sign * x * x,
    Y_SQUARED_SUM: acc.Y_SQUARED_SUM + sign * y * y,
    XY_SUM: acc.XY_SUM + sign * x * y,
    COUNT: acc.COUNT + BigInt(sign),
  };
}

const correlation: Aggregator<CorrelationSums> = {
  initialize: () => ({ X_SUM: 0, Y_SUM: 0, X_SQUARED_SUM: 0, Y_SQUARED_SUM: 0, XY_SUM: 0, COUNT: 0n }),
  add: (acc, [x, y]) => (x === null || y === null ? acc : shift(acc, x as number, y as number, 1)),
  undo: (acc, [x, y]) => (x === null || y === null ? acc : shift(acc, x as number, y as number, -1)),
  merge: (a, b) => ({
    X_SUM: a.X_SUM + b.X_SUM,
    Y_SUM: a.Y_SUM + b.Y_SUM,
    X_SQUARED_SUM: a.X_SQUARED_SUM + b.X_SQUARED_SUM,
    Y_SQUARED_SUM: a.Y_SQUARED_SUM + b.Y_SQUARED_SUM,
    XY_SUM: a.XY_SUM + b.XY_SUM,
    COUNT: a.COUNT + b.COUNT,
  }),
  result: (acc) => {
    const n = Number(acc.COUNT);
    const numerator = n * acc.XY_SUM - acc.X_SUM * acc.Y_SUM;
    const dx = n * acc.X_SQUARED_SUM - acc.X_SUM * acc.X_SUM;
    const dy = n * acc.Y_SQUARED_SUM - acc.Y_SUM * acc.Y_SUM;
    return numerator / Math.sqrt(dx * dy);
  },
};

export const CORRELATION = defineAggregate({
  name: 'CORRELATION',
  description: 'The Pearson correlation coefficient of two columns; rows with a NULL in either are ignored.',
  variants: [
    {
      params: 'DOUBLE x, DOUBLE y',
      returns: 'DOUBLE',
      intermediate: () =>
        structType([
          { name: 'X_SUM', type: DOUBLE },
          { name: 'Y_SUM', type: DOUBLE },
          { name: 'X_SQUARED_SUM', type: DOUBLE },
          { name: 'Y_SQUARED_SUM', type: DOUBLE },
          { name: 'XY_SUM', type: DOUBLE },
          { name: 'COUNT', type: BIGINT },
        ]),
      table: true,
      create: () => correlation,
    },
  ],
});
