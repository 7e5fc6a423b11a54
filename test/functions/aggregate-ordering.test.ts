import test from 'ava';
import { Decimal } from '../../src/schema/decimal.js';
import { BIGINT, BOOLEAN, BYTES, DATE, DOUBLE, INTEGER, STRING, arrayType, decimalType, structType } from '../../src/schema/sql-type.js';
import { col, fold, foldMerged, lit, registry } from './aggregate-helper.js';

test('MIN and MAX ignore NULLs and keep the argument type', (t) => {
  t.deepEqual(fold('MIN', [col(INTEGER)], [[null], [5], [-3], [null], [7]]).results, [null, 5, -3, -3, -3]);
  t.deepEqual(fold('MAX', [col(STRING)], [['b'], ['a'], ['c']]).results, ['b', 'b', 'c']);
  t.deepEqual(fold('MAX', [col(DATE)], [[10], [3]]).results, [10, 10]);
  const min = fold('MIN', [col(BYTES)], [[Buffer.from('B')], [Buffer.from('A')]]);
  t.true((min.results[1] as Buffer).equals(Buffer.from('A')));
  const dec = fold('MIN', [col(decimalType(4, 2))], [[new Decimal('21.79')], [new Decimal('-1.79')]]);
  t.deepEqual(dec.call.returnType, decimalType(4, 2));
  t.is((dec.results[1] as Decimal).toFixed(2), '-1.79');
  t.false(dec.call.supportsTables);
});

test('MIN and MAX merge by comparing', (t) => {
  t.is(foldMerged('MAX', [col(BIGINT)], [[1n], [9n]], [[4n]]), 9n);
  t.is(foldMerged('MIN', [col(DOUBLE)], [], [[4.5]]), 4.5);
});

test('TOPK keeps the k largest values, ties in arrival order', (t) => {
  const f = fold('TOPK', [col(INTEGER), lit(INTEGER, 3)], [[0], [100], [null], [99], [7], [100]]);
  t.deepEqual(f.results, [[0], [100, 0], [100, 0], [100, 99, 0], [100, 99, 7], [100, 100, 99]]);
  t.deepEqual(f.call.returnType, arrayType(INTEGER));
  t.deepEqual(fold('TOPK', [col(STRING), lit(INTEGER, 2)], [['a'], ['c'], ['b']]).results.at(-1), ['c', 'b']);
});

test('TOPK with other columns returns sort_col structs ordered by the sort column only', (t) => {
  const args = [col(INTEGER), col(STRING), col(BOOLEAN), lit(INTEGER, 2)];
  const call = registry.resolveAggregate('TOPK', args);
  t.deepEqual(call.columnArgs, [0, 1, 2]);
  t.deepEqual(
    call.returnType,
    arrayType(structType([{ name: 'sort_col', type: INTEGER }, { name: 'col0', type: STRING }, { name: 'col1', type: BOOLEAN }])),
  );
  const f = fold('TOPK', args, [[1, 'a', true], [null, 'x', false], [5, null, false], [5, 'c', null]]);
  t.deepEqual(f.results.at(-1), [
    { sort_col: 5, col0: null, col1: false },
    { sort_col: 5, col0: 'c', col1: null },
  ]);
});

test('TOPK merges two sorted lists keeping k', (t) => {
  t.deepEqual(foldMerged('TOPK', [col(INTEGER), lit(INTEGER, 3)], [[5], [1]], [[4], [3]]), [5, 4, 3]);
});

test('TOPKDISTINCT keeps the k largest distinct values', (t) => {
  const f = fold('TOPKDISTINCT', [col(BIGINT), lit(INTEGER, 3)], [[0n], [100n], [99n], [100n], [7n], [null]]);
  t.deepEqual(f.results, [[0n], [100n, 0n], [100n, 99n, 0n], [100n, 99n, 0n], [100n, 99n, 7n], [100n, 99n, 7n]]);
  t.deepEqual(foldMerged('TOPKDISTINCT', [col(INTEGER), lit(INTEGER, 2)], [[5], [1]], [[5], [3]]), [5, 3]);
});
