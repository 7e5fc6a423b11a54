import test from 'ava';
import { MAX_SORTED_ROWS, orderedSink, type PullOrder } from '../../src/engine/pull-order.js';
import type { RowSink } from '../../src/engine/result-rows.js';
import type { TransientEnd } from '../../src/runtime/transient-query.js';

function collect(): { sink: RowSink; rows: unknown[][]; ends: TransientEnd[] } {
  const rows: unknown[][] = [];
  const ends: TransientEnd[] = [];
  return { sink: { row: (v) => rows.push([...v]), end: (e) => ends.push(e) }, rows, ends };
}

const byFirst = (limit: number | undefined, offset = 0, descending = false): PullOrder =>
  ({ keys: [{ index: 0, sign: descending ? -1 : 1, nullsFirst: descending }], offset, limit });

test('a bounded sort over many rows keeps the best OFFSET + LIMIT, ties in arrival order', (t) => {
  const out = collect();
  const sink = orderedSink(out.sink, byFirst(4, 18));
  for (let i = 0; i < 20_000; i++) sink.row([(i * 7919) % 1000, i]);
  sink.end({ kind: 'complete' });
  // Every value comes 20 times, 1000 rows apart: rows 19 and 20 are the last zeros, then the first two ones.
  const one = out.rows[2]![1] as number;
  t.deepEqual(out.rows, [[0, 18000], [0, 19000], [1, one], [1, one + 1000]]);
  t.true(one < 1000);
  t.deepEqual(out.ends, [{ kind: 'complete' }]);
});

test('NULLs sort last ascending and first descending by default', (t) => {
  const asc = collect();
  const a = orderedSink(asc.sink, byFirst(undefined));
  for (const v of [2, null, 1]) a.row([v]);
  a.end({ kind: 'limit' });
  t.deepEqual(asc.rows, [[1], [2], [null]]);
  const desc = collect();
  const d = orderedSink(desc.sink, byFirst(undefined, 0, true));
  for (const v of [2, null, 1]) d.row([v]);
  d.end({ kind: 'complete' });
  t.deepEqual(desc.rows, [[null], [2], [1]]);
});

test('without LIMIT, more than MAX_SORTED_ROWS rows fail the query instead of growing memory; a closed or failed query sends no rows', (t) => {
  const out = collect();
  const sink = orderedSink(out.sink, byFirst(undefined));
  for (let i = 0; i <= MAX_SORTED_ROWS; i++) sink.row([i]);
  sink.end({ kind: 'complete' });
  t.deepEqual(out.rows, []);
  t.is(out.ends[0]!.kind, 'failed');
  t.regex(String((out.ends[0] as { error: Error }).error.message), /add a LIMIT/);
  const closed = collect();
  const c = orderedSink(closed.sink, byFirst(undefined));
  c.row([1]);
  c.end({ kind: 'closed' });
  t.deepEqual(closed.rows, []);
  t.deepEqual(closed.ends, [{ kind: 'closed' }]);
});
