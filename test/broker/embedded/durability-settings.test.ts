import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { withBroker } from './temp-broker.js';

test('the os flush policy runs WAL with synchronous NORMAL', (t) => {
  withBroker((broker) => {
    t.is(broker.database.pragma('journal_mode', { simple: true }), 'wal');
    t.is(broker.database.pragma('synchronous', { simple: true }), 1);
  });
});

test('the always flush policy runs WAL with synchronous FULL', (t) => {
  withBroker(
    (broker) => {
      t.is(broker.database.pragma('journal_mode', { simple: true }), 'wal');
      t.is(broker.database.pragma('synchronous', { simple: true }), 2);
    },
    { flush: 'always' },
  );
});

test('one data directory cannot be opened twice in one process', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    t.true(isBrokerError(t.throws(() => openEmbeddedBroker({ dataDir: dir })), 'STORAGE'));
    first.close();
    openEmbeddedBroker({ dataDir: dir }).close();
  });
});

test('state tables created through the shared handle live in the same file', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.database.exec("CREATE TABLE state_kv (k BLOB PRIMARY KEY, v BLOB); INSERT INTO state_kv VALUES (x'01', x'02')");
    first.close();
    const second = openEmbeddedBroker({ dataDir: dir });
    t.is(second.database.prepare('SELECT COUNT(*) FROM state_kv').pluck().get(), 1);
    second.close();
  });
});

test('a data directory that cannot be created is a storage error', (t) => {
  withTempDir((dir) => {
    const file = `${dir}/plain-file`;
    openEmbeddedBroker({ dataDir: dir, fileName: 'plain-file' }).close();
    const error = t.throws(() => openEmbeddedBroker({ dataDir: `${file}/below` }));
    t.true(isBrokerError(error, 'STORAGE'));
    t.is((error as { errorCode?: number }).errorCode, 50000);
  });
});
