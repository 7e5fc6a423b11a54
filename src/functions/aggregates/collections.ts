/**
 * COLLECT_LIST, COLLECT_SET, COLLECT_MAP, HISTOGRAM and ATTR.
 *
 * COLLECT_LIST keeps NULLs; COLLECT_SET keeps one NULL. Their size is capped
 * by `ksql.functions.collect_list.limit` / `ksql.functions.collect_set.limit`
 * (default 1000; a negative limit means none); values past the cap are
 * dropped silently. COLLECT_MAP merges map columns, a later value for a key
 * replacing the earlier one, up to `ksql.functions.collect_map.limit` keys
 * (no limit unless set). HISTOGRAM counts up to 1000 distinct strings.
 */
import { INTEGER, arrayType, structType, type SqlType } from '../../schema/sql-type.js';
import { valuesEqual } from '../../schema/value-compare.js';
import { defineAggregate, insertingListAggregator, readConfig, type AggregateConfig, type Aggregator } from '../aggregate-function.js';
import type { BindContext } from '../function-definition.js';

export const COLLECT_LIST_LIMIT = 'ksql.functions.collect_list.limit';
export const COLLECT_SET_LIMIT = 'ksql.functions.collect_set.limit';
export const COLLECT_MAP_LIMIT = 'ksql.functions.collect_map.limit';
const DEFAULT_LIMIT = 1000;
const HISTOGRAM_LIMIT = 1000;

/** Reads a collection limit from the config as ksqlDB does (numbers or numeric strings; negative: no limit). */
export function readLimit(config: AggregateConfig, name: string, fallback = DEFAULT_LIMIT): number {
  const raw = readConfig(config, name);
  let limit = fallback;
  if (typeof raw === 'number' || typeof raw === 'bigint') limit = Number(raw);
  else if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) limit = Number(raw);
  return limit < 0 ? Number.MAX_SAFE_INTEGER : Math.trunc(limit);
}

function indexOf(list: readonly unknown[], v: unknown, fromEnd = false): number {
  if (fromEnd) {
    for (let i = list.length - 1; i >= 0; i--) if (valuesEqual(list[i], v)) return i;
    return -1;
  }
  return list.findIndex((x) => valuesEqual(x, v));
}

function collectList(limit: number): Aggregator<unknown[]> {
  return {
    initialize: () => [],
    add: (acc, [v]) => {
      if (acc.length < limit) acc.push(v ?? null);
      return acc;
    },
    undo: (acc, [v]) => {
      const i = indexOf(acc, v ?? null, true);
      if (i >= 0) acc.splice(i, 1);
      return acc;
    },
    merge: (a, b) => {
      for (const v of b) {
        if (a.length >= limit) break;
        a.push(v);
      }
      return a;
    },
    result: (acc) => [...acc],
  };
}

function collectSet(limit: number): Aggregator<unknown[]> {
  return insertingListAggregator((acc, v) => {
    if (acc.length < limit && indexOf(acc, v) < 0) acc.push(v);
    return acc;
  });
}

function collectMap(limit: number): Aggregator<Map<unknown, unknown>> {
  const putAll = (acc: Map<unknown, unknown>, entries: Iterable<[unknown, unknown]>): Map<unknown, unknown> => {
    for (const [k, v] of entries) {
      if (acc.has(k) || acc.size < limit) acc.set(k, v);
    }
    return acc;
  };
  return {
    initialize: () => new Map(),
    add: (acc, [v]) => (v === null || v === undefined ? acc : putAll(acc, v as Map<unknown, unknown>)),
    merge: (a, b) => putAll(a, b),
    result: (acc) => new Map(acc),
  };
}

const histogram: Aggregator<Map<string, bigint>> = {
  initialize: () => new Map(),
  add: (acc, [v]) => {
    if (v === null) return acc;
    const s = v as string;
    const n = acc.get(s);
    if (n !== undefined) acc.set(s, n + 1n);
    else if (acc.size < HISTOGRAM_LIMIT) acc.set(s, 1n);
    return acc;
  },
  undo: (acc, [v]) => {
    if (v === null) return acc;
    const s = v as string;
    const n = acc.get(s);
    if (n !== undefined) {
      if (n <= 1n) acc.delete(s);
      else acc.set(s, n - 1n);
    }
    return acc;
  },
  merge: (a, b) => {
    for (const [s, n] of b) {
      const m = a.get(s);
      if (m !== undefined) a.set(s, m + n);
      else if (a.size < HISTOGRAM_LIMIT) a.set(s, n);
    }
    return a;
  },
  result: (acc) => new Map(acc),
};

interface AttrEntry {
  VALUE: unknown;
  COUNT: number;
}

function updateAttr(acc: AttrEntry[], value: unknown, delta: number): AttrEntry[] {
  const entry = acc.find((e) => valuesEqual(e.VALUE, value));
  if (entry) entry.COUNT = Math.max(0, entry.COUNT + delta);
  else if (delta > 0) acc.push({ VALUE: value, COUNT: delta });
  return acc;
}

/** The value when every counted value is the same one, else NULL. */
const attr: Aggregator<AttrEntry[]> = {
  initialize: () => [],
  add: (acc, [v]) => updateAttr(acc, v ?? null, 1),
  undo: (acc, [v]) => updateAttr(acc, v ?? null, -1),
  merge: (a, b) => b.reduce((acc, e) => updateAttr(acc, e.VALUE, e.COUNT), a),
  result: (acc) => {
    const live = acc.filter((e) => e.COUNT > 0);
    return live.length === 1 ? live[0]!.VALUE : null;
  },
};

const listOfFirst = (ctx: BindContext): SqlType => arrayType(ctx.paramTypes[0] as SqlType);

export const COLLECT_LIST = defineAggregate({
  name: 'COLLECT_LIST',
  description: 'Gathers the values of a column, NULLs included, into an array (at most ksql.functions.collect_list.limit).',
  variants: [{ params: 'T col', returns: 'ARRAY<T>', intermediate: listOfFirst, table: true, create: (ctx) => collectList(readLimit(ctx.config, COLLECT_LIST_LIMIT)) }],
});

export const COLLECT_SET = defineAggregate({
  name: 'COLLECT_SET',
  description: 'Gathers the distinct values of a column into an array (at most ksql.functions.collect_set.limit).',
  variants: [{ params: 'T col', returns: 'ARRAY<T>', intermediate: listOfFirst, create: (ctx) => collectSet(readLimit(ctx.config, COLLECT_SET_LIMIT)) }],
});

export const COLLECT_MAP = defineAggregate({
  name: 'COLLECT_MAP',
  description: 'Gathers the entries of a map column into one map, a later value for a key replacing the earlier one (at most ksql.functions.collect_map.limit keys).',
  variants: [{ params: 'MAP<K, V> col', returns: 'MAP<K, V>', create: (ctx) => collectMap(readLimit(ctx.config, COLLECT_MAP_LIMIT, Number.MAX_SAFE_INTEGER)) }],
});

export const HISTOGRAM = defineAggregate({
  name: 'HISTOGRAM',
  description: 'Maps each distinct non-NULL string of a column to the number of times it occurs (at most 1000 strings).',
  variants: [{ params: 'STRING col', returns: 'MAP<STRING, BIGINT>', table: true, create: () => histogram }],
});

export const ATTR = defineAggregate({
  name: 'ATTR',
  description: 'The value of a column when all its values in the group are the same, else NULL.',
  variants: [
    {
      params: 'T col',
      returns: 'T',
      intermediate: (ctx) => arrayType(structType([{ name: 'VALUE', type: ctx.paramTypes[0] as SqlType }, { name: 'COUNT', type: INTEGER }])),
      table: true,
      create: () => attr,
    },
  ],
});

