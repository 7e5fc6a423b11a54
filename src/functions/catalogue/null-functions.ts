/** COALESCE, IFNULL and NULLIF: the functions that exist to handle NULL. */
import { defineScalar, type ScalarFunction } from '../function-definition.js';
import { valuesEqual } from '../../schema/value-compare.js';

export const NULL_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'COALESCE',
    displayName: 'COALESCE',
    category: 'CONDITIONAL',
    description: 'The first argument that is not NULL.',
    variants: [
      {
        params: 'T first, T... others',
        returns: 'T',
        impl: (...args: unknown[]) => {
          for (const a of args) if (a !== null) return a;
          return null;
        },
      },
    ],
  }),
  defineScalar({
    name: 'IFNULL',
    category: 'CONDITIONAL',
    description: 'The expression, or the alternative when the expression is NULL.',
    variants: [{ params: 'T expression, T altValue', returns: 'T', impl: (a: unknown, b: unknown) => (a === null ? b : a) }],
  }),
  defineScalar({
    name: 'NULLIF',
    category: 'CONDITIONAL',
    description: 'NULL when both arguments are equal, otherwise the first.',
    variants: [
      {
        params: 'T expression1, T expression2',
        returns: 'T',
        impl: (a: unknown, b: unknown) => (a !== null && b !== null && valuesEqual(a, b) ? null : a),
      },
    ],
  }),
  defineScalar({
    name: 'AS_VALUE',
    category: 'OTHER',
    description: "Copies a row's key column into the row's value.",
    variants: [{ params: 'T keyColumn', returns: 'T', impl: (v: unknown) => v }],
  }),
];
