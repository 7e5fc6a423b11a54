/**
 * reference/sql/data-definition.md: streams and tables with keys, a stream
 * over an existing topic (no PARTITIONS), HEADERS and HEADER('key') columns,
 * pseudocolumns. Differences that are the page's, as ksqlDB answers them
 * too: its `users` example misses a comma, its s5 omits the key column K1 of
 * s4 from the projection, and its s4 is declared twice.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('the page\'s statements in order', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s1 (
    k VARCHAR KEY,
    v1 INT,
    v2 VARCHAR
) WITH (
    kafka_topic = 's1',
    partitions = 3,
    value_format = 'json'
);`);
  // "If topic s2 already exists": without it, ksqlDB asks for PARTITIONS.
  t.regex(await tut.fail("CREATE STREAM s2 (k1 VARCHAR KEY, v1 VARCHAR) WITH (kafka_topic = 's2', value_format = 'json');"), /^Topic 's2' does not exist\. If you want to create a new topic for the stream please re-run the statement providing the required 'PARTITIONS' configuration/);
  await tut.run(`CREATE STREAM s2_topic (k1 VARCHAR KEY, v1 VARCHAR) WITH (kafka_topic = 's2', partitions = 2, value_format = 'json');
CREATE STREAM s2 (
    k1 VARCHAR KEY,
    v1 VARCHAR
) WITH (
    kafka_topic = 's2',
    value_format = 'json'
);
CREATE TABLE current_location (
    person VARCHAR PRIMARY KEY,
    location VARCHAR
) WITH (
    kafka_topic = 'current_location',
    partitions = 3,
    value_format = 'json'
);
CREATE STREAM s3_topic (k1 VARCHAR KEY, v1 VARCHAR) WITH (kafka_topic = 's3', partitions = 1, value_format = 'json');
CREATE STREAM s3 (
    k1 VARCHAR KEY,
    v1 VARCHAR
) WITH (
    kafka_topic = 's3',
    value_format = 'json'
);
CREATE STREAM s4_headers (
    k1 VARCHAR KEY,
    v1 VARCHAR,
    h1 ARRAY<STRUCT<key STRING, value BYTES>> HEADERS
) WITH (
    kafka_topic = 's3',
    value_format = 'json'
);
CREATE STREAM s4_topic (k1 VARCHAR KEY, v1 VARCHAR) WITH (kafka_topic = 's4', partitions = 1, value_format = 'json');
CREATE STREAM s4 (
    k1 VARCHAR KEY,
    v1 VARCHAR,
    h1 BYTES HEADER('abc')
) WITH (
    kafka_topic = 's4',
    value_format = 'json'
);`);
  t.regex(await tut.fail("CREATE STREAM s5 AS SELECT FROM_BYTES(h1, 'ascii') AS decoded FROM s4;"), /The query used to build `S5` must include the key column K1 in its projection/);
  await tut.run("CREATE STREAM s5 AS SELECT k1, FROM_BYTES(h1, 'ascii') AS decoded FROM s4;");
  t.regex(await tut.fail("INSERT INTO s4 VALUES ('abc', 'def', ARRAY[]);"), /Cannot insert into HEADER columns: H1/);
  await tut.run("INSERT INTO s1 (k, v1, v2) VALUES ('a', 1, 'x');");
  const rows = await tut.push('SELECT ROWTIME, * FROM s1 EMIT CHANGES;', 1);
  t.deepEqual(rows.columnNames, ['ROWTIME', 'K', 'V1', 'V2']);
  t.deepEqual(rows.rows[0]!.slice(1), ['a', 1, 'x']);
  t.regex(await tut.fail("CREATE TABLE users (id BIGINT PRIMARY KEY name VARCHAR) WITH (kafka_topic = 'users', partitions = 3, value_format = 'json');"), /Syntax Error/);
  await tut.run("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR) WITH (kafka_topic = 'users', partitions = 3, value_format = 'json');");
});
