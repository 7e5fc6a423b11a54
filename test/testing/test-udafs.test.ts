import test from 'ava';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import type { AggregateArgument } from '../../src/functions/resolve-aggregate.js';
import { BIGINT, DOUBLE, INTEGER, STRING, arrayType, decimalType, mapType, structType } from '../../src/schema/sql-type.js';
import { registerTestUdafs } from '../../src/testing/test-udafs.js';

const registry = registerTestUdafs(createFunctionRegistry());
const col = (type: AggregateArgument['type']): AggregateArgument => ({ type });
const lit = (type: AggregateArgument['type'], constant: unknown): AggregateArgument => ({ type, constant });

function run(name: string, args: AggregateArgument[], rows: unknown[][]): unknown[] {
  const call = registry.resolveAggregate(name, args);
  const agg = call.createAggregator();
  let acc = agg.initialize();
  return rows.map((row) => agg.result((acc = agg.add(acc, row))));
}

test('MULTI_ARG sums a long, a string length and its literal arguments', (t) => {
  const args = [col(BIGINT), col(STRING), lit(INTEGER, 1), lit(STRING, 'ab'), lit(STRING, 'c')];
  t.deepEqual(run('MULTI_ARG', args, [[2n, 'xyz'], [null, null]]), [9n, 9n]);
  t.deepEqual(registry.resolveAggregate('MULTI_ARG', args).columnArgs, [0, 1]);
  t.throws(() => registry.resolveAggregate('MULTI_ARG', [col(BIGINT), col(STRING)]), {
    message: /^Function 'MULTI_ARG' does not accept parameters \(BIGINT, STRING\)\./,
  });
});

test('MID_VAR_ARG takes variadic columns before its literals and adds them at the end', (t) => {
  const args = [col(BIGINT), col(STRING), col(STRING), lit(INTEGER, 7), lit(INTEGER, 3)];
  t.deepEqual(run('MID_VAR_ARG', args, [[1n, 'ab', null]]), [13n]);
  t.throws(() => registry.resolveAggregate('MID_VAR_ARG', [col(BIGINT), col(INTEGER), lit(INTEGER, 3), lit(INTEGER, 2)]));
});

test('GENERIC_VAR_ARG and OBJ_COL_ARG collect the first column of complete rows', (t) => {
  const g = registry.resolveAggregate('GENERIC_VAR_ARG', [col(decimalType(5, 1)), col(INTEGER), col(DOUBLE), col(DOUBLE)]);
  t.deepEqual(g.returnType, arrayType(decimalType(5, 1)));
  t.throws(() => registry.resolveAggregate('GENERIC_VAR_ARG', [col(DOUBLE), col(INTEGER), col(DOUBLE), col(STRING)]), {
    message: /^Function 'GENERIC_VAR_ARG' does not accept parameters \(DOUBLE, INTEGER, DOUBLE, STRING\)\./,
  });
  const mixed = [col(INTEGER), col(BIGINT), col(mapType(STRING, INTEGER)), col(structType([{ name: 'A', type: INTEGER }]))];
  t.deepEqual(run('OBJ_COL_ARG', mixed, [[1, 2n, new Map(), { A: 1 }], [2, null, new Map(), { A: 1 }], [3, 1n, new Map(), { A: 2 }]]), [[1], [1], [1, 3]]);
});

test('TEST_UDAF sums by type, with undo for longs and ints, and sums struct fields', (t) => {
  const longs = registry.resolveAggregate('test_udaf', [col(BIGINT)]);
  t.true(longs.supportsTables);
  t.deepEqual(run('TEST_UDAF', [col(INTEGER)], [[5], [6]]), [5n, 11n]);
  t.false(registry.resolveAggregate('TEST_UDAF', [col(DOUBLE)]).supportsTables);
  const ab = structType([{ name: 'A', type: INTEGER }, { name: 'B', type: INTEGER }]);
  t.deepEqual(run('TEST_UDAF', [col(ab)], [[{ A: 1, B: 2 }], [{ A: 2, B: 3 }]]), [{ A: 1, B: 2 }, { A: 3, B: 5 }]);
  t.deepEqual(run('TEST_UDAF', [col(STRING), lit(STRING, 'abc')], [['de']]), [5n]);
});

test('VAR_ARG adds a long and the lengths of any number of strings, as a DOUBLE', (t) => {
  const call = registry.resolveAggregate('VAR_ARG', [col(BIGINT), col(STRING), col(STRING)]);
  t.is(call.returnType.kind, 'DOUBLE');
  t.deepEqual(run('VAR_ARG', [col(BIGINT), col(STRING), col(STRING)], [[2n, 'ab', 'c'], [1n, '', null]]), [5, 6]);
});
