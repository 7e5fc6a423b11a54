/**
 * kafkajs against the server's Kafka listener, unmodified: its producer and
 * admin client (its consumers in a group: kafka-kafkajs-groups.test.ts).
 */
import test from 'ava';
import kafkajs, { Kafka, logLevel } from 'kafkajs';
import { partitionForKey } from '../../src/broker/index.js';
import { KCAT_MISSING, kcatConsume } from '../helpers/kcat.js';
import { eventually } from './stream-helpers.js';
import { runSqlOrThrow, useServer } from './helpers.js';

// kafkajs is CommonJS: Node's named-export detection does not see these, so they come off the default export.
const { CompressionTypes, ConfigResourceTypes, ConfigSource } = kafkajs;

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

test.serial('gzip batches from the kafkajs producer are stored as sent and read back by ksqlite and by kcat', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM JSZIPPED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='jszipped', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  const producer = client().producer();
  await producer.connect();
  const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `${'zipped '.repeat(20)}${i}`, headers: { n: String(i) } }));
  try {
    await producer.send({ topic: 'jszipped', compression: CompressionTypes.GZIP, messages });
  } finally {
    await producer.disconnect();
  }
  const { broker } = h.server;
  t.true(broker.readBatches('jszipped', 0, 0, 1 << 20).every((b) => (b.readInt16BE(21) & 7) === 1), 'stored gzip, as sent');
  t.deepEqual(broker.read('jszipped', 0, 0).map((r) => [String(r.key), String(r.value), String(r.headers[0]?.value)]), messages.map((m) => [m.key, m.value, m.headers.n]));
  if (KCAT_MISSING !== null) {
    t.log(`kcat part skipped: ${KCAT_MISSING}`);
    return;
  }
  const read = await kcatConsume(h.server.kafka!.port, 'jszipped');
  t.deepEqual(read.map((r) => [r.key, r.payload]), messages.map((m) => [m.key, m.value]));
});

async function topicPartitionCount(name: string): Promise<number | undefined> {
  const res = await runSqlOrThrow(h, 'SHOW TOPICS;');
  const topics = (res.body as { topics: { name: string; replicaInfo: number[] }[] }[])[0]!.topics;
  return topics.find((topic) => topic.name === name)?.replicaInfo.length;
}

test.serial('the kafkajs admin client grows a topic: ksqlite lists the new partitions and partitions keys over them with murmur2', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM GROWN (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='grown', PARTITIONS=2, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  const admin = client().admin();
  await admin.connect();
  try {
    await admin.createPartitions({ topicPartitions: [{ topic: 'grown', count: 5 }] });
    const shrink = await t.throwsAsync(admin.createPartitions({ topicPartitions: [{ topic: 'grown', count: 3 }] }));
    t.like(shrink, { type: 'INVALID_PARTITIONS' });
    const metadata = await admin.fetchTopicMetadata({ topics: ['grown'] });
    t.is(metadata.topics[0]!.partitions.length, 5);
  } finally {
    await admin.disconnect();
  }
  t.is(await topicPartitionCount('grown'), 5);
  const producer = client().producer();
  await producer.connect();
  const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
  try {
    await producer.send({ topic: 'grown', messages: keys.map((key) => ({ key, value: 'v' })) });
  } finally {
    await producer.disconnect();
  }
  await runSqlOrThrow(h, "INSERT INTO GROWN (K, V) VALUES ('from-ksqlite', 'v');");
  const records = [0, 1, 2, 3, 4].flatMap((p) => h.server.broker.read('grown', p, 0));
  t.is(records.length, keys.length + 1);
  for (const record of records) t.is(record.partition, partitionForKey(record.key!, 5), `kafkajs, ksqlite and the key ${String(record.key)} agree on one of 5 partitions`);
});

test.serial('the kafkajs admin client describes and alters topic configs under Kafka\'s names, defaults flagged, unknown names refused', async (t) => {
  await runSqlOrThrow(h, "CREATE TABLE CONFIGURED (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='configured', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  const admin = client().admin();
  await admin.connect();
  try {
    const describe = async (): Promise<Map<string, { value: string; isDefault: boolean; source: number }>> => {
      const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'configured' }], includeSynonyms: false });
      t.is(resources[0]!.errorCode, 0);
      return new Map(resources[0]!.configEntries.map((e) => [e.configName, { value: e.configValue, isDefault: e.isDefault, source: e.configSource }]));
    };
    const before = await describe();
    t.like(before.get('cleanup.policy'), { value: 'compact', isDefault: false, source: ConfigSource.TOPIC_CONFIG }, 'a table\'s topic is compacted');
    t.like(before.get('retention.ms'), { value: '604800000', isDefault: true, source: ConfigSource.DEFAULT_CONFIG });
    t.deepEqual([...before.keys()].sort(), ['cleanup.policy', 'delete.retention.ms', 'max.message.bytes', 'message.timestamp.type', 'retention.bytes', 'retention.ms']);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'configured', configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'cleanup.policy', value: 'compact' }] }],
    });
    const after = await describe();
    t.like(after.get('retention.ms'), { value: '3600000', isDefault: false, source: ConfigSource.TOPIC_CONFIG });
    t.is(h.server.broker.describeTopic('configured').config['retention.ms'], 3_600_000, 'the log applies the new retention');

    for (const entry of [{ name: 'no.such.config', value: '1' }, { name: 'retention.ms', value: 'soon' }]) {
      const refused = await t.throwsAsync(admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'configured', configEntries: [entry] }] }));
      t.like(refused, { type: 'INVALID_CONFIG' }, `${entry.name}=${entry.value}`);
    }
    t.is(h.server.broker.describeTopic('configured').config['retention.ms'], 3_600_000, 'a refused change changes nothing');
  } finally {
    await admin.disconnect();
  }
});

test.serial('the kafkajs admin client deletes records: the earliest offset moves up for kafkajs, and a ksqlite query from the earliest offset starts there', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM TRIMMED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='trimmed', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
  const producer = client().producer();
  await producer.connect();
  try {
    // One send per record: one batch each, so a deletion boundary falls between batches.
    for (let i = 0; i < 6; i++) await producer.send({ topic: 'trimmed', messages: [{ key: `k${i}`, value: `v${i}` }] });
  } finally {
    await producer.disconnect();
  }
  const admin = client().admin();
  await admin.connect();
  try {
    // kafkajs looks the partition leaders up in metadata it must have loaded first.
    await admin.fetchTopicMetadata({ topics: ['trimmed'] });
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '4' }] });
    const offsets = await admin.fetchTopicOffsets('trimmed');
    t.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]), [[0, '4', '6']]);
    await t.throwsAsync(admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '99' }] }));
  } finally {
    await admin.disconnect();
  }
  t.is(h.server.broker.earliestOffset('trimmed', 0), 4);
  await runSqlOrThrow(h, "CREATE STREAM TRIMMED_OUT WITH (KAFKA_TOPIC='trimmed_out') AS SELECT K, V FROM TRIMMED;", {
    streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  const { broker } = h.server;
  t.true(await eventually(() => broker.hasTopic('trimmed_out') && broker.latestOffset('trimmed_out', 0) === 2, 10_000));
  t.deepEqual(broker.read('trimmed_out', 0, 0).map((r) => String(r.value)), ['v4', 'v5']);
});
