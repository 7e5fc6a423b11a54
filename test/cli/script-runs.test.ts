import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { runShell, tempDir } from './helpers.js';

const dir = tempDir();
const CREATE = "CREATE STREAM ORDERS (ID INT KEY, ITEM STRING) WITH (KAFKA_TOPIC='orders', PARTITIONS=1, VALUE_FORMAT='JSON');";

const h = useServer({
  afterStart: async (started) => {
    const created = await runShell(['--server', started.url, '-e', CREATE]);
    if (created.code !== 0) throw new Error(created.stderr);
  },
});

test('-e runs its statements, prints tables without terminal control codes and exits 0', async (t) => {
  const res = await runShell(['--server', h.url, '-e', 'SHOW STREAMS; SHOW TOPICS;']);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /^ Stream Name +\| Kafka Topic +\| Key Format \| Value Format \| Windowed *\n-+\n/);
  t.regex(res.stdout, / ORDERS +\| orders +\| KAFKA +\| JSON +\| false/);
  t.regex(res.stdout, / Kafka Topic +\| Partitions \| Partition Replicas/);
  t.notRegex(res.stdout, /\u001b/);
  t.is(res.stderr, '');
});

test('a failing statement stops a run with exit code 1, after the statements before it ran', async (t) => {
  const res = await runShell(['--server', h.url, '-e', 'SHOW TABLES; DROP STREAM NOPE; SHOW STREAMS;']);
  t.is(res.code, 1);
  t.regex(res.stdout, /Table Name/);
  t.notRegex(res.stdout, /Stream Name/);
  t.is(res.stderr.trim(), 'Stream NOPE does not exist.');
});

test('-f runs a script file with comments and multi-line statements', async (t) => {
  const file = join(dir, 'script.sql');
  writeFileSync(file, [
    '-- a stream of what was shipped',
    "CREATE STREAM SHIPPED AS SELECT ID, ITEM /* ; not the end */ FROM ORDERS",
    "  WHERE ITEM <> 'x;y';",
    'DESCRIBE SHIPPED;',
  ].join('\n'));
  const res = await runShell(['--server', h.url, '-f', file]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /Created query with ID CSAS_SHIPPED_\d+/);
  t.regex(res.stdout, /Name +: SHIPPED/);
});

test('a missing script file or bad arguments exit with 2', async (t) => {
  t.is((await runShell(['--server', h.url, '-f', join(dir, 'missing.sql')])).code, 2);
  t.is((await runShell(['--server', h.url, '--no-such-flag'])).code, 2);
  t.is((await runShell(['--server', h.url, '-e', 'SHOW STREAMS;', '-f', 'x.sql'])).code, 2);
  t.is((await runShell(['--output', 'XML', '-e', 'SHOW STREAMS;'])).code, 2);
});

test('a server that cannot be reached exits with 3', async (t) => {
  const res = await runShell(['--server', 'http://127.0.0.1:1', '-e', 'SHOW STREAMS;']);
  t.is(res.code, 3);
  t.regex(res.stderr, /Could not connect to the server at http:\/\/127\.0\.0\.1:1/);
});

test('--define and DEFINE give variables that statements use', async (t) => {
  const res = await runShell(['--server', h.url, '--define', 'src=ORDERS', '-e', "DESCRIBE ${src}; DEFINE other = 'SHIPPED'; SHOW VARIABLES; UNDEFINE src; SHOW VARIABLES;"]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /Name +: ORDERS/);
  // Listed by name ignoring case, as ksqlDB's shell keeps them (a case-insensitive TreeMap).
  t.regex(res.stdout, /other +\| SHIPPED *\n src +\| ORDERS[\s\S]*Variable Name \| Value *\n-+\n other +\| SHIPPED *\n-+\n?$/);
});

test('OUTPUT JSON prints the entities as JSON', async (t) => {
  const res = await runShell(['--server', h.url, '-e', 'OUTPUT JSON; SHOW STREAMS;']);
  t.is(res.code, 0, res.stderr);
  const [first, ...rest] = res.stdout.split('\n');
  t.is(first, 'Output format set to JSON');
  const entity = JSON.parse(rest.join('\n')) as { '@type': string; streams: { name: string }[] };
  t.is(entity['@type'], 'streams');
  t.true(entity.streams.some((s) => s.name === 'ORDERS'));
});

test('RUN SCRIPT runs a file and SPOOL copies commands and output to a file', async (t) => {
  const script = join(dir, 'run.sql');
  writeFileSync(script, 'SHOW TOPICS;\n');
  const spool = join(dir, 'spool.txt');
  const res = await runShell(['--server', h.url, '-e', `SPOOL '${spool}'; RUN SCRIPT '${script}'; SPOOL OFF; SHOW STREAMS;`]);
  t.is(res.code, 0, res.stderr);
  const spooled = readFileSync(spool, 'utf8');
  t.regex(spooled, /ksql> SHOW TOPICS;\n Kafka Topic/);
  t.notRegex(spooled, /Stream Name/);
  t.regex(res.stdout, /Stream Name/);
});

test('statements piped to stdin run as a script', async (t) => {
  const res = await runShell(['--server', h.url], 'SHOW STREAMS;\nSELEC 1;\n');
  t.is(res.code, 1);
  t.regex(res.stdout, /Stream Name/);
  t.regex(res.stderr, /line 1:1: Syntax Error[\s\S]*\n\^/);
});

test('variables are substituted in the commands the shell runs itself, and HELP lists those commands', async (t) => {
  const script = join(dir, 'vars.sql');
  writeFileSync(script, 'SHOW STREAMS;\n');
  const res = await runShell(['--server', h.url, '--define', `dir=${dir}`, '-e', "RUN SCRIPT '${dir}/vars.sql'; HELP;"]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /Stream Name[\s\S]*Commands the shell runs itself:/);
});

test('--config-file sets query properties for the session', async (t) => {
  const config = join(dir, 'cli.properties');
  writeFileSync(config, '# session properties\nauto.offset.reset=earliest\n');
  const res = await runShell(['--server', h.url, '--config-file', config, '-e', 'CREATE STREAM FROM_START AS SELECT * FROM ORDERS; SHOW QUERIES;']);
  t.is(res.code, 0, res.stderr);
  const id = /Created query with ID (CSAS_FROM_START_\d+)/.exec(res.stdout)![1]!;
  const explained = await runShell(['--server', h.url, '-e', `EXPLAIN ${id};`]);
  t.regex(explained.stdout, /Overridden Properties\n-{21}\n Property +\| Value *\n-+\n auto\.offset\.reset \| earliest/);
  t.is((await runShell(['--server', h.url, '--config-file', join(dir, 'none.properties'), '-e', 'SHOW STREAMS;'])).code, 2);
});

test('ASSERT TOPIC results print as ksqlDB\'s CLI prints them', async (t) => {
  const res = await runShell(['--server', h.url, '-e', "ASSERT TOPIC 'orders'; ASSERT NOT EXISTS TOPIC 'nope';"]);
  t.is(res.code, 0, res.stderr);
  t.regex(res.stdout, /^Topic orders exists\.$/m);
  t.regex(res.stdout, /^Topic nope does not exist\.$/m);
});
