import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import { subjectOf } from '../../src/formats/index.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const OPTIONS = { properties: { 'auto.offset.reset': 'earliest' }, schemaRegistry: true } as const;

function values(broker: EmbeddedBroker, topic: string): (string | null)[] {
  return broker.read(topic, 0, 0, { maxRecords: 100 }).map((r) => (r.value === null ? null : r.value.toString()));
}

test('CSAS from JSON to AVRO and back again: the Avro topic is in the wire format and its schema registered', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, N INT, D DECIMAL(5,2), TAGS ARRAY<STRING>, P STRUCT<X DOUBLE>) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute("CREATE STREAM A WITH (KAFKA_TOPIC='a', FORMAT='AVRO') AS SELECT * FROM S;");
    engine.execute("CREATE STREAM J WITH (KAFKA_TOPIC='j', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS SELECT * FROM A;");
    broker.append('s', [
      { key: Buffer.from('k1'), value: Buffer.from('{"N":1,"D":12.5,"TAGS":["x",null],"P":{"X":0.5}}'), timestamp: 1 },
      { key: Buffer.from('k2'), value: Buffer.from('{"N":null}'), timestamp: 2 },
      { key: Buffer.from('k3'), value: null, timestamp: 3 },
    ]);
    scheduler.runUntilIdle();
    const avroRecords = broker.read('a', 0, 0, { maxRecords: 10 });
    t.is(avroRecords.length, 3);
    for (const r of avroRecords.slice(0, 2)) {
      t.is(r.value![0], 0, 'magic byte');
      t.is(r.key![0], 0, 'keys are Avro too');
    }
    t.is(avroRecords[2]!.value, null, 'a tombstone stays a null value');
    const valueSchema = engine.schemaRegistry!.latest(subjectOf('a', 'value'))!;
    t.is(avroRecords[0]!.value!.readInt32BE(1), valueSchema.id);
    t.is(JSON.parse(valueSchema.schema).name, 'KsqlDataSourceSchema');
    t.is(engine.schemaRegistry!.latest(subjectOf('a', 'key'))!.schema, '"string"');
    t.deepEqual(values(broker, 'j'), [
      '{"N":1,"D":12.50,"TAGS":["x",null],"P":{"X":0.5}}',
      '{"N":null,"D":null,"TAGS":null,"P":null}',
      null,
    ]);
    t.deepEqual(broker.read('j', 0, 0, { maxRecords: 10 }).map((r) => r.key!.toString()), ['k1', 'k2', 'k3']);
  }, OPTIONS);
});

test('a source without columns takes them from the registry, and a record it cannot read goes to the processing log', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='AVRO');");
    engine.execute("INSERT INTO S (ID, NAME) VALUES (1, 'one');");
    engine.execute("CREATE STREAM T WITH (KAFKA_TOPIC='s', FORMAT='AVRO');");
    t.deepEqual(engine.metastore.getSource('T')!.schema.value.map((c) => c.name), ['NAME']);
    t.deepEqual(engine.metastore.getSource('T')!.schema.key.map((c) => [c.name, c.type.kind]), [['ROWKEY', 'INTEGER']]);
    engine.execute("CREATE STREAM OUT WITH (KAFKA_TOPIC='out', FORMAT='JSON') AS SELECT * FROM T;");
    broker.append('s', [{ key: null, value: Buffer.from('not avro'), timestamp: 5 }]);
    engine.execute("INSERT INTO S (ID, NAME) VALUES (2, 'two');");
    scheduler.runUntilIdle();
    t.deepEqual(values(broker, 'out'), ['{"NAME":"one"}', '{"NAME":"two"}']);
    const log = broker.read(engine.config.processingLogTopic, 0, 0, { maxRecords: 10 })
      .map((r) => JSON.parse(r.value!.toString()).message.deserializationError);
    t.deepEqual(log.map((e) => [e.target, e.errorMessage, e.cause]), [
      ['value', 'Error deserializing message from topic: s', ['Failed to deserialize data for topic s to Avro: ', 'Unknown magic byte!']],
    ]);
    t.throws(() => engine.execute("CREATE STREAM U WITH (KAFKA_TOPIC='nothing', VALUE_FORMAT='AVRO');"), {
      message: /Schema for message values on topic 'nothing' does not exist in the Schema Registry/,
    });
  }, { ...OPTIONS, autoCreateSourceTopics: true });
});

test('without a Schema Registry a statement with an AVRO side is refused, and nothing is created', (t) => {
  withTempEngine(({ engine }) => {
    t.throws(() => engine.execute("CREATE STREAM S (K STRING KEY, N INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='AVRO');"), {
      message: /Cannot use format AVRO for topic 's' without a Schema Registry/,
    });
    t.is(engine.metastore.getSource('S'), undefined);
    t.false(engine.broker.hasTopic('s'));
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
