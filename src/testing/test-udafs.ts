/**
 * ksqlDB's test-only aggregate functions, which its query-validation tests
 * call (MULTI_ARG, FOUR_ARG, FIVE_ARG, GENERIC_VAR_ARG, MID_VAR_ARG,
 * VAR_ARG, OBJ_COL_ARG, TEST_UDAF). They are registered only in the test driver's
 * registry, through the public user-defined aggregate API, and reproduce the
 * behaviour those tests expect: column arguments first, then literal
 * ("init") arguments.
 */
import type { AggregateFunctionInput, Aggregator } from '../functions/aggregate-function.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { INTEGER, structType } from '../schema/sql-type.js';

type Sum = bigint;

const lengthOf = (s: unknown): number => (typeof s === 'string' ? s.length : 0);
const longOf = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(v as number | bigint));

/** Sums longs and string lengths of the column arguments onto a start value. */
function summing(start: bigint, finish: (acc: Sum) => Sum = (acc) => acc): Aggregator<Sum> {
  return {
    initialize: () => start,
    add: (acc, args) => {
      let total = acc;
      for (const a of args) {
        if (Array.isArray(a)) for (const s of a) total += BigInt(lengthOf(s));
        else total += typeof a === 'string' ? BigInt(a.length) : longOf(a);
      }
      return total;
    },
    merge: (a, b) => a + b,
    result: finish,
  };
}

/** init = the INTEGER literal plus the lengths of the STRING literals. */
function initialValue(literals: readonly unknown[]): bigint {
  return literals.reduce<bigint>((sum, l) => sum + (typeof l === 'string' ? BigInt(l.length) : longOf(l)), 0n);
}

/** Collects the first column argument of the rows where every column argument is non-NULL. */
const collectWhenComplete: Aggregator<unknown[]> = {
  initialize: () => [],
  add: (acc, args) => {
    if (args.every((a) => a !== null)) acc.push(args[0]);
    return acc;
  },
  merge: (a, b) => [...a, ...b],
  result: (acc) => [...acc],
};

function longSum(): Aggregator<bigint> {
  return {
    initialize: () => 0n,
    add: (acc, [v]) => (v === null ? acc : acc + longOf(v)),
    undo: (acc, [v]) => (v === null ? acc : acc - longOf(v)),
    merge: (a, b) => a + b,
    result: (acc) => acc,
  };
}

type AB = { A: number | null; B: number | null };
const structSum: Aggregator<AB> = {
  initialize: () => ({ A: 0, B: 0 }),
  add: (acc, [v]) => {
    const s = v as AB | null;
    if (s === null) return acc;
    return { A: ((acc.A ?? 0) + (s.A ?? 0)) | 0, B: ((acc.B ?? 0) + (s.B ?? 0)) | 0 };
  },
  merge: (a, b) => ({ A: ((a.A ?? 0) + (b.A ?? 0)) | 0, B: ((a.B ?? 0) + (b.B ?? 0)) | 0 }),
  result: (acc) => ({ ...acc }),
};

const AB_TYPE = structType([{ name: 'A', type: INTEGER }, { name: 'B', type: INTEGER }]);

export const TEST_UDAFS: readonly AggregateFunctionInput[] = [
  {
    name: 'MULTI_ARG',
    description: 'Sums a long column, the lengths of a string column, and the literal arguments.',
    variants: [{ params: 'BIGINT a, STRING b, literal INTEGER i, literal STRING... s', returns: 'BIGINT', create: (ctx) => summing(initialValue(ctx.literals)) }],
  },
  {
    name: 'FOUR_ARG',
    description: 'Sums a long column, the lengths of three string columns, and the literal arguments.',
    variants: [
      {
        params: 'BIGINT a, STRING b, STRING c, STRING d, literal INTEGER i, literal STRING... s',
        returns: 'BIGINT',
        create: (ctx) => summing(initialValue(ctx.literals)),
      },
    ],
  },
  {
    name: 'FIVE_ARG',
    description: 'Sums a long column, the lengths of three string columns, an integer column, and the literal arguments.',
    variants: [
      {
        params: 'BIGINT a, STRING b, STRING c, STRING d, INTEGER e, literal INTEGER i, literal STRING... s',
        returns: 'BIGINT',
        create: (ctx) => summing(initialValue(ctx.literals)),
      },
    ],
  },
  {
    name: 'GENERIC_VAR_ARG',
    description: 'Collects the first column of the rows where all the given columns are non-NULL.',
    variants: [{ params: 'A a, B b, C... c', returns: 'ARRAY<A>', create: () => collectWhenComplete }],
  },
  {
    name: 'MID_VAR_ARG',
    description: 'Sums a long column and the lengths of string columns, plus the two literal integers.',
    variants: [
      {
        params: 'BIGINT a, STRING... b, literal INTEGER c, literal INTEGER d',
        returns: 'BIGINT',
        create: (ctx) => summing(0n, (acc) => acc + initialValue(ctx.literals)),
      },
    ],
  },
  {
    name: 'VAR_ARG',
    description: 'Testing multiple and variadic arguments',
    variants: [
      {
        params: 'BIGINT a, STRING... b',
        returns: 'DOUBLE',
        create: () => ({
          initialize: () => 0,
          add: (acc: number, [a, ...b]: readonly unknown[]) => acc + Number(longOf(a)) + b.reduce<number>((sum, x) => sum + lengthOf(x), 0),
          merge: (x: number, y: number) => x + y,
          result: (acc: number) => acc,
        }),
      },
    ],
  },
  {
    name: 'OBJ_COL_ARG',
    description: 'Collects the first column of the rows where all the given columns are non-NULL.',
    variants: [{ params: 'INTEGER a, ANY... others', returns: 'ARRAY<INTEGER>', create: () => collectWhenComplete }],
  },
  {
    name: 'TEST_UDAF',
    displayName: 'test_udaf',
    description: 'Test sums.',
    variants: [
      { params: 'BIGINT v', returns: 'BIGINT', table: true, create: longSum, description: 'sums longs' },
      { params: 'INTEGER v', returns: 'BIGINT', table: true, create: longSum, description: 'sums ints' },
      {
        params: 'DOUBLE v',
        returns: 'DOUBLE',
        create: () => ({
          initialize: () => 0,
          add: (acc: number, [v]: readonly unknown[]) => (v === null ? acc : acc + (v as number)),
          merge: (a: number, b: number) => a + b,
          result: (acc: number) => acc,
        }),
        description: 'sums doubles',
      },
      {
        params: 'STRING v, literal STRING initial',
        returns: 'BIGINT',
        create: (ctx) => summing(BigInt(lengthOf(ctx.literals[0]))),
        description: 'sums the lengths of strings',
      },
      { params: 'STRUCT v', returns: () => AB_TYPE, create: () => structSum, description: 'sums the A and B fields of structs' },
    ],
  },
];

/** Registers the test UDAFs in a registry (the test driver's). */
export function registerTestUdafs(registry: FunctionRegistry): FunctionRegistry {
  for (const input of TEST_UDAFS) registry.registerAggregate(input);
  return registry;
}
