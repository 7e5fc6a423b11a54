import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import { confluentFrame, subjectOf } from '../../src/formats/index.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const OPTIONS = { properties: { 'auto.offset.reset': 'earliest' }, schemaRegistry: true } as const;

function values(broker: EmbeddedBroker, topic: string): (string | null)[] {
  return broker.read(topic, 0, 0, { maxRecords: 100 }).map((r) => (r.value === null ? null : r.value.toString()));
}

test('CSAS from JSON to JSON_SR and back: the JSON_SR topic carries the prefix and the schemas are registered', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (K STRING KEY, N INT, D DECIMAL(5,2), P STRUCT<X DOUBLE>) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute("CREATE STREAM SR WITH (KAFKA_TOPIC='sr', FORMAT='JSON_SR') AS SELECT * FROM S;");
    engine.execute("CREATE STREAM J WITH (KAFKA_TOPIC='j', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS SELECT * FROM SR;");
    broker.append('s', [
      { key: Buffer.from('k1'), value: Buffer.from('{"N":1,"D":12.5,"P":{"X":0.5}}'), timestamp: 1 },
      { key: Buffer.from('k2'), value: null, timestamp: 2 },
    ]);
    scheduler.runUntilIdle();
    const records = broker.read('sr', 0, 0, { maxRecords: 10 });
    const valueSchema = engine.schemaRegistry!.latest(subjectOf('sr', 'value'))!;
    const keySchema = engine.schemaRegistry!.latest(subjectOf('sr', 'key'))!;
    t.is(valueSchema.schemaType, 'JSON');
    t.deepEqual(JSON.parse(keySchema.schema), { oneOf: [{ type: 'null' }, { type: 'string' }] });
    t.deepEqual(Object.keys(JSON.parse(valueSchema.schema).properties), ['N', 'D', 'P']);
    t.deepEqual(records[0]!.value, confluentFrame(valueSchema.id, Buffer.from('{"N":1,"D":12.50,"P":{"X":0.5}}')));
    t.deepEqual(records[0]!.key, confluentFrame(keySchema.id, Buffer.from('"k1"')));
    t.is(records[1]!.value, null, 'a tombstone stays a null value');
    t.deepEqual(values(broker, 'j'), ['{"N":1,"D":12.50,"P":{"X":0.5}}', null]);
  }, OPTIONS);
});

test('a JSON_SR source without columns takes them from the registry; unprefixed JSON goes to the processing log', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON_SR');");
    engine.execute("INSERT INTO S (ID, NAME) VALUES (1, 'one');");
    engine.execute("CREATE STREAM T WITH (KAFKA_TOPIC='s', FORMAT='JSON_SR');");
    t.deepEqual(engine.metastore.getSource('T')!.schema.value.map((c) => [c.name, c.type.kind]), [['NAME', 'STRING']]);
    t.deepEqual(engine.metastore.getSource('T')!.schema.key.map((c) => [c.name, c.type.kind]), [['ROWKEY', 'INTEGER']]);
    engine.execute("CREATE STREAM OUT WITH (KAFKA_TOPIC='out', FORMAT='JSON') AS SELECT * FROM T;");
    broker.append('s', [{ key: null, value: Buffer.from('{"NAME":"plain"}'), timestamp: 5 }]);
    engine.execute("INSERT INTO S (ID, NAME) VALUES (2, 'two');");
    scheduler.runUntilIdle();
    t.deepEqual(values(broker, 'out'), ['{"NAME":"one"}', '{"NAME":"two"}']);
    const log = broker.read(engine.config.processingLogTopic, 0, 0, { maxRecords: 10 })
      .map((r) => JSON.parse(r.value!.toString()).message.deserializationError);
    t.is(log.length, 1);
    t.is(log[0].target, 'value');
    t.regex(log[0].errorMessage, /^Failed to deserialize value from topic: s\. Got unexpected JSON serialization format that did not start with the magic byte/);
  }, { ...OPTIONS, autoCreateSourceTopics: true });
});

test('with VALUE_SCHEMA_ID a source reads the registered schema\'s names as written, and a sink writes with it', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    const id = engine.schemaRegistry!.register('anything', 'JSON', JSON.stringify({
      type: 'object', properties: { id: { type: 'integer' }, label: { type: 'string' }, note: { type: 'string' } },
    }));
    engine.execute(`CREATE STREAM S WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON_SR', VALUE_SCHEMA_ID=${id});`);
    t.deepEqual(engine.metastore.getSource('S')!.schema.value.map((c) => c.name), ['id', 'label', 'note']);
    engine.execute(`CREATE STREAM OUT WITH (KAFKA_TOPIC='out', VALUE_FORMAT='JSON_SR', VALUE_SCHEMA_ID=${id}) AS SELECT \`id\`, \`label\` FROM S;`);
    broker.append('s', [{ key: null, value: confluentFrame(id, Buffer.from('{"id":3,"label":"x","note":"n"}')), timestamp: 1 }]);
    scheduler.runUntilIdle();
    const out = broker.read('out', 0, 0, { maxRecords: 10 });
    t.deepEqual(out.map((r) => r.value), [confluentFrame(id, Buffer.from('{"id":3,"label":"x","note":null}'))]);
  }, OPTIONS);
});

test('a windowed JSON_SR key is the prefixed key followed by the window; multi-column keys are prefixed objects', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (A INT KEY, B STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON_SR');");
    engine.execute("CREATE TABLE W WITH (KAFKA_TOPIC='w', FORMAT='JSON_SR') AS SELECT A, B, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY A, B;");
    engine.execute("INSERT INTO S (A, B, V, ROWTIME) VALUES (1, 'x', 5, 1500);");
    scheduler.runUntilIdle();
    const keySchema = engine.schemaRegistry!.latest(subjectOf('w', 'key'))!;
    const [record] = broker.read('w', 0, 0, { maxRecords: 10 });
    const key = record!.key!;
    const json = confluentFrame(keySchema.id, Buffer.from('{"A":1,"B":"x"}'));
    t.deepEqual(key.subarray(0, json.length), json);
    t.is(key.readBigInt64BE(json.length), 1000n, 'the window start follows the key');
    t.deepEqual(Object.keys(JSON.parse(keySchema.schema).properties), ['A', 'B']);
  }, OPTIONS);
});

test('a table whose value columns come from VALUE_SCHEMA_ID and that declares no key is told how to declare one', (t) => {
  withTempEngine(({ engine }) => {
    const id = engine.schemaRegistry!.register('anything', 'JSON', JSON.stringify({ type: 'object', properties: { label: { type: 'string' } } }));
    t.throws(() => engine.execute(`CREATE TABLE T WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON_SR', VALUE_SCHEMA_ID=${id});`), {
      message: 'Tables require a PRIMARY KEY. Please define the PRIMARY KEY.\n'
        + 'Use a partial schema to define the primary key and still load the value columns from the Schema Registry, for example:\n'
        + '\tCREATE TABLE T (ID INT PRIMARY KEY) WITH (...);',
    });
    engine.execute(`CREATE TABLE T (ID INT PRIMARY KEY) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON_SR', VALUE_SCHEMA_ID=${id});`);
    t.deepEqual(engine.metastore.getSource('T')!.schema.value.map((c) => c.name), ['label']);
  }, OPTIONS);
});
