/**
 * Avro end to end with real, unmodified clients: @kafkajs/confluent-schema-registry
 * registers a schema in the server's embedded registry and encodes records,
 * the kafkajs producer sends them through the Kafka listener, PRINT shows
 * them decoded, a ksqlite stream that takes its columns from the registry
 * and a CSAS read them, and a kafkajs consumer in a group reads what the
 * CSAS wrote, which the registry client decodes.
 */
import test from 'ava';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { readTopic } from '../helpers/read-topic.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';
import { runSqlOrThrow, useServer } from './helpers.js';

const h = useServer({ start: { kafkaPort: 0, schemaRegistryPort: 0 } });

test('kafkajs produces Avro the registry client encoded, PRINT shows it, a stream inferred from the registry and a CSAS read it, and the client decodes the CSAS', async (t) => {
  const registry = new SchemaRegistry({ host: h.server.schemaRegistry!.url });
  const schema = {
    type: 'record', name: 'Order', namespace: 'shop',
    fields: [{ name: 'ID', type: 'int' }, { name: 'ITEM', type: 'string' }, { name: 'PRICE', type: 'double' }, { name: 'NOTE', type: ['null', 'string'], default: null }],
  };
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: 'orders-value' });
  const kafka = new Kafka({ clientId: 'kafkajs-avro', brokers: [`127.0.0.1:${h.server.kafka!.port}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] });
  await admin.disconnect();
  const orders = [
    { key: 'o1', value: { ID: 1, ITEM: 'pen', PRICE: 1.5, NOTE: null } },
    { key: 'o2', value: { ID: 2, ITEM: 'book', PRICE: 12.25, NOTE: 'gift' } },
    { key: 'o3', value: { ID: 3, ITEM: 'cup', PRICE: 0.5, NOTE: null } },
  ];
  const producer = kafka.producer();
  await producer.connect();
  try {
    const messages = await Promise.all(orders.map(async (o) => ({ key: o.key, value: await registry.encode(id, o.value) })));
    const sent = await producer.send({ topic: 'orders', messages });
    t.true(sent.every((r) => r.errorCode === 0));
  } finally {
    await producer.disconnect();
  }

  // PRINT finds the records' schema in the registry and shows them decoded.
  const print = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: "PRINT 'orders' FROM BEGINNING LIMIT 3;", streamsProperties: {} }));
  await print.ended;
  const lines = print.text().split('\n');
  t.deepEqual(lines.slice(0, 2), ['Key format: KAFKA_STRING', 'Value format: AVRO']);
  t.deepEqual(lines.slice(2, 5).map((l) => l.replace(/^rowtime: [^,]*, /, '').replace(/, partition: \d$/, '')).sort(), [
    'key: o1, value: {"ID": 1, "ITEM": "pen", "PRICE": 1.5, "NOTE": null}',
    'key: o2, value: {"ID": 2, "ITEM": "book", "PRICE": 12.25, "NOTE": "gift"}',
    'key: o3, value: {"ID": 3, "ITEM": "cup", "PRICE": 0.5, "NOTE": null}',
  ]);

  await runSqlOrThrow(h, "CREATE STREAM ORDERS (K STRING KEY) WITH (KAFKA_TOPIC='orders', KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');");
  const described = await runSqlOrThrow(h, 'DESCRIBE ORDERS;');
  t.deepEqual(described.body[0].sourceDescription.fields.map((f: { name: string; schema: { type: string } }) => [f.name, f.schema.type]),
    [['K', 'STRING'], ['ID', 'INTEGER'], ['ITEM', 'STRING'], ['PRICE', 'DOUBLE'], ['NOTE', 'STRING']]);
  await runSqlOrThrow(h, "CREATE STREAM DEAR WITH (KAFKA_TOPIC='dear', VALUE_FORMAT='AVRO') AS SELECT K, ID, UCASE(ITEM) AS ITEM, PRICE * 2 AS PRICE, NOTE FROM ORDERS WHERE PRICE > 1;", {
    streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
  });
  t.true(await eventually(() => h.server.broker.hasTopic('dear') && readTopic(h.server.broker, 'dear').length === 2, 10_000));

  const consumer = kafka.consumer({ groupId: 'avro-reader', maxWaitTimeInMs: 100 });
  const consumed: { key: string; value: Buffer }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: 'dear', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void consumed.push({ key: String(message.key), value: message.value! }) });
    t.true(await eventually(() => consumed.length === 2, 15_000), 'the kafkajs consumer reads the sink');
  } finally {
    await consumer.disconnect();
  }
  const decoded = await Promise.all(consumed.map(async (r) => [r.key, { ...(await registry.decode(r.value)) }]));
  t.deepEqual(decoded.sort(), [
    ['o1', { ID: 1, ITEM: 'PEN', PRICE: 3, NOTE: null }],
    ['o2', { ID: 2, ITEM: 'BOOK', PRICE: 24.5, NOTE: 'gift' }],
  ]);
  const sinkSchema = await registry.getLatestSchemaId('dear-value');
  t.true(consumed.every((r) => r.value.readInt32BE(1) === sinkSchema));
});
