/**
 * developer-guide/ksqldb-reference/insert-values.md: the page's five
 * INSERTs into a `KEY_COL VARCHAR KEY, COL_A VARCHAR` source give the rows
 * its comments name (passes as written).
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('the page\'s INSERTs, with and without column lists and ROWTIME', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM foo (KEY_COL VARCHAR KEY, COL_A VARCHAR) WITH (kafka_topic='foo', partitions=1, value_format='json');
INSERT INTO foo (ROWTIME, KEY_COL, COL_A) VALUES (1510923225000, 'key', 'A');
INSERT INTO foo (COL_A, ROWTIME, KEY_COL) VALUES ('A', 1510923225000, 'key');
INSERT INTO foo VALUES ('key', 'A');
INSERT INTO foo (KEY_COL, COL_A) VALUES ('key', 'A');
INSERT INTO foo (KEY_COL) VALUES ('key');`);
  const before = Date.now();
  const result = await tut.push('SELECT KEY_COL, COL_A, ROWTIME FROM foo EMIT CHANGES;', 5);
  t.deepEqual(result.rows.slice(0, 2), [['key', 'A', 1510923225000], ['key', 'A', 1510923225000]]);
  t.deepEqual(result.rows.slice(2).map((r) => r.slice(0, 2)), [['key', 'A'], ['key', 'A'], ['key', null]]);
  // Without ROWTIME the row takes the server's clock when it was inserted.
  for (const row of result.rows.slice(2)) t.true(Math.abs(Number(row[2]) - before) < 60_000);
  t.regex(await tut.fail('INSERT INTO foo (ROWPARTITION, KEY_COL) VALUES (0, \'key\');'), /Inserting into column `ROWPARTITION` is not allowed\./);
});
