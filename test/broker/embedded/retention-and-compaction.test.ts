import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { makeTempDir, removeDir, withTempDir } from '../../helpers/temp-dir.js';
import { rec, text, withBroker } from './temp-broker.js';

const HOUR = 3_600_000;

test('time retention deletes whole batches older than retention.ms and moves the earliest offset up', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'retention.ms': HOUR } });
    broker.append('t', [rec(null, 'a', 1000), rec(null, 'b', 2000)]);
    broker.append('t', [rec(null, 'c', 3000), rec(null, 'd', 3000 + 2 * HOUR)]);
    broker.append('t', [rec(null, 'e', 5000)]);
    const report = broker.runMaintenance(2000 + HOUR + 1);
    t.is(report.batchesDeleted, 1);
    t.is(broker.earliestOffset('t', 0), 2);
    t.is(broker.latestOffset('t', 0), 5);
    t.deepEqual(broker.read('t', 0, 2).map((r) => text(r.value)), ['c', 'd', 'e']);
    const error = t.throws(() => broker.read('t', 0, 0));
    t.true(isBrokerError(error, 'OFFSET_OUT_OF_RANGE'));
    // The second batch is young (its newest record is), so it stops deletion even though the third is old.
    t.is(broker.runMaintenance(3000 + 2 * HOUR).batchesDeleted, 0);
    t.is(broker.runMaintenance(3000 + 3 * HOUR + 1).batchesDeleted, 2);
    t.is(broker.earliestOffset('t', 0), 5);
    t.deepEqual(broker.read('t', 0, 5), []);
    t.deepEqual(broker.append('t', [rec(null, 'f', 1)]).map((a) => a.offset), [5], 'offsets are never reused');
  });
});

test('size retention keeps the newest batches that fill retention.bytes', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'retention.bytes': 1000, 'retention.ms': -1 } });
    for (let i = 0; i < 10; i++) broker.append('t', [{ key: null, value: Buffer.alloc(200, i), timestamp: i }]);
    const sizes = broker.database.prepare('SELECT size FROM broker_batches ORDER BY id').pluck().all() as number[];
    const batchSize = sizes[0]!;
    t.true(sizes.every((s) => s === batchSize));
    broker.runMaintenance(1e12);
    const kept = 10 - broker.earliestOffset('t', 0);
    // Like Kafka: drop the oldest batches only while the rest still holds at least retention.bytes.
    t.true(kept * batchSize >= 1000, `kept ${kept} of ${batchSize} bytes each`);
    t.true((kept - 1) * batchSize < 1000);
    t.deepEqual(broker.read('t', 0, broker.earliestOffset('t', 0), { maxRecords: 100 }).map((r) => r.value![0]), Array.from({ length: kept }, (_, i) => 10 - kept + i));
  });
});

test('compaction keeps the latest record per key, leaves offset gaps and never renumbers', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    broker.append('t', [rec('a', 'a1', 1), rec('b', 'b1', 2), rec('a', 'a2', 3)]);
    broker.append('t', [rec('c', 'c1', 4), rec('b', 'b2', 5)]);
    broker.append('t', [rec('a', 'a3', 6)]);
    const report = broker.runMaintenance(100);
    t.is(report.recordsRemoved, 3);
    const records = broker.read('t', 0, 0);
    t.deepEqual(
      records.map((r) => [r.offset, text(r.key), text(r.value), r.timestamp]),
      [
        [3, 'c', 'c1', 4],
        [4, 'b', 'b2', 5],
        [5, 'a', 'a3', 6],
      ],
    );
    t.is(broker.earliestOffset('t', 0), 0, 'compaction does not move the log start');
    t.deepEqual(broker.read('t', 0, 1).map((r) => r.offset), [3, 4, 5], 'a read from inside a gap starts at the next record');
    t.deepEqual(broker.read('t', 0, 4).map((r) => r.offset), [4, 5]);
    t.deepEqual(broker.append('t', [rec('d', 'd1', 7)]).map((a) => a.offset), [6]);
    t.is(broker.runMaintenance(200).recordsRemoved, 0, 'nothing more to remove');
  });
});

test('compaction of the newest records keeps the end offset across reopen', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact', 'delete.retention.ms': 0 } });
    first.append('t', [rec('a', 'a1', 1)]);
    first.append('t', [rec('a', null, 2)]);
    first.runMaintenance(10); // the tombstone gets its delete horizon (now + 0)
    first.runMaintenance(11); // and goes: the partition is empty
    t.deepEqual(first.read('t', 0, 0), []);
    t.is(first.latestOffset('t', 0), 2);
    first.close();
    const second = openEmbeddedBroker({ dataDir: dir });
    t.is(second.latestOffset('t', 0), 2);
    t.deepEqual(second.append('t', [rec('b', 'b1', 3)]).map((a) => a.offset), [2]);
    second.close();
  });
});

test('tombstones hide older values at once and disappear delete.retention.ms after compaction first sees them', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact', 'delete.retention.ms': 1000 } });
    broker.append('t', [rec('a', 'a1', 1), rec('b', 'b1', 2)]);
    broker.append('t', [rec('a', null, 3)]);
    broker.runMaintenance(10_000);
    t.deepEqual(
      broker.read('t', 0, 0).map((r) => [r.offset, text(r.key), text(r.value)]),
      [
        [1, 'b', 'b1'],
        [2, 'a', null],
      ],
    );
    broker.runMaintenance(10_999);
    t.is(broker.read('t', 0, 0).length, 2, 'the tombstone stays until its horizon');
    const report = broker.runMaintenance(11_000);
    t.is(report.recordsRemoved, 1);
    t.deepEqual(broker.read('t', 0, 0).map((r) => [r.offset, text(r.key)]), [[1, 'b']]);
    t.is(broker.latestOffset('t', 0), 3);
  });
});

test('compacted topics refuse records without a key', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    t.true(isBrokerError(t.throws(() => broker.append('t', [rec(null, 'v')])), 'INVALID_RECORD'));
  });
});

test('compact,delete topics both compact and apply time retention', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact,delete', 'retention.ms': 100 } });
    broker.append('t', [rec('a', 'a1', 1)]);
    broker.append('t', [rec('b', 'b1', 500), rec('b', 'b2', 600)]);
    broker.runMaintenance(550);
    t.is(broker.earliestOffset('t', 0), 1);
    t.deepEqual(broker.read('t', 0, 1).map((r) => [r.offset, text(r.value)]), [[2, 'b2']]);
  });
});

test('a maintenance timer applies retention on its own', async (t) => {
  let now = 0;
  const dir = makeTempDir();
  const broker = openEmbeddedBroker({ dataDir: dir, clock: () => now });
  try {
    broker.createTopic('t', { partitions: 1, config: { 'retention.ms': 10 } });
    broker.append('t', [rec(null, 'old', 0)]);
    broker.append('t', [rec(null, 'new', 100)]);
    now = 105;
    broker.startMaintenance(5);
    const deadline = Date.now() + 2000;
    while (broker.earliestOffset('t', 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    t.is(broker.earliestOffset('t', 0), 1);
  } finally {
    broker.close();
    removeDir(dir);
  }
});

test('a compacted batch is rewritten with a gap inside it and keeps its base and last offsets', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    broker.append('t', [rec('a', 'a1', 1), rec('b', 'b1', 2), rec('c', 'c1', 3), rec('d', 'd1', 4)]);
    broker.append('t', [rec('b', 'b2', 5), rec('d', 'd2', 6)]);
    const report = broker.runMaintenance(10);
    t.is(report.batchesRewritten, 1);
    t.is(report.recordsRemoved, 2);
    const row = broker.database.prepare('SELECT base_offset, last_offset, record_count FROM broker_batches ORDER BY last_offset LIMIT 1').get();
    t.deepEqual(row, { base_offset: 0, last_offset: 3, record_count: 2 });
    t.deepEqual(
      broker.read('t', 0, 0).map((r) => [r.offset, text(r.value)]),
      [
        [0, 'a1'],
        [2, 'c1'],
        [4, 'b2'],
        [5, 'd2'],
      ],
    );
    t.deepEqual(broker.read('t', 0, 1, { maxRecords: 2 }).map((r) => r.offset), [2, 4]);
    t.deepEqual(broker.read('t', 0, 3).map((r) => r.offset), [4, 5]);
  });
});

test('fetch moves past a gap that compaction left at the end of the log', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact', 'delete.retention.ms': 0 } });
    broker.append('t', [rec('a', 'a1', 1), rec('b', 'b1', 2)]);
    broker.append('t', [rec('b', null, 3)]);
    broker.runMaintenance(10);
    broker.runMaintenance(11);
    const all = broker.fetch('t', 0, 0);
    t.deepEqual(all.records.map((r) => r.offset), [0]);
    t.is(all.nextOffset, 3, 'the read reached the end: continue at the log end');
    t.deepEqual(broker.fetch('t', 0, 1), { records: [], nextOffset: 3 });
    broker.append('t', [rec('c', 'c1', 4)]);
    const one = broker.fetch('t', 0, 0, { maxRecords: 1 });
    t.deepEqual([one.records.length, one.nextOffset], [1, 1], 'a spent budget continues after the last record');
  });
});
