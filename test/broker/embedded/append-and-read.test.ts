import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { partitionForKey } from '../../../src/broker/murmur2.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { rec, text, withBroker } from './temp-broker.js';

test('offsets are dense per partition from 0 and reads return records in append order', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 2 });
    const first = broker.append('t', [rec(null, 'a', 1), rec(null, 'b', 2)].map((r) => ({ ...r, partition: 0 })));
    const second = broker.append('t', [{ ...rec(null, 'c', 3), partition: 0 }, { ...rec(null, 'x', 4), partition: 1 }]);
    const third = broker.append('t', [{ ...rec(null, 'd', 5), partition: 0 }]);
    t.deepEqual(first, [
      { partition: 0, offset: 0, timestamp: 1 },
      { partition: 0, offset: 1, timestamp: 2 },
    ]);
    t.deepEqual(second, [
      { partition: 0, offset: 2, timestamp: 3 },
      { partition: 1, offset: 0, timestamp: 4 },
    ]);
    t.deepEqual(third, [{ partition: 0, offset: 3, timestamp: 5 }]);
    const p0 = broker.read('t', 0, 0);
    t.deepEqual(
      p0.map((r) => [r.offset, text(r.value), r.timestamp, r.topic, r.partition]),
      [
        [0, 'a', 1, 't', 0],
        [1, 'b', 2, 't', 0],
        [2, 'c', 3, 't', 0],
        [3, 'd', 4 + 1, 't', 0],
      ],
    );
    t.is(broker.latestOffset('t', 0), 4);
    t.is(broker.latestOffset('t', 1), 1);
    t.is(broker.earliestOffset('t', 0), 0);
  });
});

test('keyed records land on the partition Kafka default partitioner picks', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 6 });
    const keys = ['21', 'foobar', 'abc', 'a-little-bit-long-string', 'k1', 'k2', 'k3', 'k4'];
    const appended = broker.append('t', keys.map((k) => rec(k, 'v')));
    keys.forEach((k, i) => t.is(appended[i]!.partition, partitionForKey(Buffer.from(k), 6), k));
    // Kafka's murmur2('foobar') = -790332482; masked: 1357151166, and 1357151166 % 6 = 0.
    t.is(appended[1]!.partition, 0);
    for (let p = 0; p < 6; p++) {
      const got = broker.read('t', p, 0).map((r) => text(r.key));
      t.deepEqual(got, keys.filter((_, i) => appended[i]!.partition === p));
    }
  });
});

test('null-key records of one append stick to one partition and later appends move on', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 3 });
    const seen = new Set<number>();
    for (let call = 0; call < 3; call++) {
      const appended = broker.append('t', [rec(null, 'a'), rec(null, 'b'), rec(null, 'c')]);
      t.is(new Set(appended.map((a) => a.partition)).size, 1);
      seen.add(appended[0]!.partition);
    }
    t.is(seen.size, 3);
  });
});

test('bad partitions, unknown topics and out-of-range offsets are clear errors', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 2 });
    broker.append('t', [{ ...rec('k', 'v'), partition: 1 }]);
    const badPartition = t.throws(() => broker.append('t', [{ ...rec('k', 'v'), partition: 2 }]));
    t.true(isBrokerError(badPartition, 'INVALID_PARTITION'));
    t.regex(badPartition!.message, /no partition 2/);
    t.true(isBrokerError(t.throws(() => broker.read('t', -1, 0)), 'INVALID_PARTITION'));
    t.true(isBrokerError(t.throws(() => broker.append('nope', [rec('k', 'v')])), 'UNKNOWN_TOPIC'));
    t.true(isBrokerError(t.throws(() => broker.read('nope', 0, 0)), 'UNKNOWN_TOPIC'));
    const outOfRange = t.throws(() => broker.read('t', 1, 2));
    t.true(isBrokerError(outOfRange, 'OFFSET_OUT_OF_RANGE'));
    t.regex(outOfRange!.message, /valid offsets are 0 to 1/);
    t.deepEqual(broker.read('t', 1, 1), [], 'reading at the end offset returns nothing');
    t.true(isBrokerError(t.throws(() => broker.append('t', [{ ...rec('k', 'v'), timestamp: -5 }])), 'INVALID_RECORD'));
    t.is(broker.latestOffset('t', 1), 1, 'failed appends left nothing behind');
  });
});

test('reads start in the middle of a stored batch and honour record and byte limits', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1 });
    broker.append('t', Array.from({ length: 10 }, (_, i) => rec(`k${i}`, `value-${i}`, i)));
    broker.append('t', Array.from({ length: 10 }, (_, i) => rec(`k${i + 10}`, `value-${i + 10}`, i + 10)));
    t.deepEqual(
      broker.read('t', 0, 7, { maxRecords: 5 }).map((r) => r.offset),
      [7, 8, 9, 10, 11],
    );
    t.deepEqual(
      broker.read('t', 0, 18).map((r) => text(r.value)),
      ['value-18', 'value-19'],
    );
    const bytes = broker.read('t', 0, 0, { maxBytes: 40 });
    t.true(bytes.length >= 1 && bytes.length < 5, `got ${bytes.length}`);
    t.deepEqual(
      broker.read('t', 0, 0, { maxBytes: 1 }).map((r) => r.offset),
      [0],
    );
  });
});

test('headers, null values and binary keys come back as appended', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1 });
    const key = Buffer.from([0, 255, 1, 254]);
    broker.append('t', [{ key, value: null, timestamp: 10, headers: [{ key: 'trace', value: Buffer.from('x') }, { key: 'n', value: null }] }]);
    const [r] = broker.read('t', 0, 0);
    t.deepEqual(r!.key, key);
    t.is(r!.value, null);
    t.deepEqual(r!.headers, [
      { key: 'trace', value: Buffer.from('x') },
      { key: 'n', value: null },
    ]);
  });
});

test('LogAppendTime topics stamp records with the append time', (t) => {
  let now = 5_000;
  withBroker(
    (broker) => {
      broker.createTopic('t', { partitions: 1, config: { 'message.timestamp.type': 'LogAppendTime' } });
      const appended = broker.append('t', [rec(null, 'a', 1), rec(null, 'b', 2)]);
      t.deepEqual(
        appended.map((a) => a.timestamp),
        [5000, 5000],
      );
      now = 6_000;
      broker.append('t', [rec(null, 'c', 3)]);
      t.deepEqual(
        broker.read('t', 0, 0).map((r) => r.timestamp),
        [5000, 5000, 6000],
      );
    },
    { clock: () => now },
  );
});

test('the offset for a timestamp is the first offset at or after it', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1 });
    broker.append('t', [rec(null, 'a', 100), rec(null, 'b', 300), rec(null, 'c', 200)]);
    broker.append('t', [rec(null, 'd', 400)]);
    t.is(broker.offsetForTimestamp('t', 0, 0), 0);
    t.is(broker.offsetForTimestamp('t', 0, 150), 1);
    t.is(broker.offsetForTimestamp('t', 0, 300), 1);
    t.is(broker.offsetForTimestamp('t', 0, 301), 3);
    t.is(broker.offsetForTimestamp('t', 0, 401), null);
  });
});

test('a record larger than max.message.bytes is refused and nothing is written', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'max.message.bytes': 1000 } });
    const appended = broker.append('t', Array.from({ length: 30 }, () => ({ key: null, value: Buffer.alloc(100) })));
    t.is(appended[29]!.offset, 29, 'many small records are split over several batches');
    t.is(broker.read('t', 0, 0, { maxRecords: 1000 }).length, 30);
    const error = t.throws(() => broker.append('t', [rec(null, 'ok'), { key: null, value: Buffer.alloc(2000) }]));
    t.true(isBrokerError(error, 'RECORD_TOO_LARGE'));
    t.is(broker.latestOffset('t', 0), 30);
  });
});

test('consumer group offsets are committed, read back and deleted', (t) => {
  withBroker((broker) => {
    broker.createTopic('a', { partitions: 2 });
    broker.createTopic('b', { partitions: 1 });
    t.is(broker.committedOffset('g1', 'a', 0), null);
    broker.commitOffsets('g1', [
      { topic: 'a', partition: 0, offset: 5 },
      { topic: 'b', partition: 0, offset: 2 },
    ]);
    broker.commitOffsets('g1', [{ topic: 'a', partition: 0, offset: 7 }]);
    broker.commitOffsets('g2', [{ topic: 'a', partition: 1, offset: 1 }]);
    t.is(broker.committedOffset('g1', 'a', 0), 7);
    t.deepEqual(broker.committedOffsets('g1'), [
      { topic: 'a', partition: 0, offset: 7 },
      { topic: 'b', partition: 0, offset: 2 },
    ]);
    t.deepEqual(broker.listGroups(), ['g1', 'g2']);
    broker.deleteGroup('g1');
    t.deepEqual(broker.listGroups(), ['g2']);
    t.true(isBrokerError(t.throws(() => broker.commitOffsets('g', [{ topic: 'a', partition: 9, offset: 1 }])), 'INVALID_PARTITION'));
  });
});

test('topics, records, offsets and group commits survive close and reopen', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.createTopic('t', { partitions: 2, config: { 'cleanup.policy': 'compact' } });
    first.append('t', [rec('k1', 'v1', 11), rec('k2', 'v2', 12), rec('k3', 'v3', 13)]);
    first.commitOffsets('g', [{ topic: 't', partition: 1, offset: 1 }]);
    const before = [0, 1].map((p) => first.read('t', p, 0).map((r) => [r.offset, text(r.key), text(r.value), r.timestamp]));
    first.close();
    t.true(isBrokerError(t.throws(() => first.listTopics()), 'CLOSED'));

    const second = openEmbeddedBroker({ dataDir: dir });
    t.deepEqual(second.listTopics(), ['t']);
    t.is(second.describeTopic('t').config['cleanup.policy'], 'compact');
    t.deepEqual(
      [0, 1].map((p) => second.read('t', p, 0).map((r) => [r.offset, text(r.key), text(r.value), r.timestamp])),
      before,
    );
    t.is(second.committedOffset('g', 't', 1), 1);
    const next = second.append('t', [{ ...rec('k9', 'v9'), partition: 0 }]);
    t.is(next[0]!.offset, before[0]!.length, 'offsets continue where they stopped');
    second.close();
  });
});
