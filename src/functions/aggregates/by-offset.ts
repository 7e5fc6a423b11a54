/**
 * EARLIEST_BY_OFFSET and LATEST_BY_OFFSET, single-value and N-value forms.
 *
 * Each kept value is stored as `{SEQ, VAL}`, SEQ a number drawn from one
 * increasing sequence when the value is added, so that merging two session
 * windows keeps the values that really came first (or last). The sequence
 * starts from the clock (microseconds), so values added after a restart still
 * sort after those stored before it. NULLs are ignored unless
 * `ignoreNulls` is false.
 */
import { KsqlError } from '../../common/errors.js';
import { BIGINT, arrayType, structType, type SqlType } from '../../schema/sql-type.js';
import { defineAggregate, type AggregateBindContext, type AggregateVariantInput, type Aggregator } from '../aggregate-function.js';
import type { BindContext } from '../function-definition.js';

interface Entry {
  SEQ: bigint;
  VAL: unknown;
}

let lastSequence = 0n;

/** The next value of the process-wide increasing sequence. */
export function nextSequence(): bigint {
  const now = BigInt(Date.now()) * 1000n;
  lastSequence = now > lastSequence ? now : lastSequence + 1n;
  return lastSequence;
}

function earliest(ignoreNulls: boolean): Aggregator<Entry | null> {
  return {
    initialize: () => null,
    add: (acc, [v]) => (acc !== null || (v === null && ignoreNulls) ? acc : { SEQ: nextSequence(), VAL: v ?? null }),
    merge: (a, b) => (a === null ? b : b === null ? a : a.SEQ <= b.SEQ ? a : b),
    result: (acc) => (acc === null ? null : acc.VAL),
  };
}

function latest(ignoreNulls: boolean): Aggregator<Entry | null> {
  return {
    initialize: () => null,
    add: (acc, [v]) => (v === null && ignoreNulls ? acc : { SEQ: nextSequence(), VAL: v ?? null }),
    merge: (a, b) => (a === null ? b : b === null ? a : a.SEQ >= b.SEQ ? a : b),
    result: (acc) => (acc === null ? null : acc.VAL),
  };
}

const bySequence = (a: Entry, b: Entry): number => (a.SEQ < b.SEQ ? -1 : a.SEQ > b.SEQ ? 1 : 0);

function earliestN(n: number, ignoreNulls: boolean): Aggregator<Entry[]> {
  return {
    initialize: () => [],
    add: (acc, [v]) => {
      if ((v !== null || !ignoreNulls) && acc.length < n) acc.push({ SEQ: nextSequence(), VAL: v ?? null });
      return acc;
    },
    merge: (a, b) => [...a, ...b].sort(bySequence).slice(0, Math.max(n, 0)),
    result: (acc) => acc.map((e) => e.VAL),
  };
}

function latestN(n: number, ignoreNulls: boolean): Aggregator<Entry[]> {
  return {
    initialize: () => [],
    add: (acc, [v]) => {
      if (v === null && ignoreNulls) return acc;
      acc.push({ SEQ: nextSequence(), VAL: v ?? null });
      while (acc.length > n) acc.shift();
      return acc;
    },
    merge: (a, b) => {
      const all = [...a, ...b].sort(bySequence);
      return all.slice(Math.max(all.length - n, 0));
    },
    result: (acc) => acc.map((e) => e.VAL),
  };
}

const entryType = (ctx: BindContext): SqlType =>
  structType([{ name: 'SEQ', type: BIGINT }, { name: 'VAL', type: ctx.paramTypes[0] as SqlType }]);

/** N must be positive: checked when the call is resolved. */
function checkCount(n: number, name: string): number {
  if (!(n >= 1)) throw new KsqlError('BAD_STATEMENT', `${name} must be 1 or greater`);
  return n;
}

type Single = (ignoreNulls: boolean) => Aggregator<Entry | null>;
type Many = (n: number, ignoreNulls: boolean) => Aggregator<Entry[]>;

function byOffsetVariants(single: Single, many: Many, countName: string): AggregateVariantInput[] {
  const flag = (ctx: AggregateBindContext, i: number): boolean => (ctx.literals[i] ?? true) !== false;
  return [
    { params: 'T col', returns: 'T', intermediate: entryType, create: () => single(true) },
    { params: 'T col, literal BOOLEAN ignoreNulls', returns: 'T', intermediate: entryType, create: (ctx) => single(flag(ctx, 0)) },
    {
      params: 'T col, literal INTEGER n',
      returns: 'ARRAY<T>',
      intermediate: (ctx) => arrayType(entryType(ctx)),
      create: (ctx) => many(checkCount(Number(ctx.literals[0]), countName), true),
    },
    {
      params: 'T col, literal INTEGER n, literal BOOLEAN ignoreNulls',
      returns: 'ARRAY<T>',
      intermediate: (ctx) => arrayType(entryType(ctx)),
      create: (ctx) => many(checkCount(Number(ctx.literals[0]), countName), flag(ctx, 1)),
    },
  ];
}

export const EARLIEST_BY_OFFSET = defineAggregate({
  name: 'EARLIEST_BY_OFFSET',
  description: 'The earliest value of a column by offset (or the earliest n, as an array); NULLs ignored unless ignoreNulls is false.',
  variants: byOffsetVariants(earliest, earliestN, 'earliestN'),
});

export const LATEST_BY_OFFSET = defineAggregate({
  name: 'LATEST_BY_OFFSET',
  description: 'The latest value of a column by offset (or the latest n, as an array); NULLs ignored unless ignoreNulls is false.',
  variants: byOffsetVariants(latest, latestN, 'latestN'),
});
