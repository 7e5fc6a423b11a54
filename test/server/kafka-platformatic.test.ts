/**
 * @platformatic/kafka against the server's Kafka listener, unmodified. It
 * speaks only flexible versions (Metadata v9+, Fetch v12+ with topic ids in
 * practice, JoinGroup v6+ ...), so it needs the listener's KIP-482 support:
 * its admin client creates and lists a topic, its producer writes keyed
 * records ksqlite's log and a ksqlite stream read, and a consumer in a group
 * reads them all and commits its offsets. It is a devDependency, pinned.
 */
import test from 'ava';
import { eventually } from './stream-helpers.js';
import { runSqlOrThrow, useServer } from './helpers.js';

const platformatic = await import('@platformatic/kafka');
const h = useServer({ start: { kafkaPort: 0 } });
const options = (clientId: string) => ({ clientId, bootstrapBrokers: [`127.0.0.1:${h.server.kafka!.port}`], retries: 3, retryDelay: 100 });

const TOPIC = 'plat-events';
const VALUES = Array.from({ length: 12 }, (_, i) => `event-${i}`);

test.serial('the admin client creates a topic and lists it; the producer\'s records land in ksqlite\'s log and a ksqlite stream reads them', async (t) => {
  const kafka = platformatic;
  const admin = new kafka.Admin(options('plat-admin'));
  try {
    await admin.createTopics({ topics: [TOPIC], partitions: 3, replicas: 1 });
    t.true((await admin.listTopics()).includes(TOPIC));
    t.is((await admin.metadata({ topics: [TOPIC] })).topics.get(TOPIC)?.partitionsCount, 3);
  } finally {
    await admin.close();
  }
  t.is(h.server.broker.describeTopic(TOPIC).partitions.length, 3);

  const producer = new kafka.Producer({ ...options('plat-producer'), serializers: kafka.stringSerializers });
  try {
    const sent = await producer.send({ messages: VALUES.map((value, i) => ({ topic: TOPIC, key: `key-${i}`, value, headers: { origin: 'platformatic' } })) });
    t.true((sent.offsets ?? []).length > 0);
  } finally {
    await producer.close();
  }
  const records = [0, 1, 2].flatMap((p) => h.server.broker.read(TOPIC, p, 0));
  t.deepEqual(records.map((r) => String(r.value)).sort(), [...VALUES].sort());
  for (const record of records) t.deepEqual(record.headers.map((hd) => [hd.key, String(hd.value)]), [['origin', 'platformatic']]);

  await runSqlOrThrow(h, `CREATE STREAM PLAT_IN (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='${TOPIC}', KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');`);
  await runSqlOrThrow(h, "CREATE STREAM PLAT_OUT WITH (KAFKA_TOPIC='plat_out') AS SELECT K, UCASE(V) AS V FROM PLAT_IN;", {
    streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  const outCount = (): number => (h.server.broker.hasTopic('plat_out') ? h.server.broker.describeTopic('plat_out').partitions.reduce((n, p) => n + p.logEndOffset, 0) : 0);
  t.true(await eventually(() => outCount() === VALUES.length, 10_000));
});

test.serial('a consumer in a group reads every record and commits its offsets, which ksqlite\'s log keeps', async (t) => {
  const kafka = platformatic;
  const consumer = new kafka.Consumer({ ...options('plat-consumer'), groupId: 'plat-group', deserializers: kafka.stringDeserializers, maxWaitTime: 200 });
  const seen: string[] = [];
  try {
    const stream = await consumer.consume({ topics: [TOPIC], mode: 'earliest', autocommit: false, sessionTimeout: 10_000, heartbeatInterval: 500 });
    for await (const message of stream) {
      t.is(message.value, VALUES[Number(message.key.slice('key-'.length))]);
      seen.push(message.value);
      await message.commit();
      if (seen.length === VALUES.length) break;
    }
    await stream.close();
  } finally {
    await consumer.close(true);
  }
  t.deepEqual([...seen].sort(), [...VALUES].sort());
  const { broker } = h.server;
  for (const partition of broker.describeTopic(TOPIC).partitions) {
    t.is(broker.committedOffset('plat-group', TOPIC, partition.partition) ?? 0, partition.logEndOffset, `partition ${partition.partition} committed to its end`);
  }
});

test.serial('the admin client deletes the topic', async (t) => {
  const kafka = platformatic;
  const admin = new kafka.Admin(options('plat-admin'));
  try {
    await admin.createTopics({ topics: ['plat-doomed'], partitions: 1, replicas: 1 });
    await admin.deleteTopics({ topics: ['plat-doomed'] });
  } finally {
    await admin.close();
  }
  t.false(h.server.broker.hasTopic('plat-doomed'));
});
