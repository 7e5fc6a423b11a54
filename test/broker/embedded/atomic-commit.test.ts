import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import type { EmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import type { ProducerRecord } from '../../../src/broker/broker.js';
import { rec, text, withBroker } from './temp-broker.js';

function setUp(broker: EmbeddedBroker): void {
  broker.createTopic('in', { partitions: 1 });
  broker.createTopic('out-a', { partitions: 2 });
  broker.createTopic('out-b', { partitions: 1 });
  broker.database.exec('CREATE TABLE state_counts (k TEXT PRIMARY KEY, n INTEGER NOT NULL)');
}

function staged(broker: EmbeddedBroker, topic: string, records: readonly ProducerRecord[]) {
  const buffer = broker.createAppendBuffer(topic);
  for (const record of records) buffer.add(record);
  return buffer;
}

function stateRows(broker: EmbeddedBroker): unknown[] {
  return broker.database.prepare('SELECT k, n FROM state_counts ORDER BY k').all();
}

test('a commit appends to several topic-partitions, records offsets and runs its state participants in order, together', (t) => {
  withBroker((broker) => {
    setUp(broker);
    const upsert = broker.database.prepare('INSERT INTO state_counts (k, n) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET n = n + 1');
    let endsSeenByWork: number[] = [];
    const buffers = [
      staged(broker, 'out-a', [{ ...rec('x', '1'), partition: 0 }, { ...rec('y', '2'), partition: 1 }]),
      staged(broker, 'out-b', [rec('z', '3')]),
    ];
    broker.commitTransaction({
      appends: buffers,
      offsets: { group: 'query-1', offsets: [{ topic: 'in', partition: 0, offset: 10 }] },
      participants: [{
        commit: () => {
          endsSeenByWork = [broker.latestOffset('out-a', 0), broker.latestOffset('out-a', 1), broker.latestOffset('out-b', 0)];
          upsert.run('x');
        },
      }, { commit: () => upsert.run('x') }],
    });
    t.deepEqual(endsSeenByWork, [1, 1, 1]);
    t.deepEqual(buffers.map((b) => b.size), [0, 0], 'a successful commit empties its buffers');
    t.deepEqual(broker.read('out-a', 0, 0).map((r) => text(r.value)), ['1']);
    t.deepEqual(broker.read('out-a', 1, 0).map((r) => text(r.value)), ['2']);
    t.deepEqual(broker.read('out-b', 0, 0).map((r) => text(r.value)), ['3']);
    t.is(broker.committedOffset('query-1', 'in', 0), 10);
    t.deepEqual(stateRows(broker), [{ k: 'x', n: 2 }]);
  });
});

test('a participant that throws leaves no output records, no offsets and no state rows', (t) => {
  withBroker((broker) => {
    setUp(broker);
    broker.commitTransaction({
      appends: [staged(broker, 'out-a', [{ ...rec('x', 'kept'), partition: 0 }])],
      offsets: { group: 'q', offsets: [{ topic: 'in', partition: 0, offset: 1 }] },
      participants: [{ commit: () => broker.database.prepare("INSERT INTO state_counts VALUES ('kept', 1)").run() }],
    });
    const lost = [
      staged(broker, 'out-a', [{ ...rec('x', 'lost'), partition: 0 }, { ...rec('y', 'lost'), partition: 1 }]),
      staged(broker, 'out-b', [rec('z', 'lost')]),
    ];
    const error = t.throws(() =>
      broker.commitTransaction({
        appends: lost,
        offsets: { group: 'q', offsets: [{ topic: 'in', partition: 0, offset: 2 }] },
        participants: [{
          commit: () => {
            broker.database.prepare("INSERT INTO state_counts VALUES ('lost', 1)").run();
            throw new Error('operator failed');
          },
        }],
      }),
    );
    t.is(error!.message, 'operator failed');
    t.deepEqual(lost.map((b) => b.size), [2, 1], 'a failed commit leaves its buffers to the caller');
    t.deepEqual(broker.read('out-a', 0, 0).map((r) => text(r.value)), ['kept']);
    t.deepEqual(broker.read('out-a', 1, 0), []);
    t.deepEqual(broker.read('out-b', 0, 0), []);
    t.is(broker.latestOffset('out-a', 0), 1);
    t.is(broker.latestOffset('out-a', 1), 0);
    t.is(broker.latestOffset('out-b', 0), 0);
    t.is(broker.committedOffset('q', 'in', 0), 1);
    t.deepEqual(stateRows(broker), [{ k: 'kept', n: 1 }]);
    // The in-memory end offsets were rolled back too: the next append reuses the offsets.
    t.deepEqual(broker.append('out-b', [rec('z', 'next')]).map((r) => r.offset), [0]);
    t.deepEqual(broker.read('out-b', 0, 0).map((r) => text(r.value)), ['next']);
  });
});

test('a failing append or offset inside a commit rolls back everything before it', (t) => {
  withBroker((broker) => {
    setUp(broker);
    t.true(isBrokerError(t.throws(() => broker.createAppendBuffer('missing')), 'UNKNOWN_TOPIC'));
    broker.createTopic('short-lived', { partitions: 1 });
    const orphan = staged(broker, 'short-lived', [rec('z', 'lost')]);
    broker.deleteTopic('short-lived');
    broker.createTopic('short-lived', { partitions: 1 });
    const badAppend = t.throws(() =>
      broker.commitTransaction({ appends: [staged(broker, 'out-b', [rec('z', 'lost')]), orphan] }),
    );
    t.true(isBrokerError(badAppend, 'UNKNOWN_TOPIC'), 'records staged for a deleted topic never reach its successor');
    t.is(broker.latestOffset('short-lived', 0), 0);
    const badOffset = t.throws(() =>
      broker.commitTransaction({
        appends: [staged(broker, 'out-b', [rec('z', 'lost')])],
        offsets: { group: 'q', offsets: [{ topic: 'in', partition: 3, offset: 1 }] },
      }),
    );
    t.true(isBrokerError(badOffset, 'INVALID_PARTITION'));
    t.is(broker.latestOffset('out-b', 0), 0);
    t.deepEqual(broker.read('out-b', 0, 0), []);
    t.is(broker.committedOffset('q', 'in', 0), null);
  });
});

test('appending inside a transaction the log did not open is refused', (t) => {
  withBroker((broker) => {
    setUp(broker);
    const outer = broker.database.transaction(() => broker.append('out-b', [rec('z', 'v')]));
    const error = t.throws(() => outer());
    t.true(isBrokerError(error, 'STORAGE'));
    t.is(broker.latestOffset('out-b', 0), 0);
  });
});
