import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

const OPTIONS = { properties: { 'auto.offset.reset': 'earliest' }, schemaRegistry: true, autoCreateSourceTopics: true } as const;

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('the statement did not fail');
}

test('a subject without a schema: ksqlDB\'s text, its subject on a line of its own and the possible causes', (t) => {
  withTempEngine(({ engine }) => {
    const message = errorOf(() => engine.execute("CREATE STREAM U WITH (KAFKA_TOPIC='nothing', VALUE_FORMAT='AVRO');"));
    const lines = message.split('\n');
    t.deepEqual(lines.slice(0, 4), [
      "Schema for message values on topic 'nothing' does not exist in the Schema Registry.",
      'Subject: nothing-value',
      'Possible causes include:',
      '- The topic itself does not exist',
    ]);
    t.true(lines.includes("\t-> Use PRINT 'nothing' FROM BEGINNING; to verify"));
    t.is(lines[lines.length - 1], '\t-> See https://docs.confluent.io/current/schema-registry/docs/security.html');
  }, OPTIONS);
});

test('a schema id the registry does not know names the topic\'s subject and the id, for a source and for a sink', (t) => {
  withTempEngine(({ engine }) => {
    const source = errorOf(() => engine.execute("CREATE STREAM U WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=99);"));
    t.deepEqual(source.split('\n').slice(0, 4), [
      "Schema for message values on topic 't' does not exist in the Schema Registry.", 'Subject: t-value', 'Schema Id: 99', 'Possible causes include:',
    ]);
    engine.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');");
    const sink = errorOf(() => engine.execute("CREATE STREAM O WITH (KAFKA_TOPIC='o', KEY_FORMAT='AVRO', KEY_SCHEMA_ID=77) AS SELECT * FROM S;"));
    t.deepEqual(sink.split('\n').slice(0, 3), ["Schema for message keys on topic 'o' does not exist in the Schema Registry.", 'Subject: o-key', 'Schema Id: 77']);
  }, OPTIONS);
});

test('a registered schema of another type than the format: ksqlDB suggests the format to set', (t) => {
  withTempEngine(({ engine }) => {
    engine.schemaRegistry!.register('t-value', 'JSON', JSON.stringify({ type: 'object', properties: { A: { type: 'integer' } } }));
    const message = errorOf(() => engine.execute("CREATE STREAM U WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');"));
    t.is(message, [
      "Value schema is not in the expected format. You may want to set VALUE_FORMAT to 'JSON'.",
      'topic: t',
      'expected format: AVRO',
      'actual format from Schema Registry: JSON',
    ].join('\n'));
  }, OPTIONS);
});
