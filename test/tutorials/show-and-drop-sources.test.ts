/**
 * developer-guide/ksqldb-reference/show-streams.md, show-tables.md,
 * show-topics.md, drop-stream.md and drop-table.md through the shell. SHOW
 * STREAMS|TABLES EXTENDED print every source's extended description, as
 * ksqlDB's CLI does with the list of descriptions its server answers. The
 * topics pages' column "Replicas" is "Partition Replicas" in ksqlDB's
 * current CLI, as here; SHOW ALL TOPICS lists no changelog topics, as the
 * stores live in the log's database, not in topics.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { runShell, shellOutput } from '../cli/helpers.js';

const h = useServer({
  statements: [
    "CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR) WITH (kafka_topic='users', partitions=1, value_format='json');",
    "CREATE STREAM pageviews (pageid VARCHAR, userid VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='json');",
    'CREATE TABLE user_views AS SELECT userid, COUNT(*) AS views FROM pageviews GROUP BY userid;',
  ],
});

const shell = (sql: string): Promise<string> => shellOutput(h.url, sql);

test.serial('SHOW STREAMS, LIST TABLES and their EXTENDED forms', async (t) => {
  const out = await shell('SHOW STREAMS; LIST STREAMS EXTENDED; LIST TABLES; SHOW TABLES EXTENDED;');
  t.regex(out, /^ Stream Name \| Kafka Topic \| Key Format \| Value Format \| Windowed \n-+\n PAGEVIEWS {3}\| pageviews {3}\| KAFKA {6}\| JSON {9}\| false {4}\n-+\n/);
  t.regex(out, /\nName {17}: PAGEVIEWS\nType {17}: STREAM\nTimestamp field {6}: Not set - using <ROWTIME>\nKey format {11}: KAFKA\nValue format {9}: JSON\nKafka topic {10}: pageviews \(partitions: 1, replication: 1\)\n/);
  t.regex(out, /\nQueries that read from this STREAM\n-+\nCTAS_USER_VIEWS_0 \(RUNNING\) : CREATE TABLE user_views AS /);
  t.regex(out, /\n Table Name +\| Kafka Topic +\| Key Format \| Value Format \| Windowed \n-+\n USERS +\| users +\| KAFKA +\| JSON +\| false +\n USER_VIEWS +\| USER_VIEWS +\| KAFKA +\| JSON +\| false +\n-+\n/);
  t.regex(out, /\nName {17}: USERS\nType {17}: TABLE\n[^]*\nName {17}: USER_VIEWS\nType {17}: TABLE\n[^]*\nQueries that write from this TABLE\n-+\nCTAS_USER_VIEWS_0 \(RUNNING\)/);
});

test.serial('SHOW TOPICS and SHOW ALL TOPICS', async (t) => {
  const out = await shell('SHOW TOPICS; SHOW ALL TOPICS;');
  t.regex(out, /^ Kafka Topic +\| Partitions \| Partition Replicas \n-+\n USER_VIEWS +\| 1 +\| 1 +\n default_ksql_processing_log \| 1 +\| 1 +\n pageviews +\| 1 +\| 1 +\n users +\| 1 +\| 1 +\n-+\n/);
  t.regex(out, /\n _confluent-ksql-default__command_topic +\| 1 +\| 1 +\n _confluent-ksql-default_query_CTAS_USER_VIEWS_0-Aggregate-GroupBy-repartition \| 1 +\| 1 +\n/);
});

test.serial('DROP STREAM and DROP TABLE, with IF EXISTS and DELETE TOPIC', async (t) => {
  const res = await runShell(['--server', h.url, '-e', `CREATE STREAM doomed (v INT) WITH (kafka_topic='doomed', partitions=1, value_format='json');
DROP STREAM doomed DELETE TOPIC;
DROP STREAM IF EXISTS doomed;
DROP TABLE IF EXISTS nope;
SHOW TOPICS;
DROP TABLE users;
DROP STREAM doomed;`]);
  t.regex(res.stdout, / Source `DOOMED` \(topic: doomed\) was dropped\. \n/);
  t.regex(res.stdout, / Source `DOOMED` does not exist\. \n[^]* Source `NOPE` does not exist\. \n/);
  t.notRegex(res.stdout, / doomed +\| 1/);
  t.regex(res.stdout, / Source `USERS` \(topic: users\) was dropped\. \n/);
  t.regex(res.stderr, /Stream DOOMED does not exist\./);
});
