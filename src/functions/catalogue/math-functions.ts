/**
 * Mathematical functions. Functions computed on doubles declare INTEGER,
 * BIGINT and DOUBLE variants as ksqlDB does (so a DECIMAL widens to DOUBLE,
 * while NULL alone or mixed integer types are ambiguous). Rounding follows
 * ksqlDB: ROUND sends halves towards positive infinity; DECIMAL results are
 * DECIMALs typed from the argument.
 */
import { Decimal } from '../../schema/decimal.js';
import { decimalType, MAX_DECIMAL_PRECISION, type SqlType } from '../../schema/sql-type.js';
import { defineScalar, type BindContext, type ScalarFunction, type ScalarVariantInput } from '../function-definition.js';
import { decimalFor, widenDecimals } from '../resolve-variant.js';
import { compareValues } from '../../schema/value-compare.js';
import { strict, valueError } from './value-support.js';

type RoundingMode = Decimal.Rounding;

/** Rounds to `places` decimal places (negative: to the left of the point). */
function roundDecimal(d: Decimal, places: number, mode: RoundingMode): Decimal {
  if (places >= 0) return d.toDecimalPlaces(places, mode);
  const factor = new Decimal(10).pow(-places);
  return d.div(factor).toDecimalPlaces(0, mode).mul(factor);
}

function roundDouble(x: number, places: number, mode: RoundingMode): number {
  if (!Number.isFinite(x)) return x;
  return roundDecimal(new Decimal(x), places, mode).toNumber();
}

/** Java's Math.round: floor(x + 0.5), as a BIGINT. */
function javaRound(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (!Number.isFinite(x)) return x > 0 ? 9223372036854775807n : -9223372036854775808n;
  return BigInt(Math.floor(x + 0.5));
}

function argDecimal(ctx: BindContext): { precision: number; scale: number } {
  return decimalFor(ctx.paramTypes[0]!) as { precision: number; scale: number };
}

function scaleZeroDecimal(ctx: BindContext): SqlType {
  const { precision, scale } = argDecimal(ctx);
  return decimalType(Math.min(Math.max(precision - scale, 1), MAX_DECIMAL_PRECISION), 0);
}

function sameDecimal(ctx: BindContext): SqlType {
  return ctx.paramTypes[0]!;
}

/** The types ksqlDB declares a function computed on doubles for. */
const DOUBLE_SOURCES = ['INTEGER', 'BIGINT', 'DOUBLE'] as const;

function toDouble(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** A function of one number computed on doubles, for each type ksqlDB declares it for. */
function unaryDoubleVariants(fn: (x: number) => number, param: string): ScalarVariantInput[] {
  return DOUBLE_SOURCES.map((t) => ({ params: `${t} ${param}`, returns: 'DOUBLE', impl: strict((x: number | bigint) => fn(toDouble(x))) }));
}

/** Two-argument variants: ksqlDB declares POWER and LOG for two arguments of one type, ATAN2 for every pair. */
function binaryDoubleVariants(fn: (a: number, b: number) => number, params: readonly [string, string], everyPair: boolean): ScalarVariantInput[] {
  const pairs = DOUBLE_SOURCES.flatMap((a) => DOUBLE_SOURCES.filter((b) => everyPair || a === b).map((b) => [a, b] as const));
  return pairs.map(([a, b]) => ({
    params: `${a} ${params[0]}, ${b} ${params[1]}`,
    returns: 'DOUBLE',
    impl: strict((x: number | bigint, y: number | bigint) => fn(toDouble(x), toDouble(y))),
  }));
}

function unaryDouble(name: string, description: string, fn: (x: number) => number, param = 'value'): ScalarFunction {
  return defineScalar({ name, category: 'MATHEMATICAL', description, variants: unaryDoubleVariants(fn, param) });
}

function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** ROUND and TRUNC share their variants; only the rounding mode differs. */
function roundingVariants(mode: RoundingMode, toWhole: (x: number) => bigint): ScalarVariantInput[] {
  return [
    { params: 'INTEGER value', returns: 'BIGINT', impl: strict((x: number) => BigInt(x)) },
    { params: 'BIGINT value', returns: 'BIGINT', impl: strict((x: bigint) => x) },
    { params: 'DOUBLE value', returns: 'BIGINT', impl: strict(toWhole) },
    {
      params: 'DOUBLE value, INTEGER decimalPlaces',
      returns: 'DOUBLE',
      impl: strict((x: number, n: number) => roundDouble(x, n, mode)),
    },
    {
      params: 'DECIMAL value',
      returns: scaleZeroDecimal,
      impl: strict((d: Decimal) => roundDecimal(d, 0, mode)),
    },
    {
      params: 'DECIMAL value, INTEGER decimalPlaces',
      returns: sameDecimal,
      bind: (ctx) => {
        const { scale } = argDecimal(ctx);
        return strict((d: Decimal, n: number) => roundDecimal(roundDecimal(d, n, mode), scale, Decimal.ROUND_HALF_UP));
      },
    },
  ];
}

/** GREATEST / LEAST: one variadic variant per comparable type, NULLs ignored. */
function extremeVariants(pickGreater: boolean): ScalarVariantInput[] {
  const pick = (...args: unknown[]) => {
    let best: unknown = null;
    for (const a of args) {
      if (a === null) continue;
      if (best === null) best = a;
      else {
        const c = compareValues(a, best);
        if (pickGreater ? c > 0 : c < 0) best = a;
      }
    }
    return best;
  };
  const simple = ['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'].map(
    (t): ScalarVariantInput => ({ params: `${t} val, ${t}... vals`, returns: t, impl: pick }),
  );
  const decimal: ScalarVariantInput = {
    params: 'DECIMAL val, DECIMAL... vals',
    returns: (ctx) => {
      const typed = ctx.paramTypes.filter((t): t is SqlType => t !== null);
      return typed.reduce((a, b) => widenDecimals(a, b));
    },
    impl: pick,
  };
  return [...simple.slice(0, 3), decimal, ...simple.slice(3)];
}

/** The unit names ksqlDB takes (case-insensitive, trimmed; blank means KM) and the earth radius in each. */
const EARTH_RADIUS: Readonly<Record<string, number>> = {
  KM: 6371, KILOMETER: 6371, KILOMETERS: 6371, KILOMETRE: 6371, KILOMETRES: 6371, MI: 3959, MILE: 3959, MILES: 3959,
};

function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number, unit = 'KM'): number {
  const name = unit.trim().toUpperCase();
  const radius = name.length === 0 ? EARTH_RADIUS.KM : EARTH_RADIUS[name];
  if (radius === undefined) throw valueError('GEO_DISTANCE', `unknown unit "${unit}": use KM or MI`);
  if (Math.abs(lat1) > 90 || Math.abs(lat2) > 90 || Math.abs(lon1) > 180 || Math.abs(lon2) > 180) {
    throw valueError('GEO_DISTANCE', 'valid latitudes are -90..90 and longitudes -180..180 degrees');
  }
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * radius * Math.asin(Math.sqrt(a));
}

export const MATH_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'ABS',
    category: 'MATHEMATICAL',
    description: 'The absolute value.',
    variants: [
      { params: 'INTEGER value', returns: 'INTEGER', impl: strict((x: number) => Math.abs(x) | 0) },
      { params: 'BIGINT value', returns: 'BIGINT', impl: strict((x: bigint) => (x < 0n ? BigInt.asIntN(64, -x) : x)) },
      { params: 'DOUBLE value', returns: 'DOUBLE', impl: strict(Math.abs) },
      { params: 'DECIMAL value', returns: sameDecimal, impl: strict((d: Decimal) => d.abs()) },
    ],
  }),
  ...(['CEIL', 'FLOOR'] as const).map((name) => {
    const mode = name === 'CEIL' ? Decimal.ROUND_CEIL : Decimal.ROUND_FLOOR;
    const fn = name === 'CEIL' ? Math.ceil : Math.floor;
    return defineScalar({
      name,
      category: 'MATHEMATICAL',
      description: name === 'CEIL' ? 'The smallest whole value not below the argument.' : 'The largest whole value not above the argument.',
      variants: [
        { params: 'INTEGER value', returns: 'INTEGER', impl: strict((x: number) => x) },
        { params: 'BIGINT value', returns: 'BIGINT', impl: strict((x: bigint) => x) },
        { params: 'DOUBLE value', returns: 'DOUBLE', impl: strict(fn) },
        { params: 'DECIMAL value', returns: sameDecimal, impl: strict((d: Decimal) => d.toDecimalPlaces(0, mode)) },
      ],
    });
  }),
  defineScalar({
    name: 'ROUND',
    category: 'MATHEMATICAL',
    description: 'Rounds to a number of decimal places (default 0); halves go towards positive infinity.',
    variants: roundingVariants(Decimal.ROUND_HALF_CEIL, javaRound),
  }),
  defineScalar({
    name: 'TRUNC',
    category: 'MATHEMATICAL',
    description: 'Truncates towards zero to a number of decimal places (default 0).',
    variants: roundingVariants(Decimal.ROUND_DOWN, (x) => (Number.isFinite(x) ? BigInt(Math.trunc(x)) : javaRound(x))),
  }),
  defineScalar({
    name: 'SIGN',
    category: 'MATHEMATICAL',
    description: 'The sign of a number: -1, 0 or 1.',
    variants: [
      { params: 'INTEGER value', returns: 'INTEGER', impl: strict(sign) },
      { params: 'BIGINT value', returns: 'INTEGER', impl: strict((x: bigint) => (x > 0n ? 1 : x < 0n ? -1 : 0)) },
      { params: 'DOUBLE value', returns: 'INTEGER', impl: strict(sign) },
      { params: 'DECIMAL value', returns: 'INTEGER', impl: strict((d: Decimal) => (d.isZero() ? 0 : d.isNeg() ? -1 : 1)) },
    ],
  }),
  unaryDouble('SQRT', 'The square root.', Math.sqrt),
  unaryDouble('CBRT', 'The cube root.', Math.cbrt),
  unaryDouble('EXP', 'e raised to the argument.', Math.exp, 'exponent'),
  unaryDouble('LN', 'The natural logarithm.', Math.log),
  unaryDouble('ACOS', 'The arc cosine, in radians.', Math.acos),
  unaryDouble('ASIN', 'The arc sine, in radians.', Math.asin),
  unaryDouble('ATAN', 'The arc tangent, in radians.', Math.atan),
  unaryDouble('COS', 'The cosine of an angle in radians.', Math.cos),
  unaryDouble('COSH', 'The hyperbolic cosine.', Math.cosh),
  unaryDouble('COT', 'The cotangent of an angle in radians.', (x) => Math.cos(x) / Math.sin(x)),
  unaryDouble('SIN', 'The sine of an angle in radians.', Math.sin),
  unaryDouble('SINH', 'The hyperbolic sine.', Math.sinh),
  unaryDouble('TAN', 'The tangent of an angle in radians.', Math.tan),
  unaryDouble('TANH', 'The hyperbolic tangent.', Math.tanh),
  unaryDouble('DEGREES', 'Converts radians to degrees.', (x) => (x * 180) / Math.PI),
  unaryDouble('RADIANS', 'Converts degrees to radians.', (x) => (x / 180) * Math.PI),
  defineScalar({
    name: 'ATAN2',
    category: 'MATHEMATICAL',
    description: 'The angle theta of the polar coordinates of (x, y), in radians.',
    variants: binaryDoubleVariants(Math.atan2, ['y', 'x'], true),
  }),
  defineScalar({
    name: 'LOG',
    category: 'MATHEMATICAL',
    // ksqlDB's documentation calls the one-argument form base 10, but ksqlDB computes (and its
    // tests expect) the natural logarithm: we do what ksqlDB does.
    description: 'The natural logarithm, or the logarithm in a given base.',
    variants: [
      ...unaryDoubleVariants(Math.log, 'value'),
      ...binaryDoubleVariants((b, v) => (b <= 0 || b === 1 || v < 0 ? NaN : Math.log(v) / Math.log(b)), ['base', 'value'], false),
    ],
  }),
  defineScalar({
    name: 'POWER',
    category: 'MATHEMATICAL',
    description: 'The base raised to the exponent.',
    variants: binaryDoubleVariants(Math.pow, ['base', 'exponent'], false),
  }),
  defineScalar({
    name: 'PI',
    category: 'MATHEMATICAL',
    description: 'An approximation of pi.',
    variants: [{ params: '', returns: 'DOUBLE', impl: () => Math.PI }],
  }),
  defineScalar({
    name: 'RANDOM',
    deterministic: false,
    category: 'MATHEMATICAL',
    description: 'A random DOUBLE in [0, 1).',
    variants: [{ params: '', returns: 'DOUBLE', impl: () => Math.random() }],
  }),
  defineScalar({
    name: 'GREATEST',
    category: 'MATHEMATICAL',
    description: 'The largest non-NULL argument.',
    variants: extremeVariants(true),
  }),
  defineScalar({
    name: 'LEAST',
    category: 'MATHEMATICAL',
    description: 'The smallest non-NULL argument.',
    variants: extremeVariants(false),
  }),
  defineScalar({
    name: 'GEO_DISTANCE',
    category: 'MATHEMATICAL',
    description: 'The great-circle distance between two points in degrees, in KM (default) or MI.',
    variants: [
      { params: 'DOUBLE lat1, DOUBLE lon1, DOUBLE lat2, DOUBLE lon2', returns: 'DOUBLE', impl: strict(geoDistance) },
      {
        params: 'DOUBLE lat1, DOUBLE lon1, DOUBLE lat2, DOUBLE lon2, STRING unit',
        returns: 'DOUBLE',
        impl: (a: number | null, b: number | null, c: number | null, d: number | null, unit: string | null) =>
          a === null || b === null || c === null || d === null ? null : geoDistance(a, b, c, d, unit ?? 'KM'),
      },
    ],
  }),
];
