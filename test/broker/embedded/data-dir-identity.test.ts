import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { rec } from './temp-broker.js';

const idFile = (dir: string) => join(dir, 'ksqlite.meta.properties');
const database = (dir: string) => join(dir, 'ksqlite.db');

function fileId(dir: string): string | undefined {
  return /^data\.dir\.id=(.+)$/m.exec(readFileSync(idFile(dir), 'utf8'))?.[1];
}

/** A data directory that was used: one topic with one record. Returns its id. */
function used(dir: string): string {
  const broker = openEmbeddedBroker({ dataDir: dir });
  broker.createTopic('t', { partitions: 1 });
  broker.append('t', [rec('k', 'v')]);
  broker.close();
  return fileId(dir)!;
}

test('a new data directory gets an identity file whose id the database holds too', (t) => {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    const id = broker.dataDirId;
    t.regex(id, /^[0-9a-f-]{36}$/);
    t.is(fileId(dir), id);
    t.regex(readFileSync(idFile(dir), 'utf8'), /^version=1$/m);
    t.is(broker.database.prepare("SELECT value FROM broker_meta WHERE key = 'data_dir_id'").pluck().get(), id);
    broker.close();
    const again = openEmbeddedBroker({ dataDir: dir });
    t.is(again.dataDirId, id);
    again.close();
  });
});

for (const [damage, what] of [
  [(dir: string) => rmSync(database(dir)), 'missing'],
  [(dir: string) => writeFileSync(database(dir), ''), 'empty (0 bytes)'],
] as const) {
  test(`a used data directory whose database is ${what} is refused, and starts empty only when asked to`, (t) => {
    withTempDir((dir) => {
      const id = used(dir);
      damage(dir);
      const error = t.throws(() => openEmbeddedBroker({ dataDir: dir }));
      t.true(isBrokerError(error, 'STORAGE'));
      t.true(error!.message.includes(dir) && error!.message.includes(id), error!.message);
      t.regex(error!.message, /missing or empty.*--start-fresh/);
      t.true(!existsSync(database(dir)) || statSync(database(dir)).size === 0, 'the refusal wrote no database');

      const fresh = openEmbeddedBroker({ dataDir: dir, startFresh: true });
      t.deepEqual(fresh.listTopics(), []);
      t.not(fresh.dataDirId, id);
      t.is(fileId(dir), fresh.dataDirId);
      fresh.close();
      const next = openEmbeddedBroker({ dataDir: dir });
      t.deepEqual(next.listTopics(), []);
      next.close();
    });
  });
}

test("another data directory's database is refused, also with start-fresh", (t) => {
  withTempDir((dir) => {
    withTempDir((other) => {
      used(dir);
      used(other);
      copyFileSync(database(other), database(dir));
      for (const startFresh of [false, true]) {
        const error = t.throws(() => openEmbeddedBroker({ dataDir: dir, startFresh }));
        t.true(isBrokerError(error, 'STORAGE'));
        t.regex(error!.message, /does not belong to the data directory/);
        t.true(error!.message.includes(fileId(other)!) && error!.message.includes(fileId(dir)!));
      }
    });
  });
});

test('a data directory made before identity files adopts its database, and a lost identity file is written again', (t) => {
  withTempDir((dir) => {
    const id = used(dir);
    rmSync(idFile(dir));
    const restored = openEmbeddedBroker({ dataDir: dir });
    t.is(restored.dataDirId, id);
    restored.close();
    t.is(fileId(dir), id);

    rmSync(idFile(dir));
    const raw = new Database(database(dir));
    raw.exec("DELETE FROM broker_meta WHERE key = 'data_dir_id'");
    raw.close();
    const adopted = openEmbeddedBroker({ dataDir: dir });
    t.deepEqual(adopted.read('t', 0, 0).map((r) => r.value!.toString()), ['v'], 'the data is kept');
    t.not(adopted.dataDirId, id);
    t.is(fileId(dir), adopted.dataDirId);
    adopted.close();
  });
});
