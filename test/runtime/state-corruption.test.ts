import test from 'ava';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/index.js';
import { openStoreRegistry, StateCorruptionError } from '../../src/state/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine } from '../helpers/temp-engine.js';

/** Without a cache, each of a batch's updates is emitted (the test reads every count). */
const earliest = { properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': 0 } };

function counts(broker: EmbeddedBroker): string[] {
  return broker.read('COUNTS', 0, 0, { maxRecords: 1000 }).map((r) => r.value!.toString());
}

/** Opens the data directory's SQLite file on its own and flips a bit in the last byte of every value of store `name`. */
function flipStoredBit(dir: string, name: string): void {
  const db = new Database(join(dir, 'ksqlite.db'));
  try {
    const rows = db.prepare(`SELECT t.store AS store, t.key AS key, t.value AS value FROM state_kv t JOIN state_stores s ON s.id = t.store WHERE s.name = ?`)
      .all(name) as { store: number; key: Buffer; value: Buffer }[];
    if (rows.length === 0) throw new Error(`no rows in store ${name}`);
    for (const row of rows) {
      const damaged = Buffer.from(row.value);
      damaged[damaged.length - 1]! ^= 0x04;
      db.prepare('UPDATE state_kv SET value = ? WHERE store = ? AND key = ?').run(damaged, row.store, row.key);
    }
  } finally {
    db.close();
  }
}

test('a flipped byte in a stored COUNT accumulator fails the read with the named error instead of giving a wrong count', (t) =>
  withTempDir((dir) => {
    const node = openEngine(dir, earliest);
    node.engine.execute("CREATE STREAM CLICKS (ID STRING KEY, URL STRING) WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON');");
    node.engine.execute('CREATE TABLE COUNTS AS SELECT ID, COUNT(*) AS N FROM CLICKS GROUP BY ID;');
    for (let i = 0; i < 3; i++) node.engine.execute(`INSERT INTO CLICKS (ID, URL) VALUES ('a', 'u${i}');`);
    node.scheduler.runUntilIdle();
    t.deepEqual(counts(node.broker), ['{"N":1}', '{"N":2}', '{"N":3}']);
    const queryId = node.engine.listQueries()[0]!.id;
    closeEngine(node);

    flipStoredBit(dir, 'Aggregate-Materialize');

    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      const store = openStoreRegistry(broker.database).openKeyValueStore({ query: queryId, name: 'Aggregate-Materialize', partition: 0 });
      const [key] = broker.database.prepare('SELECT key FROM state_kv').pluck().all() as Buffer[];
      const error = t.throws(() => store.get(key!), { instanceOf: StateCorruptionError });
      t.is(error?.query, queryId);
      t.is(error?.store, 'Aggregate-Materialize');
      t.is(error?.partition, 0);
      t.regex(error?.message ?? '', new RegExp(`^State store 'Aggregate-Materialize' of query ${queryId}, partition 0: the stored row of key 0x[0-9a-f]+ does not match its checksum`));
      store.close();
    } finally {
      broker.close();
    }

    // The running query never builds on the corrupt count.
    const again = openEngine(dir, earliest);
    try {
      again.engine.execute("INSERT INTO CLICKS (ID, URL) VALUES ('a', 'u3');");
      again.scheduler.runUntilIdle();
      t.deepEqual(counts(again.broker).slice(0, 3), ['{"N":1}', '{"N":2}', '{"N":3}']);
      t.deepEqual(counts(again.broker).slice(3), []);
    } finally {
      closeEngine(again);
    }
  }));
