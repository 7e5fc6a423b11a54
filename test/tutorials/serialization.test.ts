/**
 * reference/serialization.md: key formats (NONE, KAFKA, DELIMITED multi-
 * column keys), a custom delimiter, single-field (un)wrapping in JSON and
 * AVRO and its refusals, seen on the topics through PRINT (passes as
 * written).
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { postStreamHttp1 } from '../server/stream-helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({ start: { schemaRegistryPort: 0 } });

async function printed(topic: string): Promise<string> {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: `PRINT '${topic}' FROM BEGINNING LIMIT 1;` }));
  await res.ended;
  return res.text().replace(/^rowtime: [^,]+, /, '').trim();
}

test.serial('key formats and a custom delimiter', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM KEYLESS_STREAM (
    VAL STRING
  ) WITH (
    KEY_FORMAT='NONE',
    VALUE_FORMAT='JSON',
    KAFKA_TOPIC='foo', PARTITIONS=1
  );
CREATE TABLE T WITH (KEY_FORMAT='KAFKA') AS 
  SELECT VAL, COUNT() FROM KEYLESS_STREAM
  GROUP BY VAL;
INSERT INTO KEYLESS_STREAM (VAL) VALUES ('v1');
CREATE STREAM delim_stream (f1 STRING, f2 STRING) with (KAFKA_TOPIC='delim', FORMAT='DELIMITED', VALUE_DELIMITER='☺', PARTITIONS=1);
INSERT INTO delim_stream (f1, f2) VALUES ('a', 'b');
CREATE STREAM x (ORGID BIGINT KEY, ID BIGINT KEY, NAME STRING, AGE INT) WITH (FORMAT='DELIMITED', KAFKA_TOPIC='x', PARTITIONS=1);
INSERT INTO x (ORGID, ID, NAME, AGE) VALUES (1, 2, 'bob', 49);`);
  t.is(await printed('foo'), 'key: <null>, value: {"VAL":"v1"}, partition: 0');
  t.is(await printed('T'), 'key: v1, value: {"KSQL_COL_0":1}, partition: 0');
  t.is(await printed('delim'), 'key: <null>, value: a☺b, partition: 0');
  t.is(await printed('x'), 'key: 1,2, value: bob,49, partition: 0');
});

test.serial('single-field unwrapping in JSON and AVRO, and its refusal for several fields', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM xj (ID BIGINT, NAME STRING, AGE INT) WITH (VALUE_FORMAT='JSON', KAFKA_TOPIC='xj', PARTITIONS=1);
CREATE STREAM y WITH (WRAP_SINGLE_VALUE=false) AS SELECT id FROM xj EMIT CHANGES;
CREATE STREAM y_wrapped AS SELECT id FROM xj EMIT CHANGES;
INSERT INTO xj (ID, NAME, AGE) VALUES (10, 'bob', 49);
CREATE STREAM xa (ID BIGINT) WITH (VALUE_FORMAT='AVRO', WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='xa', PARTITIONS=1);
INSERT INTO xa (ID) VALUES (134);
CREATE TABLE TRADES (
    ID INT PRIMARY KEY, 
    VALUE INT
  ) WITH (
    WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='trades', VALUE_FORMAT='JSON', PARTITIONS=1
  );
INSERT INTO TRADES (ID, VALUE) VALUES (1, 134);`);
  t.is(await printed('Y'), 'key: <null>, value: 10, partition: 0');
  t.is(await printed('Y_WRAPPED'), 'key: <null>, value: {"ID":10}, partition: 0');
  t.is(await printed('xa'), 'key: <null>, value: 134, partition: 0');
  t.is(await printed('trades'), 'key: 1, value: 134, partition: 0');
  const schema = await (await fetch(`${h.server.schemaRegistry!.url}/subjects/xa-value/versions/latest`)).json() as { schema: string };
  t.deepEqual(JSON.parse(schema.schema), 'long');
  t.is(await tut.fail("CREATE STREAM BAD_SOURCE (ID INT, NAME STRING) WITH (WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='bad', VALUE_FORMAT='JSON', PARTITIONS=1);"),
    "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  t.regex(await tut.fail('CREATE STREAM BAD_SINK WITH(WRAP_SINGLE_VALUE=true) AS SELECT ID, NAME FROM xj EMIT CHANGES;'),
    /^'WRAP_SINGLE_VALUE' is only valid for single-field value schemas/);
});
