/**
 * reference/sql/data-types.md: its constructors of arrays, structs and maps
 * over a stream s1, and the query that replaces AS_ARRAY with ARRAY[...]
 * (passes as written; the page's MAP(k1:=v1, ...) keys are columns of s1, so
 * our s1 has them). AS_ARRAY is gone, as the page says.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('ARRAY, STRUCT and MAP constructors, and ARRAY in place of AS_ARRAY', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s1 (k1 VARCHAR, k2 VARCHAR, v1 INT, v2 VARCHAR) WITH (kafka_topic='s1', partitions=1, value_format='json');
CREATE STREAM TEST (col1 INT, col2 INT, col3 INT) WITH (kafka_topic='test', partitions=1, value_format='json');
INSERT INTO s1 (k1, k2, v1, v2) VALUES ('a', 'b', 5, 'x');
INSERT INTO TEST (col1, col2, col3) VALUES (1, 2, -3);`);
  t.deepEqual(await tut.push('SELECT ARRAY[1, 2] FROM s1 EMIT CHANGES;', 1), { columnNames: ['KSQL_COL_0'], rows: [[[1, 2]]] });
  t.deepEqual(await tut.push('SELECT STRUCT(f1 := v1, f2 := v2) FROM s1 EMIT CHANGES;', 1), { columnNames: ['KSQL_COL_0'], rows: [[{ F1: 5, F2: 'x' }]] });
  t.deepEqual(await tut.push('SELECT MAP(k1:=v1, k2:=v1*2) FROM s1 EMIT CHANGES;', 1), { columnNames: ['KSQL_COL_0'], rows: [[{ a: 5, b: 10 }]] });
  t.regex(await tut.fail('CREATE STREAM OUTPUT AS SELECT cube_explode(as_array(col1, col2)) VAL1, ABS(col3) VAL2 FROM TEST;'), /Can't find any functions with the name 'AS_ARRAY'/);
  await tut.run('CREATE STREAM OUTPUT AS SELECT cube_explode(array[col1, col2]) VAL1, ABS(col3) VAL2 FROM TEST;');
  t.deepEqual(await tut.push('SELECT * FROM OUTPUT EMIT CHANGES;', 4), {
    columnNames: ['VAL1', 'VAL2'],
    rows: [[[null, null], 3], [[null, 2], 3], [[1, null], 3], [[1, 2], 3]],
  });
});
