/**
 * developer-guide/ksqldb-reference/create-stream.md and create-table.md:
 * every example, on topics that exist (as the pages assume) and with the
 * schemas they load registered in the embedded Schema Registry: value
 * columns of a JSON_SR subject, and schemas named by KEY_SCHEMA_ID (an Avro
 * `long`, id 1 as on the pages: a single key is unwrapped, so its column is
 * ROWKEY) and VALUE_SCHEMA_ID (id 2). Both pages pass as written.
 */
import test from 'ava';
import { runSqlOrThrow, useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({ start: { schemaRegistryPort: 0 }, afterStart: registerAndCreateTopics });

async function register(subject: string, schema: string, schemaType?: string): Promise<number> {
  const res = await fetch(`${h.server.schemaRegistry!.url}/subjects/${subject}/versions`, {
    method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schema, ...(schemaType === undefined ? {} : { schemaType }) }),
  });
  return ((await res.json()) as { id: number }).id;
}

function jsonObject(properties: Record<string, string>): string {
  return JSON.stringify({ type: 'object', properties: Object.fromEntries(Object.entries(properties).map(([name, type]) => [name, { type }])) });
}

interface Field { readonly name: string; readonly schema: { readonly type: string }; readonly type?: string }

/** DESCRIBE's columns as `NAME TYPE[ KEY]`, joined by '; '. */
async function columns(name: string): Promise<string> {
  const res = await runSqlOrThrow(h, `DESCRIBE ${name};`);
  const fields = (res.body as { sourceDescription: { fields: Field[] } }[])[0]!.sourceDescription.fields;
  return fields.map((f) => `${f.name} ${f.schema.type}${f.type === 'KEY' ? ' KEY' : ''}`).join('; ');
}

async function registerAndCreateTopics(): Promise<void> {
  await register('pageviews-key', '"long"');
  await register('keyed-pageviews-topic-value', jsonObject({ VIEWTIME: 'integer', USER_ID: 'string' }), 'JSON');
  await register('keyless-pageviews-topic-value', jsonObject({ PAGE_ID: 'integer', VIEWTIME: 'integer', USER_ID: 'string' }), 'JSON');
  await register('my-users-topic-value', jsonObject({ USERTIMESTAMP: 'integer', GENDER: 'string', REGION_ID: 'string' }), 'JSON');
  await new Tutorial(h).run(`CREATE STREAM topics1 (v INT) WITH (KAFKA_TOPIC='keyless-pageviews-topic', PARTITIONS=1, VALUE_FORMAT='JSON');
CREATE STREAM topics2 (v INT) WITH (KAFKA_TOPIC='keyed-pageviews-topic', PARTITIONS=1, VALUE_FORMAT='JSON');
CREATE STREAM topics3 (v INT) WITH (KAFKA_TOPIC='my-users-topic', PARTITIONS=1, VALUE_FORMAT='JSON');`);
}

test.serial('create-stream.md', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`-- stream with a page_id column loaded from the kafka message value:
CREATE STREAM pageviews (
    page_id BIGINT,
    viewtime BIGINT,
    user_id VARCHAR
  ) WITH (
    KAFKA_TOPIC = 'keyless-pageviews-topic',
    VALUE_FORMAT = 'JSON'
  );`);
  t.is(await columns('pageviews'), 'PAGE_ID BIGINT; VIEWTIME BIGINT; USER_ID STRING');
  await tut.run(`DROP STREAM pageviews;
-- stream with a page_id column loaded from the kafka message key:
CREATE STREAM pageviews (
    page_id BIGINT KEY,
    viewtime BIGINT,
    user_id VARCHAR
  ) WITH (
    KAFKA_TOPIC = 'keyed-pageviews-topic',
    VALUE_FORMAT = 'JSON'
  );`);
  t.is(await columns('pageviews'), 'PAGE_ID BIGINT KEY; VIEWTIME BIGINT; USER_ID STRING');
  await tut.run(`DROP STREAM pageviews;
-- keyless stream, with value columns loaded from Schema Registry:
CREATE STREAM pageviews WITH (
    KAFKA_TOPIC = 'keyless-pageviews-topic',
    VALUE_FORMAT = 'JSON_SR'
  );`);
  t.is(await columns('pageviews'), 'PAGE_ID BIGINT; VIEWTIME BIGINT; USER_ID STRING');
  await tut.run(`DROP STREAM pageviews;
-- keyed stream, with value columns loaded from Schema Registry:
CREATE STREAM pageviews (
    page_id BIGINT KEY
  ) WITH (
    KAFKA_TOPIC = 'keyed-pageviews-topic',
    VALUE_FORMAT = 'JSON_SR'
  );`);
  t.is(await columns('pageviews'), 'PAGE_ID BIGINT KEY; VIEWTIME BIGINT; USER_ID STRING');
  await tut.run(`DROP STREAM pageviews;
-- Stream with key column loaded from Schema Registry by specifying KEY_SCHEMA_ID:
CREATE STREAM pageviews (
    viewtime BIGINT,
    user_id VARCHAR
  ) WITH (
    KAFKA_TOPIC = 'keyless-pageviews-topic',
    KEY_FORMAT = 'AVRO',
    KEY_SCHEMA_ID = 1,
    VALUE_FORMAT = 'JSON_SR'
  );`);
  t.is(await columns('pageviews'), 'ROWKEY BIGINT KEY; VIEWTIME BIGINT; USER_ID STRING');
  await tut.run(`DROP STREAM pageviews;
-- Stream with value column loaded from Schema Registry by specifying VALUE_SCHEMA_ID:
CREATE STREAM pageviews (
    page_id BIGINT KEY
  ) WITH (
    KAFKA_TOPIC = 'keyed-pageviews-topic',
    VALUE_FORMAT = 'JSON_SR',
    VALUE_SCHEMA_ID = 2
  );`);
  t.is(await columns('pageviews'), 'PAGE_ID BIGINT KEY; VIEWTIME BIGINT; USER_ID STRING');
});

test.serial('create-table.md', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`-- table with declared columns: 
CREATE TABLE users (
     id BIGINT PRIMARY KEY,
     usertimestamp BIGINT,
     gender VARCHAR,
     region_id VARCHAR
   ) WITH (
     KAFKA_TOPIC = 'my-users-topic', 
     VALUE_FORMAT = 'JSON'
   );`);
  const declared = 'ID BIGINT KEY; USERTIMESTAMP BIGINT; GENDER STRING; REGION_ID STRING';
  t.is(await columns('users'), declared);
  await tut.run(`DROP TABLE users;
-- table with value columns loaded from Schema Registry: 
CREATE TABLE users (
     id BIGINT PRIMARY KEY
   ) WITH (
     KAFKA_TOPIC = 'my-users-topic', 
     VALUE_FORMAT = 'JSON_SR'
   );`);
  t.is(await columns('users'), declared);
  await tut.run(`DROP TABLE users;
-- table with value columns loaded from Schema Registry with VALUE_SCHEMA_ID: 
CREATE TABLE users (
     id BIGINT PRIMARY KEY
   ) WITH (
     KAFKA_TOPIC = 'my-users-topic', 
     VALUE_FORMAT = 'JSON_SR',
     VALUE_SCHEMA_ID =2
   );`);
  t.is(await columns('users'), 'ID BIGINT KEY; VIEWTIME BIGINT; USER_ID STRING');
  await tut.run(`DROP TABLE users;
-- table with key columns loaded from Schema Registry with KEY_SCHEMA_ID: 
CREATE TABLE users (
     usertimestamp BIGINT,
     gender VARCHAR,
     region_id VARCHAR
   ) WITH (
     KAFKA_TOPIC = 'my-users-topic', 
     KEY_FORMAT = 'AVRO',
     KEY_SCHEMA_ID = 1,
     VALUE_FORMAT = 'JSON_SR'
   );`);
  t.is(await columns('users'), 'ROWKEY BIGINT KEY; USERTIMESTAMP BIGINT; GENDER STRING; REGION_ID STRING');
});
