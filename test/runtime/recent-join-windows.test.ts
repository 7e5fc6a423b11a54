import test from 'ava';
import { numericKey, RecentJoinWindows } from '../../src/runtime/recent-join-windows.js';

const value = (text: string): Buffer => Buffer.from(text);
const texts = (windows: readonly { readonly start: number; readonly value: Buffer }[]): string[] => windows.map((w) => `${w.start}:${w.value.toString()}`);

test('a key\'s windows in a range come by start, as the window store lists them; a window written again keeps its latest value', (t) => {
  const recent = new RecentJoinWindows(-1, 1 << 20);
  recent.put('k', 300, value('c'), 1);
  recent.put('k', 100, value('a'), 1);
  recent.put('other', 200, value('x'), 1);
  recent.put('k', 300, value('cd'), 1);
  recent.put('k', 500, value('e'), 1);
  t.deepEqual(texts(recent.fetch('k', 0, 400)), ['100:a', '300:cd']);
  t.deepEqual(texts(recent.fetch('k', 300, 300)), ['300:cd']);
  t.deepEqual(texts(recent.fetch('k', 301, 499)), []);
  t.deepEqual(texts(recent.fetch('none', 0, 1000)), []);
  t.is(recent.get('k', 300)?.toString(), 'cd');
  t.is(recent.get('k', 200), null);
});

test('a range reaching back to the horizon is not answered here: the store may hold windows written before', (t) => {
  const recent = new RecentJoinWindows(500, 1 << 20);
  t.false(recent.covers(400));
  t.false(recent.covers(500));
  t.true(recent.covers(501));
});

test('past its budget the windows written first go and the horizon rises to their starts', (t) => {
  const recent = new RecentJoinWindows(-1, 10 * 1000);
  for (let i = 0; i < 1000; i++) recent.put(i % 7, 1000 + i, value(`v${i}`), 8);
  // Each window costs its bytes and the estimated overhead: far fewer than 1000 fit.
  t.false(recent.covers(1000));
  let first = 1000;
  while (!recent.covers(first)) first++;
  t.true(first > 1000 && first < 1999);
  // Every window after the horizon is still here, for every key.
  const held = [0, 1, 2, 3, 4, 5, 6].flatMap((k) => texts(recent.fetch(k, first, 1999)));
  t.is(held.length, 1999 - first + 1);
});

test('expired windows are not listed, and go once every window written before them expired', (t) => {
  const recent = new RecentJoinWindows(-1, 1 << 20);
  recent.put('k', 100, value('a'), 1);
  recent.put('k', 300, value('b'), 1);
  recent.put('k', 200, value('c'), 1);
  recent.expire(250);
  t.deepEqual(texts(recent.fetch('k', 0, 1000)), ['300:b']);
  t.is(recent.get('k', 200), null);
  // Expiry never raises the horizon: what expired is gone from the store too.
  t.true(recent.covers(0));
});

test('a BIGINT key in the safe range keys the windows by its number; other keys by their encoded bytes', (t) => {
  t.is(numericKey(5n), 5);
  t.is(numericKey(-(2n ** 53n) + 1n), Number.MIN_SAFE_INTEGER);
  t.is(numericKey(2n ** 53n), undefined);
  t.is(numericKey(5), undefined);
  t.is(numericKey('5'), undefined);
});
