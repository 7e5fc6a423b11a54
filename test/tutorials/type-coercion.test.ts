/**
 * developer-guide/ksqldb-reference/type-coercion.md: an INT compared with a
 * BIGINT, and an IN list of a column, a number and numeric strings brought
 * to one type. The page writes the list in brackets, which ksqlDB's grammar
 * refuses as ours does (IN takes parentheses); with them it runs. The
 * page's `WITH (...)` is ours to fill.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('implicit coercion in a comparison, an IN list and constructors', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset'='earliest';
CREATE STREAM FOO (
    A INT,
    B BIGINT
 ) WITH (kafka_topic='foo', partitions=1, value_format='json');
INSERT INTO FOO (A, B) VALUES (100, 10);
INSERT INTO FOO (A, B) VALUES (300, 1000);
INSERT INTO FOO (A, B) VALUES (5, 5);
INSERT INTO FOO (A, B) VALUES (6, 7);`);
  t.deepEqual((await tut.pull('SELECT * FROM FOO WHERE A > B;')).rows, [[100, 10]]);
  await t.throwsAsync(tut.pull("SELECT * FROM FOO WHERE A IN [B, 10, '100', '3e2'];"), { message: /Syntax Error/ });
  t.deepEqual((await tut.pull("SELECT * FROM FOO WHERE A IN (B, 10, '100', '3e2');")).rows, [[100, 10], [300, 1000], [5, 5]]);
  const lists = await tut.pull("SELECT ARRAY[1, 2.5, '3'], ARRAY['a', 1], ARRAY[true, 'yes', 'f'], ARRAY[A, B] FROM FOO WHERE A = 5;");
  t.deepEqual(lists.rows, [[[1.0, 2.5, 3.0], ['a', '1'], [true, true, false], [5, 5]]]);
});
