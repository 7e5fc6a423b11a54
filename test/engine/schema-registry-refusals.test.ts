/**
 * What a CREATE says when the Schema Registry cannot give or take the
 * schema it needs, in ksqlDB's words: a missing subject or schema id with
 * its "Possible causes" (SchemaRegistryTopicSchemaSupplier), and a sink
 * schema the registry refuses as its REST client reports it (message and
 * error code).
 */
import test from 'ava';
import type { KsqlEngine } from '../../src/engine/engine.js';
import { withTempEngine } from '../helpers/temp-engine.js';

function notFound(side: 'keys' | 'values', topic: string, subject: string, id?: number): string {
  const docs = 'https://docs.confluent.io/current/schema-registry/docs/';
  return `Schema for message ${side} on topic '${topic}' does not exist in the Schema Registry.\n`
    + `Subject: ${subject}\n`
    + (id === undefined ? '' : `Schema Id: ${id}\n`)
    + 'Possible causes include:\n'
    + '- The topic itself does not exist\n'
    + '\t-> Use SHOW TOPICS; to check\n'
    + '- Messages on the topic are not serialized using a format Schema Registry supports\n'
    + `\t-> Use PRINT '${topic}' FROM BEGINNING; to verify\n`
    + '- Messages on the topic have not been serialized using a Confluent Schema Registry supported serializer\n'
    + `\t-> See ${docs}serializer-formatter.html\n`
    + '- The schema is registered on a different instance of the Schema Registry\n'
    + `\t-> Use the REST API to list available subjects\t${docs}api.html#get--subjects\n`
    + '- You do not have permissions to access the Schema Registry.\n'
    + `\t-> See ${docs}security.html`;
}

function errorOf(statement: string, setup: (engine: KsqlEngine) => void = () => {}): string {
  return withTempEngine(({ engine }) => {
    setup(engine);
    try {
      engine.execute(statement);
      return 'no error';
    } catch (error) {
      return (error as Error).message;
    }
  }, { schemaRegistry: true });
}

test('a value subject that does not exist, or a schema id the registry does not know, for values and keys', (t) => {
  t.is(errorOf("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');"), notFound('values', 't', 't-value'));
  t.is(errorOf("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', VALUE_SCHEMA_ID=77);"), notFound('values', 't', 't-value', 77));
  t.is(errorOf("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', KEY_FORMAT='AVRO', VALUE_FORMAT='JSON', KEY_SCHEMA_ID=5);"), notFound('keys', 't', 't-key', 5));
});

test('a CSAS into a topic whose registered schema is incompatible: the registry\'s refusal with its error code', (t) => {
  const message = errorOf("CREATE STREAM OUT WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO') AS SELECT * FROM S;", (engine) => {
    engine.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    // Another producer's record schema: a reader of another name cannot read it.
    engine.schemaRegistry!.register('t-value', 'AVRO', JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'X', type: 'string' }] }));
  });
  t.regex(message, /^Could not register schema for topic: Schema being registered is incompatible with an earlier schema for subject "t-value", details: \[.*\]; error code: 409$/s);
});
