import test from 'ava';
import { BIGINT, INTEGER, STRING, arrayType, mapType, structType } from '../../src/schema/sql-type.js';
import { col, fold, foldMerged, foldUndo } from './aggregate-helper.js';

test('COLLECT_LIST keeps every value in order, NULLs included', (t) => {
  const f = fold('COLLECT_LIST', [col(STRING)], [['foo'], [null], ['foo']]);
  t.deepEqual(f.results, [['foo'], ['foo', null], ['foo', null, 'foo']]);
  t.true(f.call.supportsTables);
});

test('COLLECT_LIST results are snapshots, not the accumulator itself', (t) => {
  const f = fold('COLLECT_LIST', [col(INTEGER)], [[1], [2]]);
  t.deepEqual(f.results[0], [1]);
});

test('COLLECT_LIST undoes the last equal value and merges in order', (t) => {
  t.deepEqual(foldUndo('COLLECT_LIST', [col(INTEGER)], [[1], [2], [1], [3]], [[1]]), [1, 2, 3]);
  t.deepEqual(foldMerged('COLLECT_LIST', [col(INTEGER)], [[1], [2]], [[3]]), [1, 2, 3]);
});

test('COLLECT_SET keeps distinct values, structs and maps compared by value', (t) => {
  const s = structType([{ name: 'A', type: STRING }, { name: 'B', type: BIGINT }]);
  const f = fold('COLLECT_SET', [col(s)], [[{ A: 'x', B: 1n }], [{ B: 1n, A: 'x' }], [{ A: 'y', B: 1n }]]);
  t.deepEqual(f.results.at(-1), [{ A: 'x', B: 1n }, { A: 'y', B: 1n }]);
  t.deepEqual(f.call.returnType, arrayType(s));
  const m = fold('COLLECT_SET', [col(mapType(STRING, INTEGER))], [[new Map([['a', 1], ['b', 2]])], [new Map([['b', 2], ['a', 1]])]]);
  t.is((m.results.at(-1) as unknown[]).length, 1);
  t.deepEqual(fold('COLLECT_SET', [col(INTEGER)], [[null], [null], [1]]).results.at(-1), [null, 1]);
  t.false(f.call.supportsTables);
  t.deepEqual(foldMerged('COLLECT_SET', [col(INTEGER)], [[1], [2]], [[2], [3]]), [1, 2, 3]);
});

test('HISTOGRAM counts each string, undo removes entries that reach zero', (t) => {
  const f = fold('HISTOGRAM', [col(STRING)], [['foo'], ['bar'], [null], ['foo']]);
  t.deepEqual(f.results.at(-1), new Map([['foo', 2n], ['bar', 1n]]));
  t.deepEqual(f.call.returnType, mapType(STRING, BIGINT));
  t.deepEqual(foldUndo('HISTOGRAM', [col(STRING)], [['a'], ['b'], ['b']], [['a'], ['b']]), new Map([['b', 1n]]));
  t.deepEqual(foldMerged('HISTOGRAM', [col(STRING)], [['a']], [['a'], ['c']]), new Map([['a', 2n], ['c', 1n]]));
});

test('HISTOGRAM counts at most 1000 distinct strings', (t) => {
  const rows = Array.from({ length: 1002 }, (_, i) => [`v${i}`]);
  const last = fold('HISTOGRAM', [col(STRING)], [...rows, ['v0']]).results.at(-1) as Map<string, bigint>;
  t.is(last.size, 1000);
  t.is(last.get('v0'), 2n);
});

test('ATTR returns the value while all values agree, else NULL', (t) => {
  const f = fold('ATTR', [col(INTEGER)], [[1], [1], [2]]);
  t.deepEqual(f.results, [1, 1, null]);
  t.deepEqual(f.call.returnType, INTEGER);
  t.is(foldUndo('ATTR', [col(INTEGER)], [[1], [2]], [[2]]), 1);
  t.is(foldMerged('ATTR', [col(STRING)], [['a']], [['b']]), null);
  t.is(foldMerged('ATTR', [col(STRING)], [['a']], [['a']]), 'a');
});

test('COLLECT_MAP gathers the entries of a map column, a later value for a key replacing the earlier one', (t) => {
  const type = mapType(STRING, INTEGER);
  const f = fold('COLLECT_MAP', [col(type)], [[new Map([['a', 1]])], [new Map([['b', 2]])], [null], [new Map([['a', 3]])]]);
  t.deepEqual(f.call.returnType, type);
  t.false(f.call.supportsTables);
  t.deepEqual(f.results, [new Map([['a', 1]]), new Map([['a', 1], ['b', 2]]), new Map([['a', 1], ['b', 2]]), new Map([['a', 3], ['b', 2]])]);
  t.deepEqual(foldMerged('COLLECT_MAP', [col(type)], [[new Map([['a', 1]])]], [[new Map([['a', 2], ['c', 3]])]]), new Map([['a', 2], ['c', 3]]));
});

test('COLLECT_MAP keeps at most ksql.functions.collect_map.limit keys (no limit by default), and takes only maps', (t) => {
  const type = mapType(STRING, INTEGER);
  const rows = [[new Map([['a', 1], ['b', 2]])], [new Map([['a', 3], ['c', 4]])]];
  t.deepEqual(fold('COLLECT_MAP', [col(type)], rows, { 'ksql.functions.collect_map.limit': 1 }).results.at(-1), new Map([['a', 3]]));
  t.is((fold('COLLECT_MAP', [col(type)], [[new Map(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]))]]).results.at(-1) as Map<string, number>).size, 1500);
  t.throws(() => fold('COLLECT_MAP', [col(INTEGER)], []), { message: /Function 'collect_map' does not accept parameters \(INTEGER\)/i });
});
