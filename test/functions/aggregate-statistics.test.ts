import test from 'ava';
import { BIGINT, DOUBLE, INTEGER } from '../../src/schema/sql-type.js';
import { col, fold, foldMerged, foldUndo } from './aggregate-helper.js';

const close = (a: unknown, b: number) => Math.abs((a as number) - b) < 1e-9;

test('STDDEV_SAMP returns the sample variance, 0 below two values', (t) => {
  const f = fold('STDDEV_SAMP', [col(INTEGER)], [[2], [null], [4], [4], [4], [5], [5], [7], [9]]);
  t.deepEqual(f.call.returnType, DOUBLE);
  t.is(f.results[0], 0);
  t.is(f.results[1], 0);
  t.is(f.results[2], 2);
  t.true(close(f.results.at(-1), 32 / 7));
});

test('STDDEV_SAMPLE returns the sample standard deviation for every numeric type', (t) => {
  t.true(close(fold('STDDEV_SAMPLE', [col(DOUBLE)], [[2], [4], [4], [4], [5], [5], [7], [9]]).results.at(-1), Math.sqrt(32 / 7)));
  t.true(close(fold('STDDEV_SAMPLE', [col(BIGINT)], [[2n], [4n], [4n], [4n], [5n], [5n], [7n], [9n]]).results.at(-1), Math.sqrt(32 / 7)));
});

test('the deviations undo a value and merge two groups', (t) => {
  t.true(close(foldUndo('STDDEV_SAMP', [col(DOUBLE)], [[1], [2], [10]], [[10]]), 0.5));
  t.true(close(foldMerged('STDDEV_SAMP', [col(DOUBLE)], [[1], [2]], [[3], [4]]), 5 / 3));
  t.true(close(foldMerged('STDDEV_SAMP', [col(INTEGER)], [], [[3], [5]]), 2));
});

test('CORRELATION ignores rows with a NULL and is NaN with fewer than two points', (t) => {
  const f = fold('CORRELATION', [col(DOUBLE), col(DOUBLE)], [[1, 2], [null, 5], [2, 4], [3, 5]]);
  t.true(Number.isNaN(f.results[0] as number));
  t.true(Number.isNaN(f.results[1] as number));
  t.true(close(f.results[2], 1));
  t.true(close(f.results[3], 0.9819805060619657));
  t.true(Number.isNaN(fold('CORRELATION', [col(DOUBLE), col(DOUBLE)], [[1, 2], [2, 2]]).results[1] as number));
});

test('CORRELATION undoes and merges', (t) => {
  t.true(close(foldUndo('CORRELATION', [col(DOUBLE), col(DOUBLE)], [[1, 1], [2, 2], [3, 1]], [[3, 1]]), 1));
  t.true(close(foldMerged('CORRELATION', [col(DOUBLE), col(DOUBLE)], [[1, 2]], [[2, 4], [3, 5]]), 0.9819805060619657));
});
