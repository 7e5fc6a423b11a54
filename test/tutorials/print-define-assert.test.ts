/**
 * developer-guide/ksqldb-reference/print.md, define.md, assert-topic.md and
 * assert-schema.md through the shell, as their examples run (passes as
 * written): PRINT names the formats it guesses, DEFINE's triple quotes keep
 * the value's quotes, ASSERT prints one sentence.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { runShell } from '../cli/helpers.js';

const h = useServer({
  start: { schemaRegistryPort: 0 },
  statements: [
    "CREATE STREAM riderLocations (profileId VARCHAR, latitude DOUBLE, longitude DOUBLE) WITH (kafka_topic='rider-locations', value_format='json', partitions=1);",
    "INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('c2309eec', 37.7877, -122.4205);",
  ],
});

test('PRINT, DEFINE and ASSERT as the pages show them', async (t) => {
  const res = await runShell(['--server', h.url, '-e', `PRINT 'rider-locations' FROM BEGINNING LIMIT 1;
DEFINE replicas = '3';
DEFINE format = 'JSON';
DEFINE name = 'Tom Sawyer';
DEFINE topicName = '''my_topic''';
SHOW VARIABLES;
CREATE STREAM people (name VARCHAR) WITH (kafka_topic=\${topicName}, partitions=1, value_format='\${format}');
ASSERT TOPIC 'my_topic' WITH (PARTITIONS=1);
ASSERT NOT EXISTS TOPIC 'nope' TIMEOUT 1 SECONDS;
ASSERT NOT EXISTS SCHEMA SUBJECT 'nope-value';`]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /^Key format: ¯\\_\(ツ\)_\/¯ - no data processed\nValue format: JSON or KAFKA_STRING\nrowtime: [^,]+, key: <null>, value: \{"PROFILEID":"c2309eec","LATITUDE":37\.7877,"LONGITUDE":-122\.4205\}, partition: 0\n/);
  t.regex(res.stdout, / format +\| JSON +\n name +\| Tom Sawyer +\n replicas +\| 3 +\n topicName +\| 'my_topic' +\n/);
  t.regex(res.stdout, /\nTopic my_topic exists\.\nTopic nope does not exist\.\nSchema with subject nope-value does not exist\.\n/);
});
