import test from 'ava';
import { updateCrc32c } from '../../src/broker/crc32c.js';
import { openEmbeddedBroker } from '../../src/broker/embedded/embedded-broker.js';
import { keyValueChecksum, windowChecksum } from '../../src/state/row-checksum.js';
import { openStoreRegistry, StateCorruptionError } from '../../src/state/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { b, commit, s, withStores } from './temp-stores.js';

type Database = ReturnType<typeof openEmbeddedBroker>['database'];

const kvStore = { query: 'Q1', name: 'agg', partition: 3 };
const windowStore = { query: 'Q1', name: 'windows', partition: 0 };

/** Flips one bit of the stored value of every row `where` selects (as a bad disk would). */
function flipValueBit(db: Database, table: string, where: string): void {
  const rows = db.prepare(`SELECT key, value FROM ${table} WHERE ${where}`).all() as { key: Buffer; value: Buffer }[];
  for (const { key, value } of rows) {
    const damaged = Buffer.from(value);
    damaged[damaged.length - 1]! ^= 0x04;
    db.prepare(`UPDATE ${table} SET value = ? WHERE ${where} AND key = ?`).run(damaged, key);
  }
}

test('a flipped byte in a stored key-value row fails the read with an error naming store, query, partition and key', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(kvStore);
    kv.put(b('alpha'), b('3'));
    kv.put(b('beta'), b('5'));
    kv.put(Buffer.from([0, 1, 0xfe]), b('7'));
    commit(broker, () => kv.flush());
    kv.close();
    flipValueBit(broker.database, 'state_kv', "key IN (CAST('alpha' AS BLOB), X'0001fe')");

    const again = registry.openKeyValueStore(kvStore);
    const error = t.throws(() => again.get(b('alpha')), { instanceOf: StateCorruptionError });
    t.is(error?.message, "State store 'agg' of query Q1, partition 3: the stored row of key 'alpha' does not match its checksum; the corrupt value was not used.");
    t.is(error?.code, 'CORRUPT_DATA');
    t.is(s(again.get(b('beta'))), '5', 'intact rows still read');
    t.throws(() => again.get(Buffer.from([0, 1, 0xfe])), { message: /key 0x0001fe does not match its checksum/ });
    t.throws(() => [...again.all()], { instanceOf: StateCorruptionError });
    t.throws(() => [...again.range(b('a'), b('b'))], { instanceOf: StateCorruptionError });
    t.deepEqual([...again.prefixScan(b('be'))].map((e) => s(e.value)), ['5']);
    // A corrupt row overwritten by a new value is healed by the next flush.
    again.put(b('alpha'), b('4'));
    commit(broker, () => again.flush());
    again.close();
    t.is(s(registry.openKeyValueStore(kvStore).get(b('alpha'))), '4');
  }));

test('a flipped byte in a stored window fails get, fetch, fetchAll and findSessions', (t) =>
  withStores((registry, broker) => {
    const windows = registry.openWindowStore(windowStore);
    windows.put(b('k'), 0, 100, b('11'));
    windows.put(b('k'), 100, 200, b('12'));
    windows.put(b('other'), 0, 100, b('13'));
    commit(broker, () => windows.flush());
    windows.close();
    flipValueBit(broker.database, 'state_windows', 'start_ms = 100');

    const again = registry.openWindowStore(windowStore);
    t.throws(() => again.get(b('k'), 100, 200), { message: /^State store 'windows' of query Q1, partition 0: the stored row of key 'k' \(window 100-200\) does not match/ });
    t.is(s(again.get(b('k'), 0, 100)), '11');
    t.throws(() => again.fetch(b('k'), 0, 1000), { instanceOf: StateCorruptionError });
    t.throws(() => again.fetchAll(0, 1000), { instanceOf: StateCorruptionError });
    t.throws(() => again.findSessions(b('k'), 0, 1000), { instanceOf: StateCorruptionError });
    t.deepEqual(again.fetch(b('other'), 0, 1000).map((w) => s(w.value)), ['13']);
  }));

test('a bit flipped in the window bounds is caught too', (t) =>
  withStores((registry, broker) => {
    const windows = registry.openWindowStore(windowStore);
    windows.put(b('k'), 0, 100, b('11'));
    commit(broker, () => windows.flush());
    windows.close();
    broker.database.prepare('UPDATE state_windows SET end_ms = 101').run();
    t.throws(() => registry.openWindowStore(windowStore).fetch(b('k'), 0, 1000), { instanceOf: StateCorruptionError });
  }));

test('rows larger than the checksum scratch buffer are checked the same way', (t) =>
  withStores((registry, broker) => {
    const big = Buffer.alloc(10_000, 'x');
    const kv = registry.openKeyValueStore(kvStore);
    const windows = registry.openWindowStore(windowStore);
    kv.put(big, big);
    windows.put(big, 0, 100, big);
    commit(broker, () => {
      kv.flush();
      windows.flush();
    });
    kv.close();
    windows.close();
    const readKv = registry.openKeyValueStore(kvStore);
    const readWindows = registry.openWindowStore(windowStore);
    t.true(readKv.get(big)?.equals(big));
    t.true(readWindows.get(big, 0, 100)?.equals(big));
    readKv.close();
    readWindows.close();
    flipValueBit(broker.database, 'state_kv', '1 = 1');
    flipValueBit(broker.database, 'state_windows', '1 = 1');
    const error = t.throws(() => registry.openKeyValueStore(kvStore).get(big), { instanceOf: StateCorruptionError });
    t.regex(error?.message ?? '', /key 'x{64}'\.\.\. \(10000 bytes\) does not match/);
    t.throws(() => registry.openWindowStore(windowStore).get(big, 0, 100), { instanceOf: StateCorruptionError });
  }));

test('small and large rows get the same CRC-32C: key length as the initial state, then key, window bounds and value', (t) => {
  const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff));
  const bounds = Buffer.alloc(16);
  bounds.writeDoubleLE(1_700_000_000_000, 0);
  bounds.writeDoubleLE(1_700_000_010_000, 8);
  for (const size of [0, 1, 30, 60, 79, 80, 81, 95, 96, 97, 200]) {
    const key = bytes(Math.floor(size / 3), size);
    const value = bytes(size - key.length, size + 1);
    t.is(keyValueChecksum(key, value), updateCrc32c(updateCrc32c(key.length, key), value), `key-value row of ${size} bytes`);
    t.is(
      windowChecksum(key, 1_700_000_000_000, 1_700_000_010_000, value),
      updateCrc32c(updateCrc32c(updateCrc32c(key.length, key), bounds), value),
      `window row of ${size} bytes`,
    );
  }
});

/** The state tables as ksqlite wrote them before rows carried checksums (schema version 1). */
const VERSION_1_DDL = `
CREATE TABLE state_stores (
  id INTEGER PRIMARY KEY, query TEXT NOT NULL, name TEXT NOT NULL, partition INTEGER NOT NULL,
  kind TEXT NOT NULL, created_ms INTEGER NOT NULL, UNIQUE (query, name, partition));
CREATE TABLE state_kv (store INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY (store, key)) WITHOUT ROWID;
CREATE TABLE state_windows (
  store INTEGER NOT NULL, key BLOB NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, value BLOB NOT NULL,
  PRIMARY KEY (store, key, start_ms, end_ms)) WITHOUT ROWID;
CREATE INDEX state_windows_by_start ON state_windows (store, start_ms);
INSERT INTO state_stores VALUES (1, 'Q1', 'agg', 3, 'key-value', 0), (2, 'Q1', 'windows', 0, 'window', 0);
INSERT INTO state_kv VALUES (1, CAST('alpha' AS BLOB), CAST('3' AS BLOB)), (1, CAST('beta' AS BLOB), CAST('5' AS BLOB));
INSERT INTO state_windows VALUES (2, CAST('k' AS BLOB), 0, 100, CAST('11' AS BLOB)), (2, CAST('k' AS BLOB), 100, 200, CAST('12' AS BLOB));
`;

test('stores written before checksums existed are migrated once on open and read as before', (t) =>
  withTempDir((dir) => {
    const old = openEmbeddedBroker({ dataDir: dir });
    old.database.exec(VERSION_1_DDL);
    old.close();

    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      const registry = openStoreRegistry(broker.database);
      t.is(broker.database.prepare(`SELECT value FROM state_meta WHERE key = 'schema_version'`).pluck().get(), '3');
      const kv = registry.openKeyValueStore(kvStore);
      t.deepEqual([...kv.all()].map((e) => [s(e.key), s(e.value)]), [['alpha', '3'], ['beta', '5']]);
      const windows = registry.openWindowStore(windowStore);
      t.deepEqual(windows.fetch(b('k'), 0, 1000).map((w) => [w.start, w.end, s(w.value)]), [[0, 100, '11'], [100, 200, '12']]);
      t.deepEqual(
        broker.database.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'state_%' ORDER BY name`).pluck().all(),
        ['state_kv', 'state_meta', 'state_stores', 'state_windows', 'state_windows_by_start'],
        'the old tables are gone and the index is back',
      );
      kv.close();
      windows.close();
      // From now on the migrated rows are protected like new ones.
      flipValueBit(broker.database, 'state_kv', "key = CAST('beta' AS BLOB)");
      t.throws(() => registry.openKeyValueStore(kvStore).get(b('beta')), { instanceOf: StateCorruptionError });
    } finally {
      broker.close();
    }
  }));

test('a state schema newer than this version is refused', (t) =>
  withTempDir((dir) => {
    const newer = openEmbeddedBroker({ dataDir: dir });
    openStoreRegistry(newer.database).openKeyValueStore(kvStore).close();
    newer.database.prepare(`UPDATE state_meta SET value = '4' WHERE key = 'schema_version'`).run();
    newer.close();
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      t.throws(() => openStoreRegistry(broker.database), { message: /schema version 4 is not supported/ });
    } finally {
      broker.close();
    }
  }));
