/**
 * The built-in table functions: EXPLODE and CUBE_EXPLODE. A NULL or empty
 * input emits no rows.
 */
import type { SqlType } from '../schema/sql-type.js';
import { valueKey } from '../schema/value-compare.js';
import type { BindContext } from './function-definition.js';
import { defineTableFunction, type TableFunction } from './table-function.js';

type List = readonly unknown[] | null;

function explode(list: List): readonly unknown[] {
  return list ?? [];
}

/**
 * Every combination of keeping or nulling each element, the combinations
 * ordered as binary numbers whose most significant bit is the first element
 * (all NULLs first); combinations equal to an earlier one (because an element
 * is already NULL) are skipped.
 */
export function cubeExplode(list: List): readonly unknown[][] {
  if (list === null) return [];
  const d = list.length;
  const out: unknown[][] = [];
  const seen = new Set<string>();
  for (let mask = 0; mask < 2 ** d; mask++) {
    const combination = list.map((v, i) => ((mask >> (d - 1 - i)) & 1 ? v : null));
    const key = valueKey(combination);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(combination);
  }
  return out;
}

function elementOf(ctx: BindContext): SqlType {
  const t = ctx.paramTypes[0];
  if (t === null || t === undefined || t.kind !== 'ARRAY') throw new Error('EXPLODE needs an ARRAY argument');
  return t.element;
}

export const TABLE_FUNCTIONS: readonly TableFunction[] = [
  defineTableFunction({
    name: 'EXPLODE',
    displayName: 'explode',
    description: 'Explodes an array: one row per element, in order.',
    variants: [
      { params: 'ARRAY<DECIMAL> input', returns: elementOf, impl: explode },
      { params: 'ARRAY<T> list', returns: 'T', impl: explode },
    ],
  }),
  defineTableFunction({
    name: 'CUBE_EXPLODE',
    displayName: 'cube_explode',
    description: 'Takes an array of columns and outputs all their combinations, each column kept or NULL.',
    variants: [{ params: 'ARRAY<T> cols', returns: 'ARRAY<T>', impl: cubeExplode }],
  }),
];
