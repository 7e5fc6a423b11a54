import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/embedded/embedded-broker.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { b, commit, s, withStores } from './temp-stores.js';

function tables(database: { prepare(sql: string): { pluck(): { all(): unknown[] } } }): unknown[] {
  return database.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'state_%' ORDER BY name`).pluck().all();
}

test('one registry serves a database and tables appear only when a store of their kind opens', (t) =>
  withStores((registry, broker) => {
    t.is(openStoreRegistry(broker.database), registry);
    t.deepEqual(tables(broker.database), []);
    t.deepEqual(registry.listStores(), []);
    registry.openKeyValueStore({ query: 'Q', name: 'a', partition: 0 });
    t.deepEqual(tables(broker.database), ['state_kv', 'state_meta', 'state_stores']);
    registry.openWindowStore({ query: 'Q', name: 'w', partition: 0 });
    registry.openWindowStore({ query: 'Q', name: 'w', partition: 1 });
    t.deepEqual(tables(broker.database), ['state_kv', 'state_meta', 'state_stores', 'state_windows'], 'one table per kind, not per store');
    t.deepEqual(registry.listStores('Q'), [
      { query: 'Q', name: 'a', partition: 0, kind: 'key-value' },
      { query: 'Q', name: 'w', partition: 0, kind: 'window' },
      { query: 'Q', name: 'w', partition: 1, kind: 'window' },
    ]);
  }));

test('a store cannot be opened twice at once, nor as another kind', (t) =>
  withStores((registry) => {
    const kv = registry.openKeyValueStore({ query: 'Q', name: 'a', partition: 0 });
    t.throws(() => registry.openKeyValueStore({ query: 'Q', name: 'a', partition: 0 }), { message: /already open/ });
    kv.close();
    t.throws(() => registry.openWindowStore({ query: 'Q', name: 'a', partition: 0 }), { message: /key-value store, not a window store/ });
    t.notThrows(() => registry.openKeyValueStore({ query: 'Q', name: 'a', partition: 0 }));
    t.throws(() => registry.openKeyValueStore({ query: 'Q', name: 'b', partition: -1 }), { message: /partition/ });
  }));

test('a new store cannot be created inside a transaction', (t) =>
  withStores((registry, broker) => {
    t.throws(() => commit(broker, () => registry.openKeyValueStore({ query: 'Q', name: 'a', partition: 0 })), {
      message: /outside a transaction/,
    });
  }));

test("dropping a query's stores removes their rows and catalogue entries and nothing else", (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore({ query: 'Q1', name: 'a', partition: 0 });
    const ws = registry.openWindowStore({ query: 'Q1', name: 'w', partition: 0 });
    const dropped = [kv, ws];
    const kept = registry.openKeyValueStore({ query: 'Q2', name: 'a', partition: 0 });
    kv.put(b('k'), b('v'));
    ws.put(b('k'), 0, 1, b('v'));
    kept.put(b('k'), b('kept'));
    commit(broker, () => [...dropped, kept].forEach((store) => store.flush()));
    t.throws(() => registry.dropQueryStores('Q1'), { message: /is open/ });
    dropped.forEach((store) => store.close());
    t.is(registry.dropQueryStores('Q1'), 2);
    t.deepEqual(registry.listStores().map((d) => d.query), ['Q2']);
    t.is(broker.database.prepare('SELECT COUNT(*) FROM state_windows').pluck().get(), 0);
    t.is(s(kept.get(b('k'))), 'kept');
    const reopened = registry.openKeyValueStore({ query: 'Q1', name: 'a', partition: 0 });
    t.is(reopened.get(b('k')), null, 'a store opened again after the drop starts empty');
    t.is(registry.dropQueryStores('nothing'), 0);
  }));

test('a store reopened with the broker shows exactly the committed state', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    const registry = openStoreRegistry(first.database);
    const kv = registry.openKeyValueStore({ query: 'Q', name: 'a', partition: 0 });
    const ws = registry.openWindowStore({ query: 'Q', name: 'w', partition: 0 });
    kv.put(b('committed'), b('1'));
    ws.put(b('committed'), 0, 10, b('1'));
    commit(first, () => {
      kv.flush();
      ws.flush();
    });
    kv.put(b('staged'), b('2'));
    ws.put(b('staged'), 0, 10, b('2'));
    t.throws(() =>
      commit(first, () => {
        kv.flush();
        ws.flush();
        throw new Error('crash inside the commit');
      }),
    );
    kv.put(b('never flushed'), b('3'));
    first.close();

    const second = openEmbeddedBroker({ dataDir: dir });
    const again = openStoreRegistry(second.database);
    t.deepEqual([...again.openKeyValueStore({ query: 'Q', name: 'a', partition: 0 }).all()].map((e) => s(e.key)), ['committed']);
    t.deepEqual(again.openWindowStore({ query: 'Q', name: 'w', partition: 0 }).fetchAll(0, 100).map((w) => s(w.key)), ['committed']);
    second.close();
  });
});
