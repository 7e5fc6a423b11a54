import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { Decimal } from '../../src/schema/decimal.js';
import { BIGINT, DOUBLE, INTEGER, STRING, arrayType, decimalType } from '../../src/schema/sql-type.js';
import { col, fold, foldMerged, foldUndo, lit, registry } from './aggregate-helper.js';

test('COUNT() counts rows and COUNT(col) counts non-NULL values', (t) => {
  t.deepEqual(fold('COUNT', [], [[], [], []]).results, [1n, 2n, 3n]);
  t.deepEqual(fold('COUNT', [col(STRING)], [['a'], [null], ['b']]).results, [1n, 1n, 2n]);
  t.deepEqual(fold('COUNT', [lit(INTEGER, 1)], [[1], [1]]).results, [1n, 2n]);
  t.deepEqual(registry.resolveAggregate('COUNT', []).returnType, BIGINT);
});

test('COUNT undoes back to zero and merges by adding', (t) => {
  t.is(foldUndo('COUNT', [col(BIGINT)], [[3n], [3n]], [[3n], [3n]]), 0n);
  t.is(foldUndo('COUNT', [col(BIGINT)], [[3n]], [[null]]), 1n);
  t.is(foldMerged('COUNT', [], [[], []], [[]]), 3n);
});

test('COUNT_DISTINCT counts distinct non-NULL values and merges sketches', (t) => {
  const f = fold('COUNT_DISTINCT', [col(STRING)], [['one'], ['two'], ['one'], [null], ['three']]);
  t.deepEqual(f.results, [1n, 2n, 2n, 2n, 3n]);
  t.deepEqual(f.call.intermediateType, arrayType(INTEGER));
  t.false(f.call.supportsTables);
  t.is(foldMerged('COUNT_DISTINCT', [col(BIGINT)], [[1n], [2n]], [[2n], [3n]]), 3n);
  const many = Array.from({ length: 5000 }, (_, i) => [i]);
  const estimate = Number(fold('COUNT_DISTINCT', [col(INTEGER)], many).results.at(-1));
  t.true(Math.abs(estimate - 5000) < 100, String(estimate));
});

test('SUM keeps the integer type and wraps around as Java does', (t) => {
  const ints = fold('SUM', [col(INTEGER)], [[2147483647], [1], [null]]);
  t.deepEqual(ints.call.returnType, INTEGER);
  t.deepEqual(ints.results, [2147483647, -2147483648, -2147483648]);
  const longs = fold('SUM', [col(BIGINT)], [[9223372036854775807n], [1n]]);
  t.deepEqual(longs.call.returnType, BIGINT);
  t.deepEqual(longs.results, [9223372036854775807n, -9223372036854775808n]);
  t.deepEqual(fold('SUM', [col(DOUBLE)], [[1.5], [2.25]]).results, [1.5, 3.75]);
});

test('SUM of a DECIMAL keeps its type and fails on overflow', (t) => {
  const type = decimalType(4, 1);
  const f = fold('SUM', [col(type)], [[new Decimal('12.3')], [new Decimal('100.1')]]);
  t.deepEqual(f.call.returnType, type);
  t.deepEqual((f.results as Decimal[]).map((d) => d.toFixed(1)), ['12.3', '112.4']);
  const e = t.throws(() => fold('SUM', [col(type)], [[new Decimal('999.9')], [new Decimal('0.1')]]));
  t.true(e instanceof KsqlError);
  t.true(e!.message.startsWith('Numeric field overflow'));
});

test('SUM undoes and merges', (t) => {
  t.is(foldUndo('SUM', [col(INTEGER)], [[5], [7]], [[5], [null]]), 7);
  t.is(foldMerged('SUM', [col(BIGINT)], [[5n]], [[7n]]), 12n);
});

test('an INTEGER argument to SUM is not widened when an exact variant exists, a literal is summed per row', (t) => {
  t.deepEqual(registry.resolveAggregate('SUM', [lit(INTEGER, 2)]).columnArgs, [0]);
  t.deepEqual(fold('SUM', [lit(INTEGER, 2)], [[2], [2]]).results, [2, 4]);
});

test('SUM_LIST sums the non-NULL elements of each list', (t) => {
  const f = fold('SUM_LIST', [col(arrayType(INTEGER))], [[[1, 1]], [[2, null]], [null]]);
  t.deepEqual(f.call.returnType, INTEGER);
  t.deepEqual(f.results, [2, 4, 4]);
  t.deepEqual(fold('SUM_LIST', [col(arrayType(BIGINT))], [[[1n, 2n]]]).results, [3n]);
  t.is(foldUndo('SUM_LIST', [col(arrayType(DOUBLE))], [[[1.5, 1]], [[2]]], [[[1.5, 1]]]), 2);
});

test('AVG returns a DOUBLE, 0 with no values, and ignores NULLs', (t) => {
  const f = fold('AVG', [col(INTEGER)], [[null], [1], [2], [null]]);
  t.deepEqual(f.call.returnType, DOUBLE);
  t.is(f.call.intermediateType.kind, 'STRUCT');
  t.deepEqual(f.results, [0, 1, 1.5, 1.5]);
  t.deepEqual(fold('AVG', [col(BIGINT)], [[-1n], [9223372036854775807n]]).results, [-1, 4611686018427387904]);
  t.is(foldUndo('AVG', [col(DOUBLE)], [[1], [2], [4]], [[1]]), 3);
  t.is(foldMerged('AVG', [col(INTEGER)], [[1], [2]], [[6]]), 3);
});

test('AVG of a DECIMAL is computed as a DOUBLE', (t) => {
  const call = registry.resolveAggregate('AVG', [col(decimalType(5, 2))]);
  t.deepEqual(call.paramTypes, [DOUBLE]);
  t.deepEqual(call.returnType, DOUBLE);
});
