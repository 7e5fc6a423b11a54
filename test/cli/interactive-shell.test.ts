import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { PtyShell, tempDir } from './helpers.js';

const home = tempDir();
const shells: PtyShell[] = [];
const h = useServer({
  beforeStop: () => {
    for (const shell of shells) shell.kill();
  },
});

function openShell(historyFile = join(home, 'history')): PtyShell {
  const shell = new PtyShell(['--server', h.url], { KSQLITE_HISTORY_FILE: historyFile });
  shells.push(shell);
  return shell;
}

test.serial('the shell greets with the server version and status, then prompts', async (t) => {
  const shell = openShell();
  const banner = await shell.waitFor('ksql> ');
  t.regex(banner, new RegExp(`Server v0\\.29\\.0 located at ${h.url.replace(/\./g, '\\.')}`));
  t.regex(banner, /Server Status: RUNNING/);
  t.is(await shell.exit(), 0);
});

test.serial('a statement typed over several lines runs when its semicolon comes, and a multi-line CSAS starts its query', async (t) => {
  const shell = openShell();
  await shell.waitFor('ksql> ');
  let mark = shell.text.length;
  shell.write('CREATE STREAM CLICKS (ID INT KEY, URL STRING, REFERRER STRING)\r');
  await shell.waitFor('    > ', mark);
  shell.write("  WITH (KAFKA_TOPIC='clicks', PARTITIONS=1, VALUE_FORMAT='JSON'); -- the source\r");
  await shell.waitFor('Stream created', mark);
  mark = shell.text.length;
  shell.write('CREATE STREAM LONG_URLS AS\r');
  shell.write('  SELECT ID, URL\r');
  shell.write('  FROM CLICKS\r');
  shell.write('  WHERE LEN(URL) > 3;\r');
  const out = await shell.waitFor(/Created query with ID CSAS_LONG_URLS_\d+/, mark);
  t.regex(out, /-+\n Created query with ID CSAS_LONG_URLS_\d+ *\n-+/);
  t.is(await shell.exit(), 0);
});

test.serial('Tab completes keywords and the names of streams, columns and functions fetched from the server', async (t) => {
  const shell = openShell();
  await shell.waitFor('ksql> ');
  const mark = shell.text.length;
  shell.write('DESCR\t');
  await shell.waitFor('DESCRIBE', mark);
  shell.write(' LONG_U\t');
  await shell.waitFor('DESCRIBE LONG_URLS', mark);
  shell.write(';\r');
  const out = await shell.waitFor(/Field \| Type[\s\S]*For runtime statistics/, mark);
  t.regex(out, /Name\s+: LONG_URLS/);
  const mark2 = shell.text.length;
  shell.write('select ucas\t');
  await shell.waitFor('select ucase', mark2);
  shell.write('(REFE\t');
  await shell.waitFor('select ucase(REFERRER', mark2);
  shell.write('\u0003');
  await shell.waitFor('ksql> ', mark2);
  t.is(await shell.exit(), 0);
});

test.serial('a syntax error shows the message and a caret under the offending token', async (t) => {
  const shell = openShell();
  await shell.waitFor('ksql> ');
  const mark = shell.text.length;
  shell.write('INSERT INTO CLICKS (ID, URL)\r');
  shell.write('  VALUES (1, );\r');
  const out = await shell.waitFor(/\n *\^/, mark);
  t.regex(out, /line 2:14: Syntax Error/);
  const lines = out.split('\n');
  const caretLine = lines.findIndex((l) => /^ *\^ *$/.test(l));
  const source = lines[caretLine - 1]!;
  t.is(source.trimEnd(), '  VALUES (1, );');
  t.is(lines[caretLine]!.indexOf('^'), 13);
  t.is(lines[caretLine]!.indexOf('^'), source.indexOf(')'));
  await shell.waitFor(/ksql> $/, mark);
  t.is(await shell.exit(), 0);
});

test.serial('Ctrl-C drops a half-typed statement and keeps the shell', async (t) => {
  const shell = openShell();
  await shell.waitFor('ksql> ');
  const mark = shell.text.length;
  shell.write('SHOW\r');
  await shell.waitFor('    > ', mark);
  shell.write('\u0003');
  await shell.waitFor(/\^C\nksql> $/, mark);
  shell.write('SHOW STREAMS;\r');
  const out = await shell.waitFor(/Stream Name[\s\S]*CLICKS[\s\S]*ksql> $/, mark);
  t.notRegex(out, /Syntax Error/);
  t.is(await shell.exit(), 0);
});

test.serial('the history is saved to the history file, a multi-line statement as one entry, and comes back in the next session', async (t) => {
  const historyFile = join(tempDir(), 'history');
  const first = openShell(historyFile);
  await first.waitFor('ksql> ');
  first.write('SHOW\r');
  first.write('  TOPICS;\r');
  await first.waitFor('Kafka Topic');
  first.write('SHOW STREAMS;\r');
  await first.waitFor('Stream Name');
  t.is(await first.exit(), 0);
  t.deepEqual(readFileSync(historyFile, 'utf8').split('\n'), ['SHOW TOPICS;', 'SHOW STREAMS;', 'EXIT', '']);

  const second = openShell(historyFile);
  await second.waitFor('ksql> ');
  const mark = second.text.length;
  second.write('\u001b[A\u001b[A\u001b[A');
  await second.waitFor('SHOW TOPICS;', mark);
  second.write('\r');
  await second.waitFor(/Kafka Topic[\s\S]*clicks/, mark);
  second.write('\u0004');
  t.is(await second.exited, 0);
});

test.serial('SET, DEFINE and SHOW VARIABLES are kept by the shell and apply to later statements', async (t) => {
  const shell = openShell();
  await shell.waitFor('ksql> ');
  const mark = shell.text.length;
  shell.write("SET 'auto.offset.reset' = 'earliest';\r");
  await shell.waitFor("Successfully changed local property 'auto.offset.reset' to 'earliest'", mark);
  shell.write("DEFINE src = 'CLICKS';\r");
  shell.write('SHOW VARIABLES;\r');
  await shell.waitFor(/Variable Name \| Value[\s\S]*src +\| CLICKS/, mark);
  shell.write('DESCRIBE ${src};\r');
  await shell.waitFor(/Name\s+: CLICKS/, mark);
  shell.write("SET 'ksql.service.id' = 'other';\r");
  await shell.waitFor(/prohibited by the KSQL server/, mark);
  t.is(await shell.exit(), 0);
});

test.serial('without a server the shell still starts, says so, and fails statements until one answers', async (t) => {
  const shell = new PtyShell(['--server', 'http://127.0.0.1:1'], { KSQLITE_HISTORY_FILE: join(home, 'history-down') });
  shells.push(shell);
  const banner = await shell.waitFor('ksql> ');
  t.regex(banner, /Server unreachable at http:\/\/127\.0\.0\.1:1\nWARNING: Could not connect/);
  const mark = shell.text.length;
  shell.write('SHOW STREAMS;\r');
  await shell.waitFor(/Could not connect to the server at http:\/\/127\.0\.0\.1:1[\s\S]*ksql> $/, mark);
  shell.write('exit\r');
  t.is(await shell.exited, 0);
});

test.serial('a push query on the real server streams new rows until Ctrl-C, which ends it and returns to the prompt', async (t) => {
  const shell = openShell();
  await shell.waitFor('ksql> ');
  let mark = shell.text.length;
  shell.write("CREATE STREAM TICKS (ID INT KEY, NOTE STRING) WITH (KAFKA_TOPIC='ticks', PARTITIONS=1, VALUE_FORMAT='JSON');\r");
  await shell.waitFor('Stream created', mark);
  mark = shell.text.length;
  shell.write("SET 'auto.offset.reset' = 'earliest';\r");
  await shell.waitFor('ksql> ', mark);
  mark = shell.text.length;
  shell.write("INSERT INTO TICKS (ID, NOTE) VALUES (1, 'first');\r");
  await shell.waitFor('ksql> ', mark);
  mark = shell.text.length;
  shell.write('SELECT ID, UCASE(NOTE) AS NOTE FROM TICKS EMIT CHANGES;\r');
  await shell.waitFor(/\|1 +\|FIRST +\|/, mark);
  // A row inserted while the query runs shows up in the running query.
  const response = await fetch(`${h.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: "INSERT INTO TICKS (ID, NOTE) VALUES (2, 'second');" }),
  });
  t.is(response.status, 200);
  await shell.waitFor(/\|2 +\|SECOND +\|/, mark);
  shell.write('\u0003');
  await shell.waitFor(/Query terminated\nksql> $/, mark);
  const queries = await (await fetch(`${h.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: 'SHOW QUERIES;' }),
  })).json() as { queries: { queryType: string }[] }[];
  t.false(queries[0]!.queries.some((q) => q.queryType === 'PUSH'), 'the push query is gone from the server');
  t.is(await shell.exit(), 0);
});
