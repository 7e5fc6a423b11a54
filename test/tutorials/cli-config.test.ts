/**
 * operate-and-deploy/installation/cli-config.md: the shell started with the
 * page's flags, each with `--` before the server's URL as the page writes
 * them: `--execute`, `--define` with `--file`, `--config-file` (its
 * properties are the session's first SETs), and ksqlDB CLI's
 * `--query-row-limit` and `--query-timeout`, which end a query's output
 * after so many rows or milliseconds ("Query terminated", as ksqlDB's CLI).
 * `-u`/`-p` are in test/cli/basic-auth.test.ts.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runShell, tempDir } from '../cli/helpers.js';
import { useServer } from '../server/helpers.js';
import { removeDir } from '../helpers/temp-dir.js';

const h = useServer({
  statements: [
    "CREATE STREAM pageviews (userid VARCHAR, pageid VARCHAR) WITH (kafka_topic='pageviews', partitions=1, value_format='json');",
    "INSERT INTO pageviews (userid, pageid) VALUES ('alice', 'home');",
    "INSERT INTO pageviews (userid, pageid) VALUES ('bob', 'docs');",
    "INSERT INTO pageviews (userid, pageid) VALUES ('carol', 'blog');",
  ],
});

const dir = tempDir();
test.after.always(() => removeDir(dir));

test('--execute "SHOW STREAMS;" -- <url>', async (t) => {
  const res = await runShell(['--execute', 'SHOW STREAMS;', '--', h.url]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /^ Stream Name +\| Kafka Topic +\| Key Format +\| Value Format +\| Windowed *\n-+\n PAGEVIEWS +\| pageviews +\| KAFKA +\| JSON +\| false *\n/);
});

test('--define topic=my_topic --file statements.sql -- <url> creates a stream over my_topic', async (t) => {
  const file = join(dir, 'statements.sql');
  writeFileSync(file, "CREATE STREAM my_stream (id INT) with (kafka_topic='${topic}', value_format='JSON', partitions=1);\n");
  const res = await runShell(['--define', 'stream_name=my_stream', '--define', 'topic=my_topic', '--file', file, '--', h.url]);
  t.is(res.code, 0, res.stderr);
  const described = await runShell(['-e', 'DESCRIBE my_stream EXTENDED;', h.url]);
  t.regex(described.stdout, /Kafka topic {10}: my_topic /);
});

test('--config-file: ksql.streams.auto.offset.reset=earliest reads the stream from its start; --query-row-limit ends the query after 2 rows', async (t) => {
  const file = join(dir, 'cli.properties');
  writeFileSync(file, 'ksql.streams.auto.offset.reset=earliest\n');
  const res = await runShell(['--config-file', file, '--query-row-limit', '2', '--execute', 'SELECT userid FROM pageviews EMIT CHANGES;', '--', h.url]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /\|USERID +\|\n\+-+\+\n\|alice +\|\n\|bob +\|\n\+-+\+\nQuery terminated\n$/);
});

test('--query-timeout ends a push query that has no more rows after that many milliseconds', async (t) => {
  const res = await runShell(['--query-timeout', '500', '--execute', 'SELECT userid FROM pageviews EMIT CHANGES;', '--', h.url]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /Query terminated\n$/);
});

test('a limit or timeout that is not a whole number of at least 1 is a usage error', async (t) => {
  t.is((await runShell(['--query-row-limit', '0', '-e', 'SHOW STREAMS;', h.url])).code, 2);
  t.is((await runShell(['--query-timeout', 'soon', '-e', 'SHOW STREAMS;', h.url])).code, 2);
});
