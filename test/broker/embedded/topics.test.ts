import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { partitionForKey } from '../../../src/broker/murmur2.js';
import { DEFAULT_TOPIC_CONFIG, parseTopicConfig } from '../../../src/broker/topic-config.js';
import { rec, withBroker } from './temp-broker.js';

test('a created topic is listed and described with its partitions and configs', (t) => {
  withBroker((broker) => {
    broker.createTopic('orders', { partitions: 3, config: { 'retention.ms': 1000, 'cleanup.policy': 'compact' } });
    broker.createTopic('Orders', { partitions: 1 });
    t.deepEqual(broker.listTopics(), ['Orders', 'orders']);
    const d = broker.describeTopic('orders');
    t.is(d.name, 'orders');
    t.deepEqual(
      d.partitions.map((p) => [p.partition, p.logStartOffset, p.logEndOffset]),
      [
        [0, 0, 0],
        [1, 0, 0],
        [2, 0, 0],
      ],
    );
    t.is(d.config['retention.ms'], 1000);
    t.is(d.config['cleanup.policy'], 'compact');
    t.is(d.config['delete.retention.ms'], DEFAULT_TOPIC_CONFIG['delete.retention.ms']);
    t.is(broker.describeTopic('Orders').partitions.length, 1);
  });
});

test('creating an existing topic fails unless asked to ignore it', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 2 });
    const error = t.throws(() => broker.createTopic('t', { partitions: 2 }));
    t.true(isBrokerError(error, 'TOPIC_EXISTS'));
    t.regex(error!.message, /Topic 't' already exists/);
    t.is(broker.createTopic('t', { partitions: 5, ifNotExists: true }).partitions.length, 2);
  });
});

test('topic names are case-sensitive and validated', (t) => {
  withBroker((broker) => {
    broker.createTopic('abc', { partitions: 1 });
    t.false(broker.hasTopic('ABC'));
    t.true(isBrokerError(t.throws(() => broker.describeTopic('ABC')), 'UNKNOWN_TOPIC'));
    for (const bad of ['', '.', '..', 'has space', 'x'.repeat(250), 'slash/no']) {
      t.true(isBrokerError(t.throws(() => broker.createTopic(bad, { partitions: 1 })), 'INVALID_TOPIC'), bad);
    }
    t.true(isBrokerError(t.throws(() => broker.createTopic('zero', { partitions: 0 })), 'INVALID_PARTITION'));
  });
});

test('a deleted topic is gone with its records and committed offsets, and can be recreated empty', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1 });
    broker.append('t', [{ key: null, value: Buffer.from('x') }]);
    broker.commitOffsets('g', [{ topic: 't', partition: 0, offset: 1 }]);
    t.true(broker.deleteTopic('t'));
    t.false(broker.hasTopic('t'));
    t.deepEqual(broker.committedOffsets('g'), []);
    t.false(broker.deleteTopic('t', { ifExists: true }));
    t.true(isBrokerError(t.throws(() => broker.deleteTopic('t')), 'UNKNOWN_TOPIC'));
    broker.createTopic('t', { partitions: 1 });
    t.is(broker.latestOffset('t', 0), 0);
    t.deepEqual(broker.read('t', 0, 0), []);
  });
});

test('topic configs are parsed from Kafka names and string values, and bad ones are refused', (t) => {
  t.deepEqual(parseTopicConfig({ 'retention.ms': '5000', 'cleanup.policy': 'delete,compact', 'segment.bytes': '1' }), {
    'retention.ms': 5000,
    'cleanup.policy': 'compact,delete',
  });
  t.true(isBrokerError(t.throws(() => parseTopicConfig({ 'retention.ms': 'soon' })), 'INVALID_CONFIG'));
  t.true(isBrokerError(t.throws(() => parseTopicConfig({ 'cleanup.policy': 'shred' })), 'INVALID_CONFIG'));
  t.true(isBrokerError(t.throws(() => parseTopicConfig({ 'no.such.config': 1 })), 'INVALID_CONFIG'));
  t.true(isBrokerError(t.throws(() => parseTopicConfig({ 'message.timestamp.type': 'Now' })), 'INVALID_CONFIG'));
});

test('altering a config keeps the others and persists', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'retention.ms': 10 } });
    const d = broker.alterTopicConfig('t', { 'retention.bytes': 99 });
    t.is(d.config['retention.ms'], 10);
    t.is(d.config['retention.bytes'], 99);
  });
});

test('a topic grows to more partitions, new ones empty, keys hashed over the new count, and keeps them after a reopen; it never shrinks', (t) => {
  withBroker((broker, dir) => {
    broker.createTopic('t', { partitions: 2 });
    broker.append('t', [rec('before', 'v')]);
    const grown = broker.createPartitions('t', 5);
    t.deepEqual(grown.partitions.map((p) => [p.partition, p.logStartOffset, p.logEndOffset]).slice(2), [[2, 0, 0], [3, 0, 0], [4, 0, 0]]);
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    const appended = broker.append('t', keys.map((k) => rec(k, 'v')));
    t.deepEqual(appended.map((a) => a.partition), keys.map((k) => partitionForKey(Buffer.from(k), 5)));
    for (const count of [5, 3, 2_147_483_647]) {
      const error = t.throws(() => broker.createPartitions('t', count));
      t.true(isBrokerError(error, 'INVALID_PARTITION'), error?.message);
    }
    broker.close();
    const reopened = openEmbeddedBroker({ dataDir: dir });
    try {
      t.is(reopened.describeTopic('t').partitions.length, 5);
      t.is([0, 1, 2, 3, 4].reduce((n, p) => n + reopened.latestOffset('t', p), 0), keys.length + 1);
    } finally {
      reopened.close();
    }
  });
});
