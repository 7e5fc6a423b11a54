import test from 'ava';
import { StateCorruptionError, type WindowedValue } from '../../src/state/index.js';
import { keyOfTimeFirst, timeFirstKey } from '../../src/state/time-first-key.js';
import { b, commit, s, withStores } from './temp-stores.js';

const store = { query: 'Q1', name: 'windows', partition: 0 };

function show(windows: readonly WindowedValue[]): string[] {
  return windows.map((w) => `${s(w.key)}@${w.start}-${w.end}=${s(w.value)}`);
}

test('a time-first key sorts by window start, then key, for negative and large starts too, and reads back', (t) => {
  const starts = [-1_000, -1, 0, 1, 2 ** 32 - 1, 2 ** 32, 1_700_000_000_000];
  const keys = starts.flatMap((start) => [timeFirstKey(start, b('b')), timeFirstKey(start, b('a'))]);
  const sorted = [...keys].sort(Buffer.compare);
  t.deepEqual(sorted.map((k, i) => keyOfTimeFirst(k, starts[Math.floor(i / 2)]!)?.toString()), starts.flatMap(() => ['a', 'b']));
  t.is(keyOfTimeFirst(timeFirstKey(10, b('a')), 11), null, 'a prefix that is not the start is refused');
});

test('a time-window store keeps its rows in window start order and reads them as a window store does', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openTimeWindowStore(store);
    for (const [key, start] of [['b', 100], ['a', 200], ['a', 100], ['c', 0]] as const) ws.put(b(key), start, start + 100, b(`${key}${start}`));
    commit(broker, () => ws.flush());
    const stored = broker.database.prepare('SELECT key, start_ms FROM state_windows ORDER BY key').raw().all() as [Buffer, number][];
    t.deepEqual(stored.map(([key, start]) => `${keyOfTimeFirst(key, start)}@${start}`), ['c@0', 'a@100', 'b@100', 'a@200']);
    ws.close();

    const again = registry.openTimeWindowStore(store);
    t.is(s(again.get(b('a'), 200, 300)), 'a200');
    t.deepEqual(show(again.fetch(b('a'), 0, 1_000)), ['a@100-200=a100', 'a@200-300=a200']);
    t.deepEqual(show(again.fetch(b('a'), 150, 1_000)), ['a@200-300=a200']);
    again.put(b('a'), 300, 400, b('staged'));
    t.deepEqual(show(again.fetchAll(100, 300)), ['a@100-200=a100', 'b@100-200=b100', 'a@200-300=a200', 'a@300-400=staged']);
    again.purgeExpired(250);
    commit(broker, () => again.flush());
    t.deepEqual(show(again.fetchAll(0, 1_000)), ['a@200-300=a200', 'a@300-400=staged']);
    t.is(broker.database.prepare('SELECT COUNT(*) FROM state_windows').pluck().get(), 2, 'the purge deleted the expired rows');
    again.delete(b('a'), 200, 300);
    commit(broker, () => again.flush());
    t.deepEqual(show(again.fetch(b('a'), 0, 1_000)), ['a@300-400=staged']);
    t.throws(() => again.findSessions(b('a'), 0, 1_000), { message: /holds time windows, not sessions/ });
  }));

test('a window store written before time-window stores existed stays keyed by key; the kinds are not mixed up', (t) =>
  withStores((registry, broker) => {
    const old = registry.openWindowStore(store);
    old.put(b('a'), 0, 10, b('kept'));
    commit(broker, () => old.flush());
    old.close();
    const reopened = registry.openTimeWindowStore(store);
    t.is(s(reopened.get(b('a'), 0, 10)), 'kept');
    t.deepEqual(show(reopened.fetch(b('a'), 0, 10)), ['a@0-10=kept']);
    t.deepEqual(registry.listStores('Q1').map((d) => d.kind), ['window']);
    reopened.close();

    registry.openTimeWindowStore({ ...store, name: 'new' }).close();
    t.throws(() => registry.openWindowStore({ ...store, name: 'new' }), { message: /time-window store, not a window store/ });
  }));

test('a row whose time prefix disagrees with its start is a corrupt row, never a window of another key', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openTimeWindowStore(store);
    ws.put(b('a'), 100, 200, b('v'));
    commit(broker, () => ws.flush());
    ws.close();
    broker.database.prepare('UPDATE state_windows SET start_ms = 101').run();
    const again = registry.openTimeWindowStore(store);
    t.throws(() => again.fetchAll(0, 1_000), { instanceOf: StateCorruptionError });
  }));
