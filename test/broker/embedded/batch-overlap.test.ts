import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { rec, withBroker } from './temp-broker.js';

/** Inserts a batch row for partition 0 of topic 't' straight into storage, as a second writer would. */
function insertRow(db: Database.Database, base: number, last: number): void {
  const tp = db.prepare("SELECT id FROM broker_partitions WHERE topic = 't' AND partition = 0").pluck().get() as number;
  db.prepare('INSERT INTO broker_batches (tp, base_offset, last_offset, max_ts, record_count, size, payload) VALUES (?, ?, ?, 0, 1, 1, x\'00\')').run(tp, base, last);
}

test('the schema refuses a batch whose offsets overlap a stored batch of the same partition', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 2 });
    broker.append('t', [0, 1, 2].map((i) => ({ ...rec('k', `v${i}`), partition: 0 })));
    broker.append('t', [3, 4].map((i) => ({ ...rec('k', `v${i}`), partition: 0 })));
    const db = broker.database;
    // Stored: [0,2] and [3,4]. Each of these overlaps one of them without sharing its last offset.
    for (const [base, last] of [[1, 1], [0, 3], [2, 5], [4, 6], [1, 7]] as const) {
      t.throws(() => insertRow(db, base, last), { any: true, message: /overlap/ }, `[${base}, ${last}]`);
    }
    t.throws(() => insertRow(db, 6, 5), { any: true, message: /overlap|last offset/ }, 'a batch ending before it starts');
    insertRow(db, 5, 9);
    t.is(db.prepare('SELECT COUNT(*) FROM broker_batches').pluck().get(), 3);
    t.throws(() => db.prepare('UPDATE broker_batches SET base_offset = 0 WHERE base_offset = 5').run(), { any: true, message: /offsets/ });
  });
});

test('a database made before the overlap check gets it when it is opened', (t) => {
  withTempDir((dir) => {
    openEmbeddedBroker({ dataDir: dir }).close();
    const raw = new Database(join(dir, 'ksqlite.db'));
    raw.exec('DROP TRIGGER IF EXISTS broker_batches_no_overlap');
    raw.close();
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      broker.createTopic('t', { partitions: 1 });
      broker.append('t', [rec('a', '1'), rec('b', '2')]);
      t.throws(() => insertRow(broker.database, 1, 1), { any: true, message: /overlap/ });
    } finally {
      broker.close();
    }
  });
});
