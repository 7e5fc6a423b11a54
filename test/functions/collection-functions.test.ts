import test from 'ava';
import { Decimal } from '../../src/schema/decimal.js';
import {
  BIGINT, BOOLEAN, DOUBLE, INTEGER, STRING, arrayType, decimalType, mapType, structType,
} from '../../src/schema/sql-type.js';
import { call, registry } from './call-helper.js';

const AI = arrayType(INTEGER);
const AS = arrayType(STRING);
const MSI = mapType(STRING, INTEGER);

test('ARRAY_CONTAINS compares deeply and is false for a NULL array', (t) => {
  t.true(call('ARRAY_CONTAINS', [AS, STRING], ['Red', 'Pink'], 'Pink') as boolean);
  t.false(call('ARRAY_CONTAINS', [AS, STRING], null, 'Pink') as boolean);
  t.true(call('ARRAY_CONTAINS', [arrayType(AI), AI], [[1, 2], [3]], [3]) as boolean);
  t.true(call('ARRAY_CONTAINS', [AS, STRING], ['a', null], null) as boolean);
});

test('set functions keep first-occurrence order and include NULL', (t) => {
  t.deepEqual(call('ARRAY_DISTINCT', [AS], ['apple', 'apple', null, 'cherry', null]), ['apple', null, 'cherry']);
  t.deepEqual(call('ARRAY_DISTINCT', [arrayType(MSI)], [new Map([['a', 1]]), new Map([['a', 1]])]), [new Map([['a', 1]])]);
  t.deepEqual(call('ARRAY_EXCEPT', [AI, AI], [1, 2, 3, 1, 2], [2, 3]), [1]);
  t.deepEqual(call('ARRAY_EXCEPT', [AS, AS], ['apple', 'apple', null, 'cherry'], ['cherry']), ['apple', null]);
  t.deepEqual(call('ARRAY_INTERSECT', [AI, AI], [1, 2, 3, 1, 2], [2, 1]), [1, 2]);
  t.deepEqual(call('ARRAY_UNION', [AI, AI], [1, 2, 3, 1, 2], [4, 1]), [1, 2, 3, 4]);
  t.is(call('ARRAY_UNION', [AI, AI], null, [1]), null);
  t.deepEqual(call('ARRAY_CONCAT', [AI, AI], null, [4, 1]), [4, 1]);
  t.is(call('ARRAY_CONCAT', [AI, AI], null, null), null);
});

test('ARRAY_MAX, ARRAY_MIN and ARRAY_SORT order naturally with NULLs ignored or last', (t) => {
  t.is(call('ARRAY_MAX', [AS], ['foo', 'fo', 'Food', null, 'F', 'food']), 'food');
  t.is(call('ARRAY_MIN', [AS], ['foo', 'fo', 'Food', null, 'F', 'food']), 'F');
  t.is(call('ARRAY_MAX', [arrayType(BOOLEAN)], [null, false, true]), true);
  t.is(call('ARRAY_MIN', [AI], []), null);
  t.true((call('ARRAY_MAX', [arrayType(decimalType(2, 1))], [new Decimal('1.0'), new Decimal('9.0'), new Decimal('-9.9')]) as Decimal).equals(9));
  t.deepEqual(call('ARRAY_SORT', [AI], [0, null, 1, 0, -1]), [-1, 0, 0, 1, null]);
  t.deepEqual(call('ARRAY_SORT', [AI, STRING], [0, null, 1, 0, -1], 'desc'), [1, 0, 0, -1, null]);
  t.deepEqual(call('ARRAY_SORT', [arrayType(BIGINT)], [3n, -1n]), [-1n, 3n]);
  t.is(call('ARRAY_SORT', [AI], null), null);
  t.deepEqual(call('ARRAY_SORT', [AI, STRING], [2, null, 1], 'Descending'), [2, 1, null]);
  t.deepEqual(call('ARRAY_SORT', [AI, STRING], [2, null, 1], 'ascending'), [1, 2, null]);
  t.is(call('ARRAY_SORT', [AI, STRING], [2, 1], 'up'), null);
  t.deepEqual(registry.resolve('ARRAY_MAX', [arrayType(DOUBLE)]).returnType, DOUBLE);
});

test('ARRAY_REMOVE, ARRAY_LENGTH, ARRAY_JOIN and SLICE', (t) => {
  t.deepEqual(call('ARRAY_REMOVE', [AI, INTEGER], [1, 2, 3, 2, 1], 2), [1, 3, 1]);
  t.deepEqual(call('ARRAY_REMOVE', [AS, null], ['Foo', null, 'baz'], null), ['Foo', 'baz']);
  t.deepEqual(call('ARRAY_REMOVE', [arrayType(AS), AS], [['foo'], ['foo', 'bar'], null], ['foo']), [['foo', 'bar'], null]);
  t.is(call('ARRAY_LENGTH', [AI], [1, 2, 3]), 3);
  t.is(call('ARRAY_LENGTH', [AI], null), null);
  t.is(call('ARRAY_JOIN', [AI], [1, 2, 3]), '1,2,3');
  t.is(call('ARRAY_JOIN', [arrayType(DOUBLE), STRING], [1, 2.5], '|'), '1.0|2.5');
  t.deepEqual(call('SLICE', [AI, INTEGER, INTEGER], [1, 2, 3, 4], 2, 3), [2, 3]);
  t.is(call('SLICE', [AI, INTEGER, INTEGER], [1, 2, 3, 4], 3, 10), null);
  t.deepEqual(call('SLICE', [AI, null, INTEGER], [1, 2, 3, 4], null, 2), [1, 2]);
  t.is(call('ARRAY_JOIN', [AS], ['a', null]), 'a,null');
  t.throws(() => call('ARRAY_JOIN', [arrayType(AI)], [[1]]));
});

test('GENERATE_SERIES counts up or down by a step', (t) => {
  t.deepEqual(call('GENERATE_SERIES', [INTEGER, INTEGER], 1, 4), [1, 2, 3, 4]);
  t.deepEqual(call('GENERATE_SERIES', [INTEGER, INTEGER], 3, 1), [3, 2, 1]);
  t.deepEqual(call('GENERATE_SERIES', [INTEGER, INTEGER, INTEGER], 0, 9, 4), [0, 4, 8]);
  t.deepEqual(call('GENERATE_SERIES', [BIGINT, BIGINT], 1n, 2n), [1n, 2n]);
  t.throws(() => call('GENERATE_SERIES', [INTEGER, INTEGER, INTEGER], 0, 9, 0));
  t.throws(() => call('GENERATE_SERIES', [INTEGER, INTEGER, INTEGER], 0, 9, -1));
});

test('map functions build, read and merge maps', (t) => {
  const m = new Map([['foo', 10], ['bar', null]]);
  t.deepEqual(call('MAP_KEYS', [MSI], m), ['foo', 'bar']);
  t.deepEqual(call('MAP_VALUES', [MSI], m), [10, null]);
  t.is(call('MAP_KEYS', [MSI], null), null);
  t.deepEqual(call('MAP_UNION', [MSI, MSI], new Map([['foo', 10], ['bar', 20]]), new Map([['foo', 99]])), new Map([['foo', 99], ['bar', 20]]));
  t.deepEqual(call('MAP_UNION', [MSI, MSI], null, new Map([['foo', null]])), new Map([['foo', null]]));
  t.deepEqual(call('AS_MAP', [AS, AI], ['a', 'b'], [1]), new Map([['a', 1], ['b', null]]));
  const entries = registry.resolve('ENTRIES', [MSI, BOOLEAN]);
  t.deepEqual(entries.returnType, arrayType(structType([{ name: 'K', type: STRING }, { name: 'V', type: INTEGER }])));
  t.deepEqual(entries.implementation(new Map([['b', 2], ['a', 1]]), true), [{ K: 'a', V: 1 }, { K: 'b', V: 2 }]);
  // ksqlDB declares these over MAP<STRING, T>: other key types do not resolve.
  const intKeys = mapType(INTEGER, INTEGER);
  for (const [name, args] of [['MAP_KEYS', [intKeys]], ['MAP_VALUES', [intKeys]], ['MAP_UNION', [intKeys, intKeys]], ['ENTRIES', [intKeys, BOOLEAN]]] as const) {
    t.throws(() => registry.resolve(name, args), { message: /does not accept parameters/ }, name);
  }
});

test('lambda arguments bind their parameter types from the collection', (t) => {
  const first = registry.resolve('TRANSFORM', [AI, { kind: 'LAMBDA', arity: 1 }]);
  t.deepEqual(first.lambdaParamTypes, [null, [INTEGER]]);
  t.is(first.returnType, undefined);
  const typed = registry.resolve('TRANSFORM', [AI, { kind: 'LAMBDA', arity: 1, returnType: STRING }]);
  t.deepEqual(typed.returnType, AS);
  const map = registry.resolve('TRANSFORM', [MSI, { kind: 'LAMBDA', arity: 2, returnType: STRING }, { kind: 'LAMBDA', arity: 2, returnType: BIGINT }]);
  t.deepEqual(map.lambdaParamTypes[1], [STRING, INTEGER]);
  t.deepEqual(map.returnType, mapType(STRING, BIGINT));
  const reduce = registry.resolve('REDUCE', [MSI, BIGINT, { kind: 'LAMBDA', arity: 3 }]);
  t.deepEqual(reduce.lambdaParamTypes[2], [BIGINT, STRING, INTEGER]);
  t.throws(() => registry.resolve('FILTER', [AI, { kind: 'LAMBDA', arity: 2 }]), { message: /does not accept parameters \(ARRAY<INTEGER>, LAMBDA\/2\)/ });
  t.throws(() => registry.resolve('FILTER', [AI, { kind: 'LAMBDA', arity: 1, returnType: INTEGER }]));
});

test('TRANSFORM, FILTER and REDUCE call their lambdas per element', (t) => {
  t.deepEqual(call('TRANSFORM', [AI, { kind: 'LAMBDA', arity: 1, returnType: INTEGER }], [1, 2], (x: number) => x + 5), [6, 7]);
  t.is(call('TRANSFORM', [AI, { kind: 'LAMBDA', arity: 1, returnType: INTEGER }], null, (x: number) => x), null);
  t.deepEqual(
    call('TRANSFORM', [MSI, { kind: 'LAMBDA', arity: 2, returnType: STRING }, { kind: 'LAMBDA', arity: 2, returnType: INTEGER }], new Map([['a', 1]]),
      (k: string) => k.toUpperCase(), (_k: string, v: number) => v * 2),
    new Map([['A', 2]]),
  );
  t.deepEqual(call('FILTER', [AI, { kind: 'LAMBDA', arity: 1, returnType: BOOLEAN }], [3, 6, null, 9], (x: number | null) => (x === null ? null : x > 5)), [6, 9]);
  t.deepEqual(call('FILTER', [MSI, { kind: 'LAMBDA', arity: 2, returnType: BOOLEAN }], new Map([['ab', 5], ['abcd', 10]]), (k: string) => k.length > 3), new Map([['abcd', 10]]));
  const add = (s: number | null, x: number | null) => (s === null || x === null ? null : s + x);
  t.is(call('REDUCE', [AI, INTEGER, { kind: 'LAMBDA', arity: 2, returnType: INTEGER }], [3, 6], 2, add), 11);
  t.is(call('REDUCE', [AI, INTEGER, { kind: 'LAMBDA', arity: 2, returnType: INTEGER }], [5, null], 2, add), null);
  t.is(call('REDUCE', [AI, INTEGER, { kind: 'LAMBDA', arity: 2, returnType: INTEGER }], null, 2, add), 2);
  t.is(call('REDUCE', [AI, INTEGER, { kind: 'LAMBDA', arity: 2, returnType: INTEGER }], [1], null, add), null);
  t.is(call('REDUCE', [MSI, INTEGER, { kind: 'LAMBDA', arity: 3, returnType: INTEGER }], new Map([['123', 3], ['12', 7], ['1234', 2]]), 0,
    (s: number, k: string, v: number) => (k.length > 3 ? s + v : s - v)), -8);
});

test('TRANSFORM on a map fails on a NULL value or a repeated key, as ksqlDB does', (t) => {
  const types = [MSI, { kind: 'LAMBDA', arity: 2, returnType: STRING }, { kind: 'LAMBDA', arity: 2, returnType: INTEGER }] as const;
  t.throws(() => call('TRANSFORM', [...types], new Map([['q', 1]]), (k: string) => k, () => null));
  t.throws(() => call('TRANSFORM', [...types], new Map([['a', 1], ['b', 2]]), () => 'same', (_k: string, v: number) => v));
});

test('AS_VALUE passes its argument through with its type', (t) => {
  t.deepEqual(registry.resolve('AS_VALUE', [BIGINT]).returnType, BIGINT);
  t.is(call('AS_VALUE', [BIGINT], 5n), 5n);
});
