import test from 'ava';
import { Decimal } from '../../src/schema/decimal.js';
import { BIGINT, DOUBLE, INTEGER, STRING, TIMESTAMP, decimalType, structType } from '../../src/schema/sql-type.js';
import { col, fold, foldMerged, registry } from './aggregate-helper.js';

test('ARGMAX and ARGMIN give the value on the row with the largest or smallest by', (t) => {
  const rows = [['a', 3], ['b', 9], ['c', 1], ['d', 9]];
  t.deepEqual(fold('ARGMAX', [col(STRING), col(INTEGER)], rows).results, ['a', 'b', 'b', 'b']);
  t.deepEqual(fold('ARGMIN', [col(STRING), col(INTEGER)], rows).results, ['a', 'a', 'c', 'c']);
});

test('ARGMAX ignores rows with a NULL by and keeps a NULL value of the winning row', (t) => {
  t.deepEqual(fold('ARGMAX', [col(BIGINT), col(DOUBLE)], [[1n, null], [null, 2.5], [3n, 1.0], [4n, null]]).results, [null, null, null, null]);
  t.deepEqual(fold('ARGMIN', [col(BIGINT), col(DOUBLE)], [[1n, null], [null, 2.5], [3n, 1.0]]).results, [null, null, 3n]);
});

test('ARGMAX orders by strings, timestamps and decimals, and keeps the value type', (t) => {
  const call = registry.resolveAggregate('ARGMAX', [col(decimalType(4, 2)), col(STRING)]);
  t.deepEqual(call.returnType, decimalType(4, 2));
  t.false(call.supportsTables);
  t.deepEqual(fold('ARGMAX', [col(STRING), col(STRING)], [['x', 'b'], ['y', 'ab'], ['z', 'c']]).results.at(-1), 'z');
  t.deepEqual(fold('ARGMIN', [col(INTEGER), col(TIMESTAMP)], [[1, 5000], [2, 10], [3, 70]]).results.at(-1), 2);
  t.deepEqual(fold('ARGMAX', [col(structType([{ name: 'A', type: INTEGER }])), col(decimalType(3, 1))], [[{ A: 1 }, new Decimal('9.5')], [{ A: 2 }, new Decimal('10.1')]]).results.at(-1), { A: 2 });
});

test('ARGMAX merges session accumulators by comparing, the first one on ties', (t) => {
  t.is(foldMerged('ARGMAX', [col(STRING), col(INTEGER)], [['a', 5]], [['b', 7], ['c', 2]]), 'b');
  t.is(foldMerged('ARGMIN', [col(STRING), col(INTEGER)], [['a', 2]], [['b', 2]]), 'a');
});
