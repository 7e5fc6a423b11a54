import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import { subjectOf } from '../../src/formats/index.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const OPTIONS = { properties: { 'auto.offset.reset': 'earliest' }, schemaRegistry: true } as const;

function values(broker: EmbeddedBroker, topic: string): (string | null)[] {
  return broker.read(topic, 0, 0, { maxRecords: 100 }).map((r) => (r.value === null ? null : r.value.toString()));
}

test('CSAS from JSON to PROTOBUF and back: framed records, registered schemas, proto3 defaults for NULL', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, N INT, D DECIMAL(5,2), TAGS ARRAY<STRING>, P STRUCT<X DOUBLE>) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute("CREATE STREAM P WITH (KAFKA_TOPIC='p', FORMAT='PROTOBUF') AS SELECT * FROM S;");
    engine.execute("CREATE STREAM J WITH (KAFKA_TOPIC='j', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS SELECT * FROM P;");
    broker.append('s', [
      { key: Buffer.from('k1'), value: Buffer.from('{"N":1,"D":12.5,"TAGS":["x"],"P":{"X":0.5}}'), timestamp: 1 },
      { key: Buffer.from('k2'), value: Buffer.from('{"N":null}'), timestamp: 2 },
      { key: Buffer.from('k3'), value: null, timestamp: 3 },
    ]);
    scheduler.runUntilIdle();
    const records = broker.read('p', 0, 0, { maxRecords: 10 });
    const valueSchema = engine.schemaRegistry!.latest(subjectOf('p', 'value'))!;
    t.is(valueSchema.schemaType, 'PROTOBUF');
    t.regex(valueSchema.schema, /message ConnectDefault1 \{\n {2}int32 N = 1;/);
    t.regex(engine.schemaRegistry!.latest(subjectOf('p', 'key'))!.schema, /message ConnectDefault1 \{\n {2}string K = 1;\n\}/);
    t.deepEqual([...records[0]!.value!.subarray(0, 6)], [0, 0, 0, 0, valueSchema.id, 0]);
    t.is(records[2]!.value, null);
    t.deepEqual(values(broker, 'j'), ['{"N":1,"D":12.50,"TAGS":["x"],"P":{"X":0.5}}', '{"N":0,"D":null,"TAGS":[],"P":null}', null]);
  }, OPTIONS);
});

test('a source without columns takes them from a registered Protobuf schema, and a record it cannot read goes to the processing log', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.schemaRegistry!.register('s-value', 'PROTOBUF', 'syntax = "proto3"; message Reading { string sensor = 1; double value = 2; }');
    engine.execute("CREATE STREAM S WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='PROTOBUF');");
    t.deepEqual(engine.metastore.getSource('S')!.schema.value.map((c) => [c.name, c.type.kind]), [['SENSOR', 'STRING'], ['VALUE', 'DOUBLE']]);
    engine.execute("CREATE STREAM OUT WITH (KAFKA_TOPIC='out', VALUE_FORMAT='JSON') AS SELECT * FROM S;");
    engine.execute("INSERT INTO S (SENSOR, VALUE) VALUES ('a', 1.5);");
    broker.append('s', [{ key: null, value: Buffer.from('not protobuf'), timestamp: 5 }]);
    engine.execute("INSERT INTO S (SENSOR, VALUE) VALUES ('b', 2.5);");
    scheduler.runUntilIdle();
    t.deepEqual(values(broker, 'out'), ['{"SENSOR":"a","VALUE":1.5}', '{"SENSOR":"b","VALUE":2.5}']);
    const log = broker.read(engine.config.processingLogTopic, 0, 0, { maxRecords: 10 })
      .map((r) => JSON.parse(r.value!.toString()).message.deserializationError);
    t.deepEqual(log.map((e) => [e.target, e.errorMessage, e.cause]), [
      ['value', 'Error deserializing message from topic: s', ['Failed to deserialize data for topic s to Protobuf: ', 'Unknown magic byte!']],
    ]);
    t.throws(() => engine.execute("CREATE STREAM W (K STRING KEY, V INT) WITH (KAFKA_TOPIC='w', PARTITIONS=1, VALUE_FORMAT='PROTOBUF', WRAP_SINGLE_VALUE=false);"), {
      message: "Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.",
    });
  }, { ...OPTIONS, autoCreateSourceTopics: true });
});
