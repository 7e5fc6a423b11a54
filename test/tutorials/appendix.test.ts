/**
 * reference/sql/appendix.md: the runnable examples of its keywords and
 * operators tables, over streams and tables of our own. As in ksqlDB's
 * grammar, RETENTION takes no MONTH or YEAR unit and `ALTER 'property'` is no
 * statement (ALTER SYSTEM is), although the table shows them.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('keywords', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset'='earliest';
CREATE STREAM users (userid VARCHAR KEY, gender VARCHAR, regionid VARCHAR, A INT, units INT, name VARCHAR) WITH (kafka_topic='users', partitions=1, value_format='json');
INSERT INTO users (userid, gender, regionid, A, units, name) VALUES ('User_1', 'female', 'Region_6', 1, 3, 'value1');
CREATE STREAM output AS SELECT userid, A, A IS NOT DISTINCT FROM 1 FROM users;
CREATE STREAM users_rekeyed WITH (PARTITIONS=6) AS SELECT * FROM users PARTITION BY regionid;
CREATE STREAM users_orig AS SELECT * FROM users EMIT CHANGES;
CREATE STREAM s AS SELECT * FROM users t WHERE (t.name IS NOT NULL);
CREATE TABLE l (id INT PRIMARY KEY, x INT) WITH (kafka_topic='l', partitions=1, value_format='json');
CREATE TABLE r (id INT PRIMARY KEY, y INT) WITH (kafka_topic='r', partitions=1, value_format='json');
CREATE TABLE t AS SELECT * FROM l FULL OUTER JOIN r ON l.ID = r.ID;
CREATE TABLE t_inner AS SELECT * FROM l INNER JOIN r ON l.ID = r.ID;
CREATE TABLE t_left AS SELECT * FROM l LEFT JOIN r ON l.ID = r.ID;
CREATE TABLE t_right AS SELECT * FROM l RIGHT JOIN r ON l.ID = r.ID;
CREATE TYPE address AS STRUCT<street VARCHAR>;
DEFINE name = 'Tom Sawyer';
UNDEFINE name;
UNSET 'auto.offset.reset';
SET 'auto.offset.reset'='earliest';
INSERT INTO users VALUES ('key', 'A', 'r', 2, 5, 'n');`);
  t.deepEqual(await tut.push('SELECT * FROM output EMIT CHANGES;', 2), { columnNames: ['USERID', 'A', 'KSQL_COL_0'], rows: [['User_1', 1, true], ['key', 2, false]] });
  t.deepEqual((await tut.push("SELECT userid, CASE WHEN units<2 THEN 'sm' WHEN units<4 THEN 'med' ELSE 'large' END FROM users WHERE UCASE(gender)='FEMALE' AND LCASE (regionid) LIKE '%_6' AND name IN ('value1', 'value2') EMIT CHANGES;", 1)).rows, [['User_1', 'med']]);
  t.deepEqual((await tut.push("SELECT userid, CONCAT(CAST(COUNT(*) AS VARCHAR), '_HELLO') FROM users WHERE userid<>'User_2' AND userid<>'User_3' GROUP BY userid HAVING COUNT(*) > 0 EMIT CHANGES;", 2)).rows,
    [['User_1', '1_HELLO'], ['key', '1_HELLO']]);
  for (const window of ['TUMBLING (SIZE 30 SECONDS, RETENTION 1000 DAYS)', 'TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 HOURS)', 'TUMBLING (SIZE 100 MILLISECONDS, RETENTION 1 DAY)',
    'HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS)', 'SESSION (60 SECONDS)']) {
    t.true((await tut.push(`SELECT userid, COUNT(*) FROM users WINDOW ${window} GROUP BY userid EMIT CHANGES;`, 2)).rows.length >= 2, window);
  }
  t.regex(await tut.fail('SELECT userid, COUNT(*) FROM users WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 2 MONTHs) GROUP BY userid EMIT CHANGES;'), /Syntax Error/);
  t.regex(await tut.fail("ALTER 'auto.offset.reset'='latest';"), /Syntax Error/);
  t.is((await tut.push('SELECT * FROM users EMIT CHANGES LIMIT 5;', 2)).rows.length, 2);
  t.deepEqual((await tut.push("SELECT REPLACE(name, 'value', 'bar') FROM users EMIT CHANGES;", 2)).rows, [['bar1'], ['n']]);
  t.regex(await tut.fail("ASSERT SCHEMA SUBJECT 'foo-value' ID 5 TIMEOUT 1 SECONDS;"), /Schema with subject name foo-value id 5 does not exist/);
});

test('operators', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset'='earliest';
CREATE STREAM ops (a INT, b BIGINT, s VARCHAR, st STRUCT<f INT>) WITH (kafka_topic='ops', partitions=1, value_format='json');
INSERT INTO ops (a, b, s, st) VALUES (7, 2, 'ab', STRUCT(f := 4));`);
  const res = await tut.push("SELECT a = 7, a != 2, a <> 2, a < b, a <= 7, a > b, a >= 8, s + 'c', a - b, a * b, a / b, a % b, s || 'd', st->f, ABS(a), 1E2, 2e0, NOT a = 7, a = 7 AND b = 2, a = 1 OR b = 2, a BETWEEN 1 AND 10, s LIKE 'a%', a IN (1, 7) FROM ops EMIT CHANGES;", 1);
  t.deepEqual(res.rows, [[true, true, true, false, true, true, false, 'abc', 5, 14, 3, 1, 'abd', 4, 7, 100.0, 2.0, false, true, true, true, true, true]]);
});
