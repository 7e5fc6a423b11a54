import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { rec, text, withBroker } from './temp-broker.js';

function batchCount(broker: { database: { prepare(sql: string): { pluck(): { get(): unknown } } } }): number {
  return broker.database.prepare('SELECT COUNT(*) FROM broker_batches').pluck().get() as number;
}

test('deleteRecords moves the log start up, deletes the batches wholly before it and keeps a straddling one', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'retention.ms': -1 } });
    broker.append('t', [rec('a', '0'), rec('a', '1')]);
    broker.append('t', [rec('a', '2'), rec('a', '3'), rec('a', '4')]);
    broker.append('t', [rec('a', '5')]);
    t.is(broker.deleteRecords('t', 0, 3), 3);
    t.is(broker.earliestOffset('t', 0), 3);
    t.is(broker.describeTopic('t').partitions[0]!.logStartOffset, 3);
    t.is(batchCount(broker), 2, 'the first batch is gone, the one holding offsets 2-4 stays');
    t.deepEqual(broker.read('t', 0, 3).map((r) => text(r.value)), ['3', '4', '5']);
    t.true(isBrokerError(t.throws(() => broker.read('t', 0, 2)), 'OFFSET_OUT_OF_RANGE'));
    // Below the log start: nothing changes.
    t.is(broker.deleteRecords('t', 0, 1), 3);
    t.is(broker.earliestOffset('t', 0), 3);
    // Up to the log end: everything goes, offsets are not reused.
    t.is(broker.deleteRecords('t', 0, 6), 6);
    t.is(batchCount(broker), 0);
    t.deepEqual(broker.append('t', [rec('a', '6')]).map((a) => a.offset), [6]);
  });
});

test('deleteRecords never goes past the log end and refuses bad offsets', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 2 });
    broker.append('t', [{ ...rec('a', '0'), partition: 1 }]);
    for (const bad of [2, -1, 0.5]) {
      t.true(isBrokerError(t.throws(() => broker.deleteRecords('t', 1, bad)), 'OFFSET_OUT_OF_RANGE'), String(bad));
    }
    t.is(broker.earliestOffset('t', 1), 0);
    t.true(isBrokerError(t.throws(() => broker.deleteRecords('t', 2, 0)), 'INVALID_PARTITION'));
    t.true(isBrokerError(t.throws(() => broker.deleteRecords('nope', 0, 0)), 'UNKNOWN_TOPIC'));
  });
});

test('the log start deleteRecords set survives a reopen', (t) => {
  withBroker((broker, dir) => {
    broker.createTopic('t', { partitions: 1 });
    broker.append('t', [rec('a', '0'), rec('a', '1'), rec('a', '2')]);
    broker.deleteRecords('t', 0, 2);
    broker.close();
    const reopened = openEmbeddedBroker({ dataDir: dir });
    try {
      t.is(reopened.earliestOffset('t', 0), 2);
      t.is(reopened.latestOffset('t', 0), 3);
      t.deepEqual(reopened.read('t', 0, 2).map((r) => text(r.value)), ['2']);
    } finally {
      reopened.close();
    }
  });
});
