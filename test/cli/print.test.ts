import { join } from 'node:path';
import test from 'ava';
import { runSql, startServer, stopServer, type Harness } from '../server/helpers.js';
import { PtyShell, runShell, tempDir } from './helpers.js';

let h: Harness;
test.before(async () => {
  h = await startServer();
  await runSql(h, "CREATE STREAM EVENTS (ID INT KEY, KIND STRING) WITH (KAFKA_TOPIC='events', PARTITIONS=1, VALUE_FORMAT='JSON');");
  await runSql(h, "INSERT INTO EVENTS (ROWTIME, ID, KIND) VALUES (1588344313111, 1, 'click');");
  await runSql(h, "INSERT INTO EVENTS (ROWTIME, ID, KIND) VALUES (1588344313112, 2, 'view');");
});
test.after.always(async () => {
  await stopServer(h);
});

test.serial('PRINT with a LIMIT prints the formats and the records, then says printing ceased', async (t) => {
  const res = await runShell(['--server', h.url, '-e', "PRINT 'events' FROM BEGINNING LIMIT 2;"]);
  t.is(res.code, 0, res.stderr);
  t.is(res.stdout, [
    'Key format: KAFKA_INT or KAFKA_STRING',
    'Value format: JSON or KAFKA_STRING',
    'rowtime: 2020/05/01 14:45:13.111 Z, key: 1, value: {"KIND":"click"}, partition: 0',
    'rowtime: 2020/05/01 14:45:13.112 Z, key: 2, value: {"KIND":"view"}, partition: 0',
    'Topic printing ceased',
    '',
  ].join('\n'));
});

test.serial('PRINT of an unknown topic fails the run with the server\'s message', async (t) => {
  const res = await runShell(['--server', h.url, '-e', 'PRINT EVENTS;']);
  t.is(res.code, 1);
  t.regex(res.stderr, /Could not find topic 'EVENTS'[\s\S]*Did you mean:\n\tprint events;/);
});

test.serial('Ctrl-C ends a running PRINT on the server and the shell prompts again', async (t) => {
  const shell = new PtyShell(['--server', h.url], { KSQLITE_HISTORY_FILE: join(tempDir(), 'h') });
  try {
    await shell.waitFor('ksql> ');
    const mark = shell.text.length;
    shell.write('PRINT events;\r');
    await shell.waitFor('Press CTRL-C to interrupt', mark);
    await runSql(h, "INSERT INTO EVENTS (ROWTIME, ID, KIND) VALUES (1588344313113, 3, 'live');");
    await shell.waitFor(/key: 3, value: \{"KIND":"live"\}, partition: 0\n/, mark);
    t.is(h.server.engine.listPrints().length, 1);
    shell.write('\u0003');
    await shell.waitFor(/Topic printing ceased\nksql> $/, mark);
    const deadline = Date.now() + 5000;
    while (h.server.engine.listPrints().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    t.is(h.server.engine.listPrints().length, 0);
    shell.write('EXIT\r');
    t.is(await shell.exited, 0);
  } finally {
    shell.kill();
  }
});
