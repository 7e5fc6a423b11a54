/**
 * kafkajs against the server's Kafka listener, unmodified: its producer and
 * admin client (its consumers in a group: kafka-kafkajs-groups.test.ts).
 */
import test from 'ava';
import { Kafka, logLevel } from 'kafkajs';
import { partitionForKey } from '../../src/broker/index.js';
import { eventually } from './stream-helpers.js';
import { runSqlOrThrow, useServer } from './helpers.js';

const h = useServer({ start: { kafkaPort: 0 } });

function client(): Kafka {
  return new Kafka({ clientId: 'kafkajs-test', brokers: [`127.0.0.1:${h.server.kafka!.port}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
}

test.serial('the kafkajs producer\'s keyed records land on murmur2 partitions with their timestamps and headers, and a ksqlite stream reads them', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM FROMJS (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='fromjs', PARTITIONS=3, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  const producer = client().producer();
  await producer.connect();
  try {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const results = await producer.send({
      topic: 'fromjs',
      messages: keys.map((k, i) => ({ key: k, value: `v-${k}`, timestamp: String(1_000_000 + i), headers: { origin: 'kafkajs' } })),
    });
    t.true(results.every((r) => r.errorCode === 0));
  } finally {
    await producer.disconnect();
  }
  const { broker } = h.server;
  const records = [0, 1, 2].flatMap((p) => broker.read('fromjs', p, 0));
  t.is(records.length, 7);
  for (const record of records) {
    const key = String(record.key);
    t.is(record.partition, partitionForKey(record.key!, 3), `kafkajs and ksqlite agree on the partition of ${key}`);
    t.is(String(record.value), `v-${key}`);
    t.is(record.timestamp, 1_000_000 + 'abcdefg'.indexOf(key));
    t.deepEqual(record.headers.map((hd) => [hd.key, String(hd.value)]), [['origin', 'kafkajs']]);
  }
  await runSqlOrThrow(h, "CREATE STREAM FROMJS_OUT WITH (KAFKA_TOPIC='fromjs_out') AS SELECT K, CONCAT(V, '!') AS V FROM FROMJS;", {
    streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  t.true(await eventually(() => broker.hasTopic('fromjs_out') && broker.describeTopic('fromjs_out').partitions.reduce((n, p) => n + p.logEndOffset, 0) === 7, 10_000));
  const out = [0, 1, 2].flatMap((p) => broker.read('fromjs_out', p, 0));
  t.deepEqual(out.map((r) => [String(r.key), String(r.value), r.partition, r.timestamp]).sort(), records.map((r) => [String(r.key), `${String(r.value)}!`, r.partition, r.timestamp]).sort());
});

test.serial('the kafkajs admin client creates, lists, describes, finds offsets of and deletes topics', async (t) => {
  const admin = client().admin();
  await admin.connect();
  try {
    t.true(await admin.createTopics({ topics: [{ topic: 'admin-made', numPartitions: 2 }] }));
    t.true((await admin.listTopics()).includes('admin-made'));
    const metadata = await admin.fetchTopicMetadata({ topics: ['admin-made'] });
    t.deepEqual(metadata.topics[0]!.partitions.map((p) => [p.partitionId, p.leader]).sort(), [[0, 0], [1, 0]]);
    h.server.broker.append('admin-made', [
      { key: null, value: Buffer.from('x'), timestamp: 500, partition: 1 },
      { key: null, value: Buffer.from('y'), timestamp: 900, partition: 1 },
    ]);
    const offsets = await admin.fetchTopicOffsets('admin-made');
    t.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]).sort(), [[0, '0', '0'], [1, '0', '2']]);
    const byTime = await admin.fetchTopicOffsetsByTimestamp('admin-made', 600);
    t.is(byTime.find((o) => o.partition === 1)?.offset, '1');
    await admin.deleteTopics({ topics: ['admin-made'] });
    t.false(h.server.broker.hasTopic('admin-made'));
  } finally {
    await admin.disconnect();
  }
});
