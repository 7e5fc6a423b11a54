import test from 'ava';
import { numericKey, RecentJoinRows } from '../../src/runtime/recent-join-rows.js';
import type { SideRow } from '../../src/runtime/join-operator.js';

const sideRow = (name: string, timestamp: number): SideRow => ({ values: [name], timestamp, partition: 0, offset: 0 });
const names = (rows: readonly { readonly row: SideRow }[]): unknown[] => rows.map((r) => r.row.values[0]);

test('a key\'s rows in a range come by time, then in the order they were written, as the window store lists them', (t) => {
  const recent = new RecentJoinRows(-1, 1 << 20);
  recent.add('k', 300, sideRow('c', 300), 10);
  recent.add('k', 100, sideRow('a', 100), 10);
  recent.add('other', 200, sideRow('x', 200), 10);
  recent.add('k', 300, sideRow('d', 300), 10);
  recent.add('k', 100, sideRow('b', 100), 10);
  recent.add('k', 500, sideRow('e', 500), 10);
  t.deepEqual(names(recent.rows('k', 0, 400)), ['a', 'b', 'c', 'd']);
  t.deepEqual(names(recent.rows('k', 300, 300)), ['c', 'd']);
  t.deepEqual(names(recent.rows('k', 301, 499)), []);
  t.deepEqual(names(recent.rows('none', 0, 1000)), []);
  t.true(recent.has('k', 100));
  t.false(recent.has('k', 200));
});

test('a range reaching back to the horizon is not answered here: the store may hold rows written before', (t) => {
  const recent = new RecentJoinRows(500, 1 << 20);
  t.false(recent.covers(400));
  t.false(recent.covers(500));
  t.true(recent.covers(501));
});

test('past its budget the rows written first go and the horizon rises to their times', (t) => {
  const recent = new RecentJoinRows(-1, 10 * 1000);
  for (let i = 0; i < 1000; i++) recent.add(i % 7, 1000 + i, sideRow(`r${i}`, 1000 + i), 40);
  // Each row costs 40 bytes and the estimated overhead: far fewer than 1000 fit.
  t.false(recent.covers(1000));
  let first = 1000;
  while (!recent.covers(first)) first++;
  t.true(first > 1000 && first < 1999);
  // Every row after the horizon is still here, for every key.
  const held = [0, 1, 2, 3, 4, 5, 6].flatMap((k) => names(recent.rows(k, first, 1999)));
  t.is(held.length, 1999 - first + 1);
});

test('expired rows are not listed, and go once every row written before them expired', (t) => {
  const recent = new RecentJoinRows(-1, 1 << 20);
  recent.add('k', 100, sideRow('a', 100), 10);
  recent.add('k', 300, sideRow('b', 300), 10);
  recent.add('k', 200, sideRow('c', 200), 10);
  recent.expire(250);
  t.deepEqual(names(recent.rows('k', 0, 1000)), ['b']);
  t.false(recent.has('k', 200));
  // Expiry never raises the horizon: what expired is gone from the store too.
  t.true(recent.covers(0));
});

test('a BIGINT key in the safe range keys the rows by its number; other keys by their encoded bytes', (t) => {
  t.is(numericKey(5n), 5);
  t.is(numericKey(-(2n ** 53n) + 1n), Number.MIN_SAFE_INTEGER);
  t.is(numericKey(2n ** 53n), undefined);
  t.is(numericKey(5), undefined);
  t.is(numericKey('5'), undefined);
});
