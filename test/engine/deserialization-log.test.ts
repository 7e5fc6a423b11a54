/**
 * What the processing log says about a record a query cannot read, per
 * format, as ksqlDB's deserializers word it (the message they throw and the
 * chain of causes under it) and with the record's bytes only when
 * ksql.logging.processing.rows.include is on; the query reads on past it.
 */
import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import type { KsqlEngine } from '../../src/engine/engine.js';
import { withTempEngine } from '../helpers/temp-engine.js';

interface Entry {
  readonly target: string;
  readonly errorMessage: string;
  readonly recordB64: string | null;
  readonly cause: string[];
  readonly topic: string;
}

function logged(broker: EmbeddedBroker, engine: KsqlEngine): Entry[] {
  return broker.read(engine.config.processingLogTopic, 0, 0, { maxRecords: 100 }).map((r) => {
    const entry = JSON.parse(r.value!.toString());
    if (entry.message.type !== 0) throw new Error(`not a deserialization error: ${r.value!.toString()}`);
    return entry.message.deserializationError as Entry;
  });
}

/** Runs `ddl` (a stream S on topic 's' and a copy of it), appends `bad` then one good value, and returns the log and the copy's values. */
function run(ddl: string, bad: readonly Buffer[], good: Buffer, includeRows: boolean): { log: Entry[]; copied: number; state: string } {
  return withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(ddl);
    engine.execute('CREATE STREAM COPY AS SELECT * FROM S;');
    broker.append('s', [...bad, good].map((value) => ({ key: null, value, timestamp: 1 })));
    scheduler.runUntilIdle();
    return { log: logged(broker, engine), copied: broker.read('COPY', 0, 0, { maxRecords: 100 }).length, state: engine.listQueries()[0]!.state };
  }, { schemaRegistry: true, properties: { 'auto.offset.reset': 'earliest', 'ksql.logging.processing.rows.include': includeRows } });
}

const text = (s: string): Buffer => Buffer.from(s);

test('JSON: text that is not JSON gets Jackson\'s message; a value of the wrong type one cause per level of its path', (t) => {
  const { log, copied, state } = run(
    "CREATE STREAM S (A INT, B STRUCT<C BOOLEAN>) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');",
    [text('{bad'), text('{"A":"x"}'), text('{"A":1,"B":{"C":"yes"}}'), text('[1]'), text('abc')],
    text('{"A":1} trailing text is not read'),
    true,
  );
  t.deepEqual(log.map((e) => [e.errorMessage, e.cause]), [
    ["Failed to deserialize value from topic: s. Unexpected character ('b' (code 98)): was expecting double-quote to start field name",
      ["Unexpected character ('b' (code 98)): was expecting double-quote to start field name"]],
    ["Failed to deserialize value from topic: s. Can't coerce string to type. targetType: INTEGER, path: $.A",
      ["Can't coerce string to type. targetType: INTEGER, path: $.A", "Can't coerce string to type. targetType: INTEGER, path: .A", "Can't coerce string to type. targetType: INTEGER"]],
    ["Failed to deserialize value from topic: s. Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $.B.C",
      ["Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $.B.C", "Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: .B.C",
        "Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: .C", "Can't convert type. sourceType: TextNode, requiredType: BOOLEAN"]],
    ["Failed to deserialize value from topic: s. Can't convert type. sourceType: ArrayNode, requiredType: STRUCT<`A` INTEGER, `B` STRUCT<`C` BOOLEAN>>, path: $",
      ["Can't convert type. sourceType: ArrayNode, requiredType: STRUCT<`A` INTEGER, `B` STRUCT<`C` BOOLEAN>>, path: $", "Can't convert type. sourceType: ArrayNode, requiredType: STRUCT<`A` INTEGER, `B` STRUCT<`C` BOOLEAN>>"]],
    ["Failed to deserialize value from topic: s. Unrecognized token 'abc': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      ["Unrecognized token 'abc': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"]],
  ]);
  t.deepEqual(log.map((e) => [e.target, e.topic, e.recordB64]), [
    ['value', 's', text('{bad').toString('base64')],
    ['value', 's', text('{"A":"x"}').toString('base64')],
    ['value', 's', text('{"A":1,"B":{"C":"yes"}}').toString('base64')],
    ['value', 's', text('[1]').toString('base64')],
    ['value', 's', text('abc').toString('base64')],
  ]);
  t.is(copied, 1, 'the good record after them is read');
  t.is(state, 'RUNNING');
});

test('DELIMITED: too few or too many columns, or a column that is not its type', (t) => {
  const { log, copied, state } = run(
    "CREATE STREAM S (A INT, B STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='DELIMITED');",
    [text('1'), text('1,b,c'), text('x,b')],
    text('1,b'),
    false,
  );
  t.deepEqual(log.map((e) => [e.errorMessage, e.cause, e.recordB64]), [
    ['Error deserializing delimited', ['Column count mismatch on deserialization. topic: s, expected: 2, got: 1'], null],
    ['Error deserializing delimited', ['Column count mismatch on deserialization. topic: s, expected: 2, got: 3'], null],
    ['Error deserializing delimited', ['For input string: "x"'], null],
  ]);
  t.is(copied, 1);
  t.is(state, 'RUNNING');
});

test('KAFKA: a value of the wrong size', (t) => {
  const { log, copied } = run("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='KAFKA');", [text('abc')], Buffer.alloc(4), true);
  t.deepEqual(log, [{
    target: 'value', errorMessage: 'Error deserializing KAFKA message from topic: s', recordB64: 'YWJj',
    cause: ['Size of data received by IntegerDeserializer is not 4'], topic: 's',
  }]);
  t.is(copied, 1);
});

test('AVRO: no magic byte, or a schema id the registry does not know, under the converter\'s message', (t) => {
  const result = withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='AVRO');");
    engine.execute('CREATE STREAM COPY AS SELECT * FROM S;');
    engine.execute('INSERT INTO S (A) VALUES (1);');
    broker.append('s', [Buffer.from('plain'), Buffer.from([0, 0, 0, 0, 99, 2])].map((value) => ({ key: null, value, timestamp: 1 })));
    engine.execute('INSERT INTO S (A) VALUES (2);');
    scheduler.runUntilIdle();
    return { log: logged(broker, engine), copied: broker.read('COPY', 0, 0, { maxRecords: 100 }).length };
  }, { schemaRegistry: true, properties: { 'auto.offset.reset': 'earliest' } });
  t.deepEqual(result.log.map((e) => [e.errorMessage, e.cause, e.recordB64]), [
    ['Error deserializing message from topic: s', ['Failed to deserialize data for topic s to Avro: ', 'Unknown magic byte!'], null],
    ['Error deserializing message from topic: s', ['Failed to deserialize data for topic s to Avro: ', 'Error retrieving Avro value schema for id 99', 'Schema 99 not found; error code: 40403'], null],
  ]);
  t.is(result.copied, 2);
});
