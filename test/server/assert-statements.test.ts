import test from 'ava';
import { CREATE_CLICKS, runSql, runSqlOrThrow, useServer } from './helpers.js';

const h = useServer({ start: { schemaRegistryPort: 0 }, statements: [CREATE_CLICKS] });

test.serial('ASSERT TOPIC answers an assert_topic entity when the topic exists with the partitions and replicas asked', async (t) => {
  const res = await runSql(h, "ASSERT TOPIC 'clicks' WITH (PARTITIONS=2, REPLICAS=1); ASSERT NOT EXISTS TOPIC 'nope';");
  t.is(res.status, 200);
  t.deepEqual(res.body, [
    { '@type': 'assert_topic', statementText: "ASSERT TOPIC 'clicks' WITH (PARTITIONS=2, REPLICAS=1);", topicName: 'clicks', exists: true, warnings: [] },
    { '@type': 'assert_topic', statementText: "ASSERT NOT EXISTS TOPIC 'nope';", topicName: 'nope', exists: false, warnings: [] },
  ]);
});

test.serial('a failed ASSERT TOPIC (an unquoted name is upper-cased) answers 417 with ksqlDB\'s error 41700 and messages, after its timeout', async (t) => {
  const started = Date.now();
  const missing = await runSql(h, 'ASSERT TOPIC nope TIMEOUT 300 MILLISECONDS;');
  t.true(Date.now() - started >= 300, 'the assertion is retried until its timeout');
  t.is(missing.status, 417);
  t.deepEqual(missing.body, { '@type': 'generic_error', error_code: 41700, message: 'Topic NOPE does not exist' });
  const exists = await runSql(h, "ASSERT NOT EXISTS TOPIC 'clicks' TIMEOUT 0 SECONDS;");
  t.deepEqual(exists.body, { '@type': 'generic_error', error_code: 41700, message: 'Topic clicks exists' });
  const mismatch = await runSql(h, "ASSERT TOPIC 'clicks' WITH (PARTITIONS=3, REPLICAS='1', CLEANUP_POLICY='compact') TIMEOUT 0 SECONDS;");
  t.is(mismatch.status, 417);
  t.is(mismatch.body.message, [
    'Mismatched configuration for topic clicks: For config partitions, expected 3 got 2',
    'Mismatched configuration for topic clicks: For config replicas, expected 1 got 1',
    'Cannot assert unknown topic property: CLEANUP_POLICY',
  ].join('\n'));
});

test.serial('ASSERT TOPIC waits without blocking the server: a topic created meanwhile makes it hold', async (t) => {
  const assertion = runSql(h, "ASSERT TOPIC 'later' TIMEOUT 30 SECONDS;");
  await new Promise((resolve) => setTimeout(resolve, 300));
  await runSqlOrThrow(h, "CREATE STREAM LATER (V INT) WITH (KAFKA_TOPIC='later', PARTITIONS=1, VALUE_FORMAT='JSON');");
  const res = await assertion;
  t.is(res.status, 200);
  t.is(res.body[0].topicName, 'later');
});

test.serial('ASSERT SCHEMA checks the registry by subject, by id, or both', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM AV (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='av', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');");
  const ok = await runSql(h, "ASSERT SCHEMA SUBJECT 'av-value'; ASSERT NOT EXISTS SCHEMA SUBJECT 'nope-value'; ASSERT NOT EXISTS SCHEMA ID 9999;");
  t.is(ok.status, 200);
  t.deepEqual(ok.body[0], { '@type': 'assert_schema', statementText: "ASSERT SCHEMA SUBJECT 'av-value';", subject: 'av-value', id: null, exists: true, warnings: [] });
  t.deepEqual(ok.body[2], { '@type': 'assert_schema', statementText: 'ASSERT NOT EXISTS SCHEMA ID 9999;', subject: null, id: 9999, exists: false, warnings: [] });
  const missing = await runSql(h, "ASSERT SCHEMA SUBJECT 'nope-value' ID 9999 TIMEOUT 0 SECONDS;");
  t.is(missing.status, 417);
  t.deepEqual(missing.body, { '@type': 'generic_error', error_code: 41700, message: 'Schema with subject name nope-value id 9999 does not exist' });
  const present = await runSql(h, "ASSERT NOT EXISTS SCHEMA SUBJECT 'av-value' TIMEOUT 0 SECONDS;");
  t.deepEqual(present.body, { '@type': 'generic_error', error_code: 41700, message: 'Schema with subject name av-value exists' });
});

test.serial('connector statements answer ksqlDB\'s error for a Connect cluster it cannot reach', async (t) => {
  for (const sql of [
    'SHOW CONNECTORS;', 'SHOW SOURCE CONNECTORS;', 'SHOW CONNECTOR PLUGINS;', 'DESCRIBE CONNECTOR c;', 'DROP CONNECTOR IF EXISTS c;',
    "CREATE SOURCE CONNECTOR c WITH ('connector.class'='FileStreamSource');",
  ]) {
    const res = await runSql(h, sql);
    t.is(res.status, 500, sql);
    t.is(res.body['@type'], 'statement_error');
    t.is(res.body.error_code, 50000);
    t.is(res.body.statementText, sql);
    t.is(res.body.message, 'io.confluent.ksql.util.KsqlServerException: org.apache.hc.client5.http.HttpHostConnectException: '
      + 'Connect to http://localhost:8083 failed: Connection refused\n'
      + 'Caused by: Could not connect to the server. Please check the server details are\n\tcorrect and that the server is running.');
  }
});
