/**
 * operate-and-deploy/schema-registry-integration.md and
 * schema-inference-with-id.md, with the embedded Schema Registry: the
 * schemas the pages register (each under its topic's subject), their
 * CREATE statements, DESCRIBE as the pages show it, and their errors.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { runShell } from '../cli/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({ start: { schemaRegistryPort: 0 } });

const PAGE_VIEW_WITH_DEFAULTS = '{"type":"record","name":"PageViewValueSchema","namespace":"io.confluent.ksql.avro_schemas",'
  + '"fields":[{"name":"page_name","type":"string","default":"abc"},{"name":"ts","type":"int","default":123}]}';
const PAGE_VIEW_REQUIRED = '{"type":"record","name":"PageViewValueSchema","namespace":"io.confluent.ksql.avro_schemas",'
  + '"fields":[{"name":"page_name","type":"string"},{"name":"ts","type":"int"}]}';

async function register(subject: string, schema: string): Promise<number> {
  const res = await fetch(`${h.server.schemaRegistry!.url}/subjects/${subject}/versions`, {
    method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schema }),
  });
  return ((await res.json()) as { id: number }).id;
}

async function describe(name: string): Promise<string> {
  const res = await runShell(['--server', h.url, '-e', `describe ${name};`]);
  if (res.code !== 0) throw new Error(res.stderr);
  return res.stdout;
}

test.serial('schema-registry-integration: inferred columns upper-cased, ROWVAL for an unwrapped value, a declared source leaves a registered subject alone', async (t) => {
  const tut = new Tutorial(h);
  await register('pageviews-avro-topic-value', PAGE_VIEW_WITH_DEFAULTS);
  await register('pageview-count-value', '"int"');
  await tut.run(`CREATE STREAM pageviews (
    pageId INT KEY
  ) WITH (
    KAFKA_TOPIC='pageviews-avro-topic',
    KEY_FORMAT='KAFKA',
    VALUE_FORMAT='AVRO',
    PARTITIONS=1
  );
CREATE TABLE pageview_count (
    pageId INT PRIMARY KEY
  ) WITH (
    KAFKA_TOPIC='pageview-count',
    KEY_FORMAT='KAFKA',
    VALUE_FORMAT='AVRO',
    WRAP_SINGLE_VALUE=false,
    PARTITIONS=1
  );`);
  t.true((await describe('pageviews')).startsWith(`Name                 : PAGEVIEWS
 Field     | Type                   
------------------------------------
 PAGEID    | INTEGER          (key) 
 PAGE_NAME | VARCHAR(STRING)        
 TS        | INTEGER                
------------------------------------
`));
  t.regex(await describe('pageview_count'), /\n PAGEID \| INTEGER {10}\(primary key\) \n ROWVAL \| INTEGER +\n/);

  // Columns declared on a topic whose subject has a schema: ksqlDB registers nothing (its producers own the subject).
  await tut.run(`CREATE STREAM pageviews_reduced (
    viewtime BIGINT,
    url VARCHAR
  ) WITH (
    KAFKA_TOPIC='pageviews-avro-topic',
    VALUE_FORMAT='AVRO'
  );`);
  const versions = await (await fetch(`${h.server.schemaRegistry!.url}/subjects/pageviews-avro-topic-value/versions`)).json();
  t.deepEqual(versions, [1]);

  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM pageviews_json (
    pageid VARCHAR KEY, 
    viewtime BIGINT, 
    userid VARCHAR
  ) WITH (
    KAFKA_TOPIC='pageviews_kafka_topic_json', 
    VALUE_FORMAT='JSON', PARTITIONS=1
  );
CREATE STREAM pageviews_avro
  WITH (VALUE_FORMAT = 'AVRO') AS
  SELECT * FROM pageviews_json;
INSERT INTO pageviews_json (pageid, viewtime, userid) VALUES ('home', 1, 'alice');`);
  const subjects = await (await fetch(`${h.server.schemaRegistry!.url}/subjects`)).json() as string[];
  t.true(subjects.includes('PAGEVIEWS_AVRO-value'));
  t.deepEqual((await tut.push('SELECT * FROM pageviews_avro EMIT CHANGES;', 1)).rows, [['home', 1, 'alice']]);
});

test.serial('schema-inference-with-id: columns keep the schema\'s names, a sink\'s schema id checks the projection, a NULL for a required field is refused', async (t) => {
  const tut = new Tutorial(h);
  const required = await register('pv-value', PAGE_VIEW_REQUIRED);
  const compatible = await register('new1-value', '{"type":"record","name":"PageViewNewSchema","namespace":"io.confluent.ksql.avro_schemas",'
    + '"fields":[{"name":"ts","type":"int","default":123},{"name":"title","type":"string","default":"title"}]}');
  const incompatible = await register('new2-value', '{"type":"record","name":"PageViewNewSchema","namespace":"io.confluent.ksql.avro_schemas",'
    + '"fields":[{"name":"pageId","type":"string","default":"id"},{"name":"ts","type":"int","default":123}]}');
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM pageviews_by_id (
    pageId INT KEY
  ) WITH (
    KAFKA_TOPIC='pageviews-by-id',
    KEY_FORMAT='KAFKA',
    VALUE_FORMAT='AVRO',
    VALUE_SCHEMA_ID=${required},
    PARTITIONS=1
  );`);
  t.regex(await describe('pageviews_by_id'), /\n PAGEID +\| INTEGER {10}\(key\) \n page_name \| VARCHAR\(STRING\) +\n ts +\| INTEGER +\n/);

  t.is(await tut.fail('insert into pageviews_by_id values (1, null, null);'),
    "Failed to insert values into 'PAGEVIEWS_BY_ID'. Could not serialize value: [ null | null ]. "
    + 'Failed to serialize value to topic: pageviews-by-id. Invalid value: null used for required field: "page_name", schema type: STRING');

  // The page selects `ts` unquoted, which names TS: the inferred column is `ts`.
  await tut.run(`INSERT INTO pageviews_by_id VALUES (2, 'home', 7);
CREATE STREAM pageviews_new
  WITH (
    VALUE_FORMAT='AVRO',
    VALUE_SCHEMA_ID=${compatible}
  ) AS 
  SELECT
    pageId,
    \`ts\`
  FROM pageviews_by_id;`);
  t.deepEqual((await tut.push('SELECT * FROM pageviews_new EMIT CHANGES;', 1)).rows, [[2, 7]]);
  t.is(await tut.fail(`CREATE STREAM pageviews_new2 WITH (VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=${incompatible}) AS SELECT pageId, \`ts\` FROM pageviews_by_id;`),
    'The following value columns are changed, missing or reordered: [`ts` INTEGER]. Schema from schema registry is [`pageId` STRING, `ts` INTEGER]');
});
