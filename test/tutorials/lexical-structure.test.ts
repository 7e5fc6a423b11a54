/**
 * reference/sql/syntax/lexical-structure.md: its example statements, a
 * backticked stream and column, string, numeric and boolean constants,
 * comments and the operators' precedence (passes as written).
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('statements, identifiers, constants, comments and precedence', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s1 (a VARCHAR KEY, b VARCHAR) WITH (kafka_topic = 'lex_s1', partitions = 1, value_format = 'json');
CREATE TABLE t1 (k1 VARCHAR PRIMARY KEY, v VARCHAR) WITH (kafka_topic = 'lex_t1', partitions = 1, value_format = 'json');
INSERT INTO t1 (k1, v) VALUES ('foo', 'bar');
INSERT INTO s1 (a, b) VALUES ('k1', 'v1');

CREATE STREAM s2 AS
    SELECT a, b
    FROM s1
    EMIT CHANGES;
CREATE STREAM \`s1\` (
    k VARCHAR KEY,
    \`@MY-identifier-stream-column!\` INT
) WITH (
    kafka_topic = 's1',
    partitions = 3,
    value_format = 'json'
);
INSERT INTO \`s1\` (k, \`@MY-identifier-stream-column!\`) VALUES ('x', 3);`);
  t.deepEqual(await tut.push("SELECT * FROM t1 WHERE k1='foo' EMIT CHANGES;", 1), { columnNames: ['K1', 'V'], rows: [['foo', 'bar']] });
  t.deepEqual(await tut.push('SELECT * FROM s2 EMIT CHANGES;', 1), { columnNames: ['A', 'B'], rows: [['k1', 'v1']] });
  t.deepEqual(await tut.push('SELECT `@MY-identifier-stream-column!` FROM `s1` EMIT CHANGES;', 1), { columnNames: ['@MY-identifier-stream-column!'], rows: [[3]] });
  const constants = await tut.push("SELECT 'You can call me ''Stuart'', or Stu.', 5, 7.2, 0.0087, 1., .5, 1e-3, 1.332434e+2, +100, -250, true, TRUE /* Here is\n   another comment.\n */ FROM s1 EMIT CHANGES;", 1);
  t.deepEqual(constants.rows, [["You can call me 'Stuart', or Stu.", 5, 7.2, 0.0087, 1, 0.5, 0.001, 133.2434, 100, -250, true, true]]);
  t.deepEqual((await tut.push('SELECT 1 + 2 * 3, 10 % 3 - 1, NOT 1 = 2 AND 2 >= 2 FROM s1 -- Here is a comment.\nEMIT CHANGES;', 1)).rows, [[7, 0, true]]);
});
