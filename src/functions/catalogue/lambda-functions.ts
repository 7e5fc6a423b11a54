/**
 * TRANSFORM, FILTER and REDUCE: invocation functions whose lambda arguments
 * arrive as plain JS functions. The lambdas' parameter types come from the
 * collection argument (see resolve-variant.ts).
 */
import { defineScalar, type ScalarFunction } from '../function-definition.js';
import { valueError } from './value-support.js';

type List = readonly unknown[];
type AnyMap = ReadonlyMap<unknown, unknown>;

export const LAMBDA_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'TRANSFORM',
    category: 'LAMBDA',
    description: 'Applies a lambda to each array element, or two lambdas to each map key and value.',
    variants: [
      {
        params: 'ARRAY<T> array, LAMBDA(T) -> U fn',
        returns: 'ARRAY<U>',
        impl: (a: List | null, fn: (x: unknown) => unknown) => (a === null ? null : a.map((x) => fn(x))),
      },
      {
        params: 'MAP<K, V> map, LAMBDA(K, V) -> K2 keyFn, LAMBDA(K, V) -> V2 valueFn',
        returns: 'MAP<K2, V2>',
        impl: (m: AnyMap | null, keyFn: (k: unknown, v: unknown) => unknown, valueFn: (k: unknown, v: unknown) => unknown) => {
          if (m === null) return null;
          const out = new Map<unknown, unknown>();
          for (const [k, v] of m) {
            const key = keyFn(k, v);
            const value = valueFn(k, v);
            // As ksqlDB (Java's Collectors.toMap): a NULL value or a repeated key fails the call.
            if (value === null) throw valueError('TRANSFORM', `the value lambda returned NULL for key ${String(k)}`);
            if (out.has(key)) throw valueError('TRANSFORM', `duplicate key ${String(key)} from the key lambda`);
            out.set(key, value);
          }
          return out;
        },
      },
    ],
  }),
  defineScalar({
    name: 'FILTER',
    category: 'LAMBDA',
    description: 'Keeps the array elements, or map entries, for which the lambda is true.',
    variants: [
      {
        params: 'ARRAY<T> array, LAMBDA(T) -> BOOLEAN fn',
        returns: 'ARRAY<T>',
        impl: (a: List | null, fn: (x: unknown) => unknown) => (a === null ? null : a.filter((x) => fn(x) === true)),
      },
      {
        params: 'MAP<K, V> map, LAMBDA(K, V) -> BOOLEAN fn',
        returns: 'MAP<K, V>',
        impl: (m: AnyMap | null, fn: (k: unknown, v: unknown) => unknown) => {
          if (m === null) return null;
          const out = new Map<unknown, unknown>();
          for (const [k, v] of m) if (fn(k, v) === true) out.set(k, v);
          return out;
        },
      },
    ],
  }),
  defineScalar({
    name: 'REDUCE',
    category: 'LAMBDA',
    description: 'Folds an array or map into a state with a lambda; NULL if the initial state is NULL.',
    variants: [
      {
        params: 'ARRAY<T> array, S initialState, LAMBDA(S, T) -> S fn',
        returns: 'S',
        impl: (a: List | null, state: unknown, fn: (s: unknown, x: unknown) => unknown) => {
          if (state === null) return null;
          if (a === null) return state;
          let s: unknown = state;
          for (const x of a) s = fn(s, x);
          return s;
        },
      },
      {
        params: 'MAP<K, V> map, S initialState, LAMBDA(S, K, V) -> S fn',
        returns: 'S',
        impl: (m: AnyMap | null, state: unknown, fn: (s: unknown, k: unknown, v: unknown) => unknown) => {
          if (state === null) return null;
          if (m === null) return state;
          let s: unknown = state;
          for (const [k, v] of m) s = fn(s, k, v);
          return s;
        },
      },
    ],
  }),
];
