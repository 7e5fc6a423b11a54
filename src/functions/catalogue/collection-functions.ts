/**
 * ARRAY and MAP functions. Element equality is SQL value equality (deep for
 * nested collections); set-like results keep first-occurrence order. The map
 * functions take maps with STRING keys only, as ksqlDB's do. NULL handling
 * follows ksqlDB function by function (see each description).
 */
import type { Decimal } from '../../schema/decimal.js';
import { arrayType, structType, type SqlType } from '../../schema/sql-type.js';
import { defineScalar, type BindContext, type ScalarFunction } from '../function-definition.js';
import { formatJavaDouble } from '../../schema/java-text.js';
import { compareValues, valueKey, valuesEqual } from '../../schema/value-compare.js';
import { valueError } from './value-support.js';

type List = readonly unknown[];

function distinct(items: List, exclude?: List): unknown[] {
  const seen = new Set<string>();
  if (exclude) for (const e of exclude) seen.add(valueKey(e));
  const out: unknown[] = [];
  for (const item of items) {
    const key = valueKey(item);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

function intersect(a: List, b: List): unknown[] {
  const inB = new Set(b.map(valueKey));
  return distinct(a).filter((x) => inB.has(valueKey(x)));
}

function extreme(items: List | null, greater: boolean): unknown {
  if (items === null) return null;
  let best: unknown = null;
  for (const x of items) {
    if (x === null) continue;
    if (best === null) best = x;
    else {
      const c = compareValues(x, best);
      if (greater ? c > 0 : c < 0) best = x;
    }
  }
  return best;
}

/** ARRAY_SORT's directions, in either spelling ksqlDB takes. */
const SORT_DIRECTIONS: Readonly<Record<string, number>> = { ASC: 1, ASCENDING: 1, DESC: -1, DESCENDING: -1 };

function sortArray(items: List | null, direction: string | null): unknown[] | null {
  if (items === null || direction === null) return null;
  const sign = SORT_DIRECTIONS[direction.toUpperCase()];
  if (sign === undefined) return null;
  const present: unknown[] = items.filter((x) => x !== null);
  present.sort((a, b) => sign * compareValues(a, b));
  const nulls = items.length - present.length;
  for (let i = 0; i < nulls; i++) present.push(null);
  return present;
}

/** How ARRAY_JOIN prints an element, chosen once from the element type (only primitives are joinable). */
function elementText(type: SqlType | null): (v: unknown) => string {
  if (type === null) return (v) => String(v);
  switch (type.kind) {
    case 'BYTES':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT': {
      const kind = type.kind;
      return () => {
        throw valueError('ARRAY_JOIN', `hit an element of type ${kind}, which is not supported`);
      };
    }
    case 'DOUBLE':
      return (v) => formatJavaDouble(v as number);
    case 'DECIMAL': {
      const scale = type.scale;
      return (v) => (v as Decimal).toFixed(scale);
    }
    default:
      return (v) => String(v);
  }
}

function arrayJoin(ctx: BindContext) {
  const array = ctx.paramTypes[0];
  const text = elementText(array !== null && array !== undefined && array.kind === 'ARRAY' ? array.element : null);
  return (items: List | null, delimiter: string | null = ',') => {
    if (items === null) return null;
    const sep = delimiter ?? '';
    return items.map((x) => (x === null ? 'null' : text(x))).join(sep);
  };
}

function series(functionName: string, start: bigint, end: bigint, step: bigint | null): bigint[] {
  const s = step ?? (end >= start ? 1n : -1n);
  if (s === 0n) throw valueError(functionName, 'GENERATE_SERIES step cannot be zero');
  if ((end > start && s < 0n) || (end < start && s > 0n)) {
    throw valueError(functionName, 'GENERATE_SERIES step has wrong sign');
  }
  const out: bigint[] = [];
  for (let v = start; s > 0n ? v <= end : v >= end; v += s) out.push(v);
  return out;
}

function entriesType(ctx: BindContext): SqlType {
  const map = ctx.paramTypes[0];
  if (map === null || map === undefined || map.kind !== 'MAP') throw valueError('ENTRIES', 'needs a typed MAP argument');
  return arrayType(structType([{ name: 'K', type: map.key }, { name: 'V', type: map.value }]));
}

export const COLLECTION_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'ARRAY_CONTAINS',
    category: 'ARRAY',
    description: 'True when the array holds the value; false for a NULL array.',
    variants: [
      {
        params: 'ARRAY<T> array, T val',
        returns: 'BOOLEAN',
        impl: (items: List | null, v: unknown) => items !== null && items.some((x) => valuesEqual(x, v)),
      },
    ],
  }),
  defineScalar({
    name: 'ARRAY_DISTINCT',
    category: 'ARRAY',
    description: 'The distinct elements, NULL included, in order of first occurrence.',
    variants: [{ params: 'ARRAY<T> array', returns: 'ARRAY<T>', impl: (a: List | null) => (a === null ? null : distinct(a)) }],
  }),
  defineScalar({
    name: 'ARRAY_EXCEPT',
    category: 'ARRAY',
    description: 'The distinct elements of the first array not in the second; NULL if either is NULL.',
    variants: [
      { params: 'ARRAY<T> left, ARRAY<T> right', returns: 'ARRAY<T>', impl: (a: List | null, b: List | null) => (a === null || b === null ? null : distinct(a, b)) },
    ],
  }),
  defineScalar({
    name: 'ARRAY_INTERSECT',
    category: 'ARRAY',
    description: 'The distinct elements in both arrays, in first-array order; NULL if either is NULL.',
    variants: [
      { params: 'ARRAY<T> left, ARRAY<T> right', returns: 'ARRAY<T>', impl: (a: List | null, b: List | null) => (a === null || b === null ? null : intersect(a, b)) },
    ],
  }),
  defineScalar({
    name: 'ARRAY_UNION',
    category: 'ARRAY',
    description: 'The distinct elements of both arrays, in encounter order; NULL if either is NULL.',
    variants: [
      { params: 'ARRAY<T> left, ARRAY<T> right', returns: 'ARRAY<T>', impl: (a: List | null, b: List | null) => (a === null || b === null ? null : distinct([...a, ...b])) },
    ],
  }),
  defineScalar({
    name: 'ARRAY_CONCAT',
    category: 'ARRAY',
    description: 'The two arrays one after the other; a NULL array counts as empty unless both are NULL.',
    variants: [
      {
        params: 'ARRAY<T> left, ARRAY<T> right',
        returns: 'ARRAY<T>',
        impl: (a: List | null, b: List | null) => (a === null && b === null ? null : [...(a ?? []), ...(b ?? [])]),
      },
    ],
  }),
  defineScalar({
    name: 'ARRAY_JOIN',
    category: 'ARRAY',
    description: 'The elements as text joined by a delimiter (default ",").',
    variants: [
      { params: 'ARRAY<T> array', returns: 'STRING', bind: arrayJoin },
      { params: 'ARRAY<T> array, STRING delimiter', returns: 'STRING', bind: arrayJoin },
    ],
  }),
  defineScalar({
    name: 'ARRAY_LENGTH',
    category: 'ARRAY',
    description: 'The number of elements.',
    variants: [{ params: 'ARRAY<T> array', returns: 'INTEGER', impl: (a: List | null) => (a === null ? null : a.length) }],
  }),
  defineScalar({
    name: 'ARRAY_MAX',
    category: 'ARRAY',
    description: 'The largest non-NULL element, or NULL.',
    variants: [{ params: 'ARRAY<T> array', returns: 'T', impl: (a: List | null) => extreme(a, true) }],
  }),
  defineScalar({
    name: 'ARRAY_MIN',
    category: 'ARRAY',
    description: 'The smallest non-NULL element, or NULL.',
    variants: [{ params: 'ARRAY<T> array', returns: 'T', impl: (a: List | null) => extreme(a, false) }],
  }),
  defineScalar({
    name: 'ARRAY_REMOVE',
    category: 'ARRAY',
    description: 'The array without the elements equal to the value (NULL removes NULLs).',
    variants: [
      {
        params: 'ARRAY<T> array, T victim',
        returns: 'ARRAY<T>',
        impl: (a: List | null, v: unknown) => (a === null ? null : a.filter((x) => !valuesEqual(x, v))),
      },
    ],
  }),
  defineScalar({
    name: 'ARRAY_SORT',
    category: 'ARRAY',
    description: "The elements sorted 'ASC'/'ASCENDING' (default) or 'DESC'/'DESCENDING', NULLs last.",
    variants: [
      { params: 'ARRAY<T> array', returns: 'ARRAY<T>', impl: (a: List | null) => sortArray(a, 'ASC') },
      { params: 'ARRAY<T> array, STRING direction', returns: 'ARRAY<T>', impl: sortArray },
    ],
  }),
  defineScalar({
    name: 'SLICE',
    category: 'ARRAY',
    description: 'The elements from position `from` to `to`, 1-based and inclusive.',
    variants: [
      {
        params: 'ARRAY<T> array, INTEGER from, INTEGER to',
        returns: 'ARRAY<T>',
        impl: (a: List | null, from: number | null, to: number | null) => {
          if (a === null) return null;
          const start = from === null ? 0 : from - 1;
          const end = to === null ? a.length : to;
          // Out-of-range bounds give NULL, as Java's subList failure does in ksqlDB.
          return start < 0 || end > a.length || start > end ? null : a.slice(start, end);
        },
      },
    ],
  }),
  defineScalar({
    name: 'GENERATE_SERIES',
    category: 'ARRAY',
    description: 'The values from start to end inclusive, by step (default 1 or -1).',
    variants: [
      {
        params: 'INTEGER start, INTEGER end',
        returns: 'ARRAY<INTEGER>',
        impl: (s: number | null, e: number | null) => (s === null || e === null ? null : series('GENERATE_SERIES', BigInt(s), BigInt(e), null).map(Number)),
      },
      {
        params: 'INTEGER start, INTEGER end, INTEGER step',
        returns: 'ARRAY<INTEGER>',
        impl: (s: number | null, e: number | null, st: number | null) =>
          s === null || e === null || st === null ? null : series('GENERATE_SERIES', BigInt(s), BigInt(e), BigInt(st)).map(Number),
      },
      {
        params: 'BIGINT start, BIGINT end',
        returns: 'ARRAY<BIGINT>',
        impl: (s: bigint | null, e: bigint | null) => (s === null || e === null ? null : series('GENERATE_SERIES', s, e, null)),
      },
      {
        params: 'BIGINT start, BIGINT end, INTEGER step',
        returns: 'ARRAY<BIGINT>',
        impl: (s: bigint | null, e: bigint | null, st: number | null) =>
          s === null || e === null || st === null ? null : series('GENERATE_SERIES', s, e, BigInt(st)),
      },
    ],
  }),
  defineScalar({
    name: 'AS_MAP',
    category: 'MAP',
    description: 'A map from a list of keys and a list of values (missing values are NULL).',
    variants: [
      {
        params: 'ARRAY<STRING> keys, ARRAY<T> values',
        returns: 'MAP<STRING, T>',
        impl: (keys: List | null, values: List | null) => {
          if (keys === null || values === null) return null;
          const out = new Map<unknown, unknown>();
          keys.forEach((k, i) => out.set(k, i < values.length ? values[i] : null));
          return out;
        },
      },
    ],
  }),
  defineScalar({
    name: 'MAP_KEYS',
    category: 'MAP',
    description: 'The keys of a map.',
    variants: [{ params: 'MAP<STRING, V> map', returns: 'ARRAY<STRING>', impl: (m: Map<unknown, unknown> | null) => (m === null ? null : [...m.keys()]) }],
  }),
  defineScalar({
    name: 'MAP_VALUES',
    category: 'MAP',
    description: 'The values of a map.',
    variants: [{ params: 'MAP<STRING, V> map', returns: 'ARRAY<V>', impl: (m: Map<unknown, unknown> | null) => (m === null ? null : [...m.values()]) }],
  }),
  defineScalar({
    name: 'MAP_UNION',
    category: 'MAP',
    description: 'The entries of both maps, the second winning on shared keys; NULL only if both are NULL.',
    variants: [
      {
        params: 'MAP<STRING, V> map1, MAP<STRING, V> map2',
        returns: 'MAP<STRING, V>',
        impl: (a: Map<unknown, unknown> | null, b: Map<unknown, unknown> | null) => (a === null && b === null ? null : new Map([...(a ?? []), ...(b ?? [])])),
      },
    ],
  }),
  defineScalar({
    name: 'ENTRIES',
    category: 'MAP',
    description: 'The entries of a map as structs with fields K and V, optionally sorted by key.',
    variants: [
      {
        params: 'MAP<STRING, V> map, BOOLEAN sorted',
        returns: entriesType,
        impl: (m: Map<unknown, unknown> | null, sorted: boolean | null) => {
          if (m === null) return null;
          const entries = [...m].map(([K, V]) => ({ K, V }));
          if (sorted) entries.sort((x, y) => compareValues(x.K, y.K));
          return entries;
        },
      },
    ],
  }),
];
