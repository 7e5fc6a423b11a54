/**
 * developer-guide/ksqldb-reference/select-pull-query.md: its tables, the
 * lookups and scans it shows, a pull query on a stream, a table-table join
 * and a windowed table (passes as written, with rows of our own).
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('key lookups, scans, a stream, a join and window bounds', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE TABLE GRADES (ID INT PRIMARY KEY, GRADE STRING, RANK INT) 
  WITH (kafka_topic = 'test_topic', value_format = 'JSON', partitions = 4);
CREATE TABLE TOP_TEN_RANKS 
  AS SELECT ID, RANK 
  FROM GRADES 
  WHERE RANK <= 10;
INSERT INTO GRADES (ID, GRADE, RANK) VALUES (5, 'A', 5);
INSERT INTO GRADES (ID, GRADE, RANK) VALUES (3, 'B', 3);
INSERT INTO GRADES (ID, GRADE, RANK) VALUES (7, 'C', 12);
CREATE STREAM STUDENTS (ID STRING KEY, SCORE INT) 
  WITH (kafka_topic='students_topic', value_format='JSON', partitions=4);
INSERT INTO STUDENTS (ROWTIME, ID, SCORE) VALUES (1000, '10', 7);
CREATE TABLE LEFT_TABLE (ID BIGINT PRIMARY KEY, NAME varchar, VALUE bigint) 
  WITH (kafka_topic='left_topic', value_format='JSON', partitions=4);
CREATE TABLE RIGHT_TABLE (ID BIGINT PRIMARY KEY, F1 varchar, F2 bigint) 
  WITH (kafka_topic='right_topic', value_format='JSON', partitions=4);
CREATE TABLE INNER_JOIN AS SELECT L.ID, NAME, VALUE, F1, F2 FROM LEFT_TABLE L JOIN RIGHT_TABLE R ON L.ID = R.ID;
INSERT INTO LEFT_TABLE (ID, NAME, VALUE) VALUES (1, 'n', 2);
INSERT INTO RIGHT_TABLE (ID, F1, F2) VALUES (1, 'f', 3);
CREATE TABLE NUMBER_OF_TESTS AS 
  SELECT ID, COUNT(1) AS COUNT 
  FROM STUDENTS 
  WINDOW TUMBLING(SIZE 1 SECOND) 
  GROUP BY ID;`);
  t.deepEqual(await tut.pullUntil(`SELECT * FROM TOP_TEN_RANKS
  WHERE ID = 5;`, [[5, 5]]), [[5, 5]]);
  t.deepEqual([...(await tut.pull('SELECT * FROM TOP_TEN_RANKS;')).rows].sort(), [[3, 3], [5, 5]]);
  t.deepEqual((await tut.pull(`SELECT * FROM TOP_TEN_RANKS
  WHERE RANK > 4 AND RANK < 8;`)).rows, [[5, 5]]);
  await t.throwsAsync(tut.pull(`SELECT * FROM STUDENTS
  WHERE rank > 5;`), { message: /WHERE column 'RANK' cannot be resolved/ });
  t.deepEqual((await tut.pull('SELECT * FROM STUDENTS;')).rows, [['10', 7]]);
  t.deepEqual(await tut.pullUntil('SELECT * FROM INNER_JOIN;', [[1, 'n', 2, 'f', 3]]), [[1, 'n', 2, 'f', 3]]);
  t.deepEqual(await tut.pullUntil(`SELECT * 
  FROM NUMBER_OF_TESTS 
  WHERE ID='10';`, [['10', 1000, 2000, 1]]), [['10', 1000, 2000, 1]]);
  t.deepEqual((await tut.pull(`SELECT *
  FROM NUMBER_OF_TESTS 
  WHERE ID='10' AND 100 <= WindowStart AND WindowEnd <= 16000;`)).rows, [['10', 1000, 2000, 1]]);
  await t.throwsAsync(tut.pull('SELECT * FROM GRADES;'), { message: /The `GRADES` table isn't queryable/ });
});
