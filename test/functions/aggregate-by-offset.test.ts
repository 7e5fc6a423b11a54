import test from 'ava';
import { BOOLEAN, INTEGER, STRING, arrayType } from '../../src/schema/sql-type.js';
import { col, fold, lit, registry } from './aggregate-helper.js';

const n = (v: number) => lit(INTEGER, v);
const flag = (v: boolean) => lit(BOOLEAN, v);

test('EARLIEST_BY_OFFSET keeps the first value, ignoring NULLs by default', (t) => {
  t.deepEqual(fold('EARLIEST_BY_OFFSET', [col(INTEGER)], [[null], [12], [13]]).results, [null, 12, 12]);
  t.deepEqual(fold('EARLIEST_BY_OFFSET', [col(INTEGER), flag(true)], [[null], [13]]).results, [null, 13]);
  t.deepEqual(fold('EARLIEST_BY_OFFSET', [col(INTEGER), flag(false)], [[null], [13]]).results, [null, null]);
});

test('LATEST_BY_OFFSET keeps the last value, NULLs only when not ignored', (t) => {
  t.deepEqual(fold('LATEST_BY_OFFSET', [col(INTEGER)], [[12], [null], [13]]).results, [12, 12, 13]);
  t.deepEqual(fold('LATEST_BY_OFFSET', [col(INTEGER), flag(false)], [[12], [null], [13]]).results, [12, null, 13]);
});

test('the N forms return arrays of the earliest or latest values', (t) => {
  const e = fold('EARLIEST_BY_OFFSET', [col(STRING), n(2)], [['a'], [null], ['b'], ['c']]);
  t.deepEqual(e.call.returnType, arrayType(STRING));
  t.deepEqual(e.results, [['a'], ['a'], ['a', 'b'], ['a', 'b']]);
  t.deepEqual(fold('EARLIEST_BY_OFFSET', [col(INTEGER), n(2), flag(false)], [[null], [13], [14]]).results, [[null], [null, 13], [null, 13]]);
  t.deepEqual(fold('LATEST_BY_OFFSET', [col(INTEGER), n(2)], [[null], [1], [null], [2], [3]]).results, [[], [1], [1], [1, 2], [2, 3]]);
  t.deepEqual(fold('LATEST_BY_OFFSET', [col(INTEGER), n(2), flag(false)], [[12], [null], [13]]).results, [[12], [12, null], [null, 13]]);
});

test('merging keeps the values added first (earliest) or last (latest)', (t) => {
  for (const [name, expected] of [['EARLIEST_BY_OFFSET', 1], ['LATEST_BY_OFFSET', 3]] as const) {
    const call = registry.resolveAggregate(name, [col(INTEGER)]);
    const agg = call.createAggregator();
    const first = agg.add(agg.initialize(), [1]);
    const second = agg.add(agg.initialize(), [3]);
    t.is(agg.result(agg.merge(second, first)), expected, name);
    t.is(agg.result(agg.merge(agg.initialize(), first)), 1, name);
  }
  const many = registry.resolveAggregate('EARLIEST_BY_OFFSET', [col(INTEGER), n(2), flag(false)]).createAggregator();
  const a = many.add(many.initialize(), [null]);
  const b = many.add(many.initialize(), [1]);
  t.deepEqual(many.result(many.add(many.merge(a, b), [null])), [null, 1]);
});

test('the by-offset functions declare struct intermediates and no table support', (t) => {
  const call = registry.resolveAggregate('LATEST_BY_OFFSET', [col(INTEGER)]);
  t.is(call.intermediateType.kind, 'STRUCT');
  t.false(call.supportsTables);
  t.is(registry.resolveAggregate('LATEST_BY_OFFSET', [col(INTEGER), n(3)]).intermediateType.kind, 'ARRAY');
});

test('the N forms refuse an N below one when the call is resolved', (t) => {
  t.throws(() => registry.resolveAggregate('EARLIEST_BY_OFFSET', [col(INTEGER), n(0)]), { message: 'earliestN must be 1 or greater' });
  t.throws(() => registry.resolveAggregate('LATEST_BY_OFFSET', [col(INTEGER), n(-1), flag(true)]), { message: 'latestN must be 1 or greater' });
});
