import test from 'ava';
import { StateCorruptionError, type WindowedValue } from '../../src/state/index.js';
import { keyOfTimeFirst, timeFirstKey } from '../../src/state/time-first-key.js';
import { openEmbeddedBroker } from '../../src/broker/embedded/embedded-broker.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
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
    const stored = broker.database.prepare('SELECT key, start_ms FROM state_time_windows ORDER BY key').raw().all() as [Buffer, number][];
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
    t.is(broker.database.prepare('SELECT COUNT(*) FROM state_time_windows').pluck().get(), 2, 'the purge deleted the expired rows');
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
    broker.database.prepare('UPDATE state_time_windows SET start_ms = 101').run();
    const again = registry.openTimeWindowStore(store);
    t.throws(() => again.fetchAll(0, 1_000), { instanceOf: StateCorruptionError });
  }));

test('time-window rows kept in state_windows (schema version 2) move to their own table once, key-first windows stay', (t) =>
  withTempDir((dir) => {
    const before = openEmbeddedBroker({ dataDir: dir });
    const registry = openStoreRegistry(before.database);
    const timeWindows = registry.openTimeWindowStore(store);
    const keyFirst = registry.openWindowStore({ ...store, name: 'joins' });
    timeWindows.put(b('a'), 100, 200, b('a100'));
    timeWindows.put(b('b'), 0, 100, b('b0'));
    keyFirst.put(b('j'), 0, 10, b('j0'));
    commit(before, () => {
      timeWindows.flush();
      keyFirst.flush();
    });
    timeWindows.close();
    keyFirst.close();
    // As version 2 kept them: every window row in state_windows.
    before.database.exec(`INSERT INTO state_windows SELECT * FROM state_time_windows; DROP TABLE state_time_windows;
      UPDATE state_meta SET value = '2' WHERE key = 'schema_version';`);
    before.close();

    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      const reopened = openStoreRegistry(broker.database);
      const db = broker.database;
      t.is(db.prepare(`SELECT value FROM state_meta WHERE key = 'schema_version'`).pluck().get(), '3');
      t.is(db.prepare('SELECT COUNT(*) FROM state_time_windows').pluck().get(), 2);
      t.deepEqual(db.prepare('SELECT key FROM state_windows').pluck().all(), [b('j')]);
      const again = reopened.openTimeWindowStore(store);
      t.deepEqual(show(again.fetchAll(0, 1_000)), ['b@0-100=b0', 'a@100-200=a100']);
      t.deepEqual(show(again.fetch(b('a'), 0, 1_000)), ['a@100-200=a100']);
      t.is(s(reopened.openWindowStore({ ...store, name: 'joins' }).get(b('j'), 0, 10)), 'j0');
    } finally {
      broker.close();
    }
  }));

test("a time-window store's range reads and purges seek its primary key, never scan the table", (t) =>
  withStores((registry, broker) => {
    registry.openTimeWindowStore(store).close();
    const plan = (sql: string) => (broker.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    const bound = timeFirstKey(100, Buffer.alloc(0));
    for (const sql of [
      'SELECT start_ms FROM state_time_windows WHERE store = 1 AND key >= ?1 AND key < ?1 ORDER BY key LIMIT 1',
      'SELECT key FROM state_time_windows WHERE store = 1 AND key >= ?1 AND key < ?1 AND end_ms >= 0 ORDER BY key, start_ms, end_ms',
      'DELETE FROM state_time_windows WHERE store = 1 AND key < ?1 AND end_ms < 5',
    ]) {
      const detail = plan(sql.replaceAll('?1', `x'${bound.toString('hex')}'`));
      t.regex(detail, /SEARCH state_time_windows USING PRIMARY KEY \(store=\? AND key[<>]/, sql);
      t.notRegex(detail, /TEMP B-TREE/, sql);
    }
  }));

test('a store whose owner caches its writes stages every write in order: the last write of a window wins, an abort drops them, reads go to storage', (t) =>
  withStores((registry, broker) => {
    const ws = registry.openTimeWindowStore({ ...store, cacheEntries: 0, ownerCaches: true });
    ws.put(b('a'), 0, 100, b('first'));
    ws.put(b('b'), 0, 100, b('b0'));
    ws.put(b('a'), 0, 100, b('second'));
    t.deepEqual([...ws.staged()].map((w) => `${s(w.key)}@${w.start}=${s(w.value)}`), ['a@0=first', 'b@0=b0', 'a@0=second']);
    t.deepEqual(show(ws.fetchAll(0, 100)), ['a@0-100=second', 'b@0-100=b0']);
    t.deepEqual(show(ws.fetch(b('a'), 0, 100)), ['a@0-100=second']);
    commit(broker, () => ws.flush());
    t.is(s(ws.get(b('a'), 0, 100)), 'second');
    ws.put(b('a'), 0, 100, b('aborted'));
    ws.abort();
    t.is(s(ws.get(b('a'), 0, 100)), 'second');
    t.deepEqual(show(ws.fetchAll(0, 100)), ['a@0-100=second', 'b@0-100=b0']);
  }));
