/**
 * developer-guide/ksqldb-reference/pause.md, resume.md and terminate.md
 * through the shell: PAUSE stops a persistent query (SHOW QUERIES shows
 * PAUSED) and the rows that arrive meanwhile wait; RESUME processes them;
 * TERMINATE ALL ends every query. ksqlDB answers "Query paused.", "Query
 * resumed." and "Query terminated.".
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { shellOutput } from '../cli/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer({
  statements: [
    "CREATE STREAM src (id INT KEY, v INT) WITH (kafka_topic='src', partitions=1, value_format='json');",
    'CREATE STREAM copy AS SELECT * FROM src;',
    'CREATE STREAM other AS SELECT * FROM src;',
  ],
});

const shell = (sql: string): Promise<string> => shellOutput(h.url, sql);

test('PAUSE, RESUME and TERMINATE', async (t) => {
  const tut = new Tutorial(h);
  await tut.run("SET 'auto.offset.reset' = 'earliest'; INSERT INTO src (id, v) VALUES (1, 1);");
  t.deepEqual((await tut.push('SELECT * FROM copy EMIT CHANGES;', 1)).rows, [[1, 1]]);
  const paused = await shell('PAUSE CSAS_COPY_0; SHOW QUERIES;');
  t.regex(paused, /^ Message +\n-+\n Query paused\. \n-+\n/);
  t.regex(paused, /\n CSAS_COPY_0 +\| PERSISTENT \| PAUSED:1 {2}\| COPY /);
  t.regex(paused, /\n CSAS_OTHER_1 \| PERSISTENT \| RUNNING:1 \| OTHER /);
  await tut.run('INSERT INTO src (id, v) VALUES (2, 2);');
  // The running query takes the new row; the paused one does not.
  t.deepEqual((await tut.push('SELECT * FROM other EMIT CHANGES;', 2)).rows, [[1, 1], [2, 2]]);
  t.deepEqual((await tut.pull('SELECT * FROM copy;')).rows, [[1, 1]]);
  t.regex(await shell('RESUME CSAS_COPY_0;'), / Query resumed\. \n/);
  t.deepEqual((await tut.push('SELECT * FROM copy EMIT CHANGES;', 2)).rows, [[1, 1], [2, 2]]);
  const all = await shell('PAUSE ALL; RESUME ALL; TERMINATE ALL; SHOW QUERIES;');
  t.regex(all, / Query paused\. \n[^]* Query resumed\. \n[^]* Query terminated\. \n/);
  t.regex(all, /\n Query ID \| Query Type \| Status \| Sink Name \| Sink Kafka Topic \| Query String \n-+\n-+\n/);
});
