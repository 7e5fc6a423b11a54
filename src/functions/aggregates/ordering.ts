/**
 * MIN, MAX, TOPK and TOPKDISTINCT over the comparable types. NULL values are
 * ignored. TOPK keeps ties in arrival order (earlier first), as ksqlDB's
 * stable sort does; with extra columns it returns structs
 * `{sort_col, col0, col1, ...}` ordered by `sort_col` only.
 */
import { arrayType, structType, type SqlType, type StructField } from '../../schema/sql-type.js';
import { compareValues, valuesEqual } from '../../schema/value-compare.js';
import { defineAggregate, insertingListAggregator, type AggregateVariantInput, type Aggregator } from '../aggregate-function.js';
import type { BindContext } from '../function-definition.js';

/** The types MIN, MAX and TOPK order: each gives one variant. */
export const ORDERED_TYPES = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'DATE', 'TIME', 'TIMESTAMP', 'BYTES'] as const;

const firstType = (ctx: BindContext): SqlType => ctx.paramTypes[0] as SqlType;

function extreme(sign: 1 | -1): Aggregator<unknown> {
  const better = (a: unknown, b: unknown): unknown => (a === null ? b : b === null ? a : sign * compareValues(b, a) > 0 ? b : a);
  return {
    initialize: () => null,
    add: (acc, [v]) => better(acc, v ?? null),
    merge: better,
    result: (acc) => acc,
  };
}

function variantsFor(make: (type: string) => AggregateVariantInput): AggregateVariantInput[] {
  return ORDERED_TYPES.map(make);
}

export const MIN = defineAggregate({
  name: 'MIN',
  description: 'The smallest non-NULL value of a column.',
  variants: variantsFor((t) => ({ params: `${t} col`, returns: t === 'DECIMAL' ? firstType : t, create: () => extreme(-1) })),
});

export const MAX = defineAggregate({
  name: 'MAX',
  description: 'The largest non-NULL value of a column.',
  variants: variantsFor((t) => ({ params: `${t} col`, returns: t === 'DECIMAL' ? firstType : t, create: () => extreme(1) })),
});

/** Keeps the k largest values, descending, by `key`; ties keep arrival order. */
function topK<T>(k: number, key: (v: T) => unknown): Aggregator<T[]> {
  const desc = (a: T, b: T): number => compareValues(key(b), key(a));
  return {
    initialize: () => [],
    add: (acc, args) => {
      const value = args[0] as T | null;
      if (value === null || key(value) === null || k <= 0) return acc;
      if (acc.length === k) {
        if (compareValues(key(value), key(acc[k - 1]!)) <= 0) return acc;
        acc[k - 1] = value;
      } else {
        acc.push(value);
      }
      acc.sort(desc); // Array.prototype.sort is stable
      return acc;
    },
    merge: (a, b) => {
      const merged: T[] = [];
      let i = 0;
      let j = 0;
      while (merged.length < k && (i < a.length || j < b.length)) {
        if (j >= b.length || (i < a.length && compareValues(key(a[i]!), key(b[j]!)) >= 0)) merged.push(a[i++]!);
        else merged.push(b[j++]!);
      }
      return merged;
    },
    result: (acc) => [...acc],
  };
}

function topKDistinct(k: number): Aggregator<unknown[]> {
  const desc = (a: unknown, b: unknown): number => compareValues(b, a);
  return insertingListAggregator((acc, v) => {
    if (v === null || acc.some((x) => valuesEqual(x, v))) return acc;
    acc.push(v);
    acc.sort(desc);
    if (acc.length > k) acc.length = Math.max(k, 0);
    return acc;
  });
}

type Row = Record<string, unknown>;

/** TOPK(col, other..., k): the column arguments are the sort column then the others. */
function topKStructs(k: number, others: number): Aggregator<Row[]> {
  const inner = topK<Row>(k, (r) => r['sort_col']);
  return {
    ...inner,
    add: (acc, args) => {
      if (args[0] === null) return acc;
      const row: Row = { sort_col: args[0] };
      for (let i = 0; i < others; i++) row[`col${i}`] = args[i + 1] ?? null;
      return inner.add(acc, [row]);
    },
  };
}

function structsType(ctx: BindContext): SqlType {
  const types = ctx.paramTypes;
  const fields: StructField[] = [{ name: 'sort_col', type: types[0] as SqlType }];
  for (let i = 1; i < types.length - 1; i++) fields.push({ name: `col${i - 1}`, type: (types[i] ?? types[0]) as SqlType });
  return arrayType(structType(fields));
}

const listOfFirst = (ctx: BindContext): SqlType => arrayType(ctx.paramTypes[0] as SqlType);

export const TOPK = defineAggregate({
  name: 'TOPK',
  description: 'The k largest non-NULL values of a column, largest first; with other columns, structs of the sort value and those columns.',
  variants: [
    ...variantsFor((t) => ({
      params: `${t} col, literal INTEGER k`,
      returns: t === 'DECIMAL' ? listOfFirst : `ARRAY<${t}>`,
      create: (ctx) => topK<unknown>(ctx.literals[0] as number, (v) => v),
    })),
    ...variantsFor((t) => ({
      params: `${t} col, ANY... otherCols, literal INTEGER k`,
      returns: structsType,
      create: (ctx) => topKStructs(ctx.literals[0] as number, ctx.paramTypes.length - 1),
    })),
  ],
});

export const TOPKDISTINCT = defineAggregate({
  name: 'TOPKDISTINCT',
  description: 'The k largest distinct non-NULL values of a column, largest first.',
  variants: variantsFor((t) => ({
    params: `${t} col, literal INTEGER k`,
    returns: t === 'DECIMAL' ? listOfFirst : `ARRAY<${t}>`,
    create: (ctx) => topKDistinct(ctx.literals[0] as number),
  })),
});
