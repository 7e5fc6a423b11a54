/**
 * ARGMAX and ARGMIN (beyond ksqlDB, which has neither nor MAX_BY/MIN_BY):
 * `ARGMAX(col, by)` is `col` of the row whose `by` is the largest. Rows with
 * a NULL `by` are ignored; a NULL `col` on the winning row is the result. On
 * equal `by` values the row seen first is kept, so the result does not move
 * on ties. The accumulator is `{BY, VAL}` of the winning row.
 */
import { structType, type SqlType } from '../../schema/sql-type.js';
import { compareValues } from '../../schema/value-compare.js';
import { defineAggregate, type AggregateVariantInput, type Aggregator } from '../aggregate-function.js';
import type { BindContext } from '../function-definition.js';
import { ORDERED_TYPES } from './ordering.js';

interface Winner {
  BY: unknown;
  VAL: unknown;
}

function argExtreme(sign: 1 | -1): Aggregator<Winner | null> {
  const better = (a: Winner | null, b: Winner | null): Winner | null =>
    a === null ? b : b === null ? a : sign * compareValues(b.BY, a.BY) > 0 ? b : a;
  return {
    initialize: () => null,
    add: (acc, [v, by]) => (by === null || by === undefined ? acc : better(acc, { BY: by, VAL: v ?? null })),
    merge: better,
    result: (acc) => (acc === null ? null : acc.VAL),
  };
}

const valueType = (ctx: BindContext): SqlType => ctx.paramTypes[0] as SqlType;
const winnerType = (ctx: BindContext): SqlType =>
  structType([{ name: 'BY', type: ctx.paramTypes[1] as SqlType }, { name: 'VAL', type: ctx.paramTypes[0] as SqlType }]);

function variants(sign: 1 | -1): AggregateVariantInput[] {
  return ORDERED_TYPES.map((t) => ({ params: `T col, ${t} by`, returns: valueType, intermediate: winnerType, create: () => argExtreme(sign) }));
}

export const ARGMAX = defineAggregate({
  name: 'ARGMAX',
  description: 'The value of col on the row whose by is the largest (the first such row on ties); rows with a NULL by are ignored.',
  variants: variants(1),
});

export const ARGMIN = defineAggregate({
  name: 'ARGMIN',
  description: 'The value of col on the row whose by is the smallest (the first such row on ties); rows with a NULL by are ignored.',
  variants: variants(-1),
});
