import test from 'ava';
import type { WindowedValue } from '../../src/state/index.js';
import { b, commit, s, withStores } from './temp-stores.js';

const store = { query: 'Q1', name: 'windows', partition: 0 };

function show(windows: readonly WindowedValue[]): string[] {
  return windows.map((w) => `${s(w.key)}@${w.start}-${w.end}=${s(w.value)}`);
}

test('a window is read back by key, start and end, before and after the flush', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore(store);
    t.true(ws.put(b('a'), 0, 10, b('1')));
    t.is(s(ws.get(b('a'), 0, 10)), '1');
    t.is(ws.get(b('a'), 0, 20), null, 'another end is another window');
    commit(broker, () => ws.flush());
    ws.close();
    const again = registry.openWindowStore(store);
    t.is(s(again.get(b('a'), 0, 10)), '1');
  }));

test("fetch returns one key's windows whose start is in the range, by start, staged writes included", (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore(store);
    for (const start of [0, 10, 20, 30]) ws.put(b('a'), start, start + 10, b(`a${start}`));
    ws.put(b('b'), 10, 20, b('b10'));
    commit(broker, () => ws.flush());
    ws.put(b('a'), 15, 25, b('staged'));
    ws.put(b('a'), 20, 30, b('a20 again'));
    ws.delete(b('a'), 10, 20);
    t.deepEqual(show(ws.fetch(b('a'), 10, 30)), ['a@15-25=staged', 'a@20-30=a20 again', 'a@30-40=a30']);
    t.deepEqual(show(ws.fetch(b('a'), 31, 100)), []);
    t.deepEqual(show(ws.fetch(b('b'), 0, 100)), ['b@10-20=b10']);
  }));

test('fetchAll returns every key by window start, then key bytes, then end', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore(store);
    ws.put(b('b'), 0, 10, b('1'));
    ws.put(b('a'), 10, 20, b('2'));
    ws.put(b('c'), 0, 10, b('3'));
    commit(broker, () => ws.flush());
    ws.put(b('a'), 0, 10, b('4'));
    ws.put(b('a'), 0, 5, b('5'));
    t.deepEqual(show(ws.fetchAll(0, 10)), ['a@0-5=5', 'a@0-10=4', 'b@0-10=1', 'c@0-10=3', 'a@10-20=2']);
    t.deepEqual(show(ws.fetchAll(1, 9)), []);
  }));

test('findSessions returns the sessions a new record can merge with', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore(store);
    ws.put(b('k'), 0, 5, b('s1'));
    ws.put(b('k'), 20, 30, b('s2'));
    ws.put(b('k'), 100, 100, b('s3'));
    ws.put(b('other'), 20, 30, b('x'));
    commit(broker, () => ws.flush());
    ws.put(b('k'), 40, 45, b('staged'));
    // A record at 35 with a gap of 10 merges with sessions ending at >= 25 and starting at <= 45.
    t.deepEqual(show(ws.findSessions(b('k'), 25, 45)), ['k@20-30=s2', 'k@40-45=staged']);
    t.deepEqual(show(ws.findSessions(b('k'), 5, 5)), ['k@0-5=s1'], 'the bounds are inclusive');
    t.deepEqual(show(ws.findSessions(b('k'), 101, 200)), []);
  }));

test('purged windows disappear from reads at once, puts of them are ignored, and storage drops them at the flush', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore(store);
    for (const start of [0, 10, 20]) ws.put(b('a'), start, start + 10, b(String(start)));
    commit(broker, () => ws.flush());
    ws.put(b('a'), 5, 15, b('staged'));
    ws.purgeExpired(20);
    t.deepEqual(show(ws.fetch(b('a'), 0, 100)), ['a@10-20=10', 'a@20-30=20'], 'windows ending at the bound stay');
    t.is(ws.get(b('a'), 0, 10), null);
    t.false(ws.put(b('a'), 0, 10, b('late')));
    t.deepEqual(show(ws.fetchAll(0, 100)), ['a@10-20=10', 'a@20-30=20']);
    t.deepEqual(show(ws.findSessions(b('a'), 0, 100)), ['a@10-20=10', 'a@20-30=20']);
    commit(broker, () => ws.flush());
    t.is(broker.database.prepare('SELECT COUNT(*) FROM state_windows').pluck().get(), 2);
    ws.purgeExpired(10);
    t.deepEqual(show(ws.fetch(b('a'), 0, 100)), ['a@10-20=10', 'a@20-30=20'], 'the bound never moves back');
  }));

test('a purge rolled back with a failed commit is done again at the next flush', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore(store);
    ws.put(b('a'), 0, 10, b('old'));
    commit(broker, () => ws.flush());
    ws.purgeExpired(50);
    t.throws(() =>
      commit(broker, () => {
        ws.flush();
        throw new Error('fail');
      }),
    );
    ws.abort();
    t.is(broker.database.prepare('SELECT COUNT(*) FROM state_windows').pluck().get(), 1, 'the rollback restored the row');
    t.is(ws.get(b('a'), 0, 10), null, 'but the window stays expired');
    commit(broker, () => ws.flush());
    t.is(broker.database.prepare('SELECT COUNT(*) FROM state_windows').pluck().get(), 0);
  }));

test('abort forgets staged and failed-flushed windows and reads storage again', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore(store);
    ws.put(b('a'), 0, 10, b('committed'));
    commit(broker, () => ws.flush());
    ws.put(b('a'), 0, 10, b('staged'));
    ws.put(b('a'), 10, 20, b('staged'));
    t.throws(() =>
      commit(broker, () => {
        ws.flush();
        throw new Error('fail');
      }),
    );
    ws.abort();
    t.deepEqual(show(ws.fetch(b('a'), 0, 100)), ['a@0-10=committed']);
    t.is(s(ws.get(b('a'), 0, 10)), 'committed');
    t.is(ws.get(b('a'), 10, 20), null);
  }));

test('evicted windows are read back from storage', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openWindowStore({ ...store, cacheEntries: 3 });
    for (let i = 0; i < 50; i++) ws.put(b(`k${i % 7}`), i * 10, i * 10 + 10, b(String(i)));
    commit(broker, () => ws.flush());
    for (let i = 0; i < 50; i++) t.is(s(ws.get(b(`k${i % 7}`), i * 10, i * 10 + 10)), String(i));
    t.is(ws.fetchAll(0, 1000).length, 50);
  }));

for (const kind of ['window', 'time-window'] as const) {
  test(`a ${kind} store finds windows that start after everything it read from storage once later flushes or a reopen stored them`, (t) =>
    withStores((registry, broker) => {
      const open = () => (kind === 'window' ? registry.openWindowStore({ ...store, cacheEntries: 1 }) : registry.openTimeWindowStore({ ...store, cacheEntries: 1 }));
      const ws = open();
      ws.put(b('a'), 0, 10, b('first'));
      commit(broker, () => ws.flush());
      t.is(ws.get(b('b'), 300, 310), null, 'nothing stored starts that late');
      t.deepEqual(ws.fetch(b('b'), 200, 400), []);
      ws.put(b('b'), 300, 310, b('later'));
      ws.put(b('c'), 500, 510, b('latest'));
      commit(broker, () => ws.flush());
      // The cache keeps one entry: these come from storage.
      t.is(s(ws.get(b('b'), 300, 310)), 'later');
      t.deepEqual(show(ws.fetch(b('c'), 400, 600)), ['c@500-510=latest']);
      t.deepEqual(show(ws.fetchAll(250, 600)), ['b@300-310=later', 'c@500-510=latest']);
      // A flush that rolls back leaves nothing behind, and what storage holds is still found.
      ws.put(b('d'), 700, 710, b('lost'));
      t.throws(() => commit(broker, () => { ws.flush(); throw new Error('commit fails'); }));
      ws.abort();
      t.is(ws.get(b('d'), 700, 710), null);
      t.is(s(ws.get(b('c'), 500, 510)), 'latest');
      ws.close();
      const again = open();
      t.is(s(again.get(b('c'), 500, 510)), 'latest');
      t.deepEqual(show(again.fetch(b('b'), 300, 300)), ['b@300-310=later']);
    }));
}
