import test from 'ava';
import { withEngine } from './engine-helper.js';

const SOURCE = "CREATE STREAM S (ID INT KEY, A ARRAY<INT>, B ARRAY<STRING>, N INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');";

test('table functions in one SELECT zip to the longest list, and scalar columns repeat beside them', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCE} CREATE STREAM OUT AS SELECT ID, EXPLODE(A) AS X, EXPLODE(B) AS Y, N + 1 AS M FROM S;`);
    run.execute("INSERT INTO S (ID, A, B, N) VALUES (1, ARRAY[1, 2, 3], ARRAY['p'], 10);");
    t.deepEqual(run.values('OUT'), ['{"X":1,"Y":"p","M":11}', '{"X":2,"Y":null,"M":11}', '{"X":3,"Y":null,"M":11}']);
  });
});

test('a NULL or empty list yields no rows', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCE} CREATE STREAM OUT AS SELECT ID, EXPLODE(A) AS X FROM S;`);
    run.execute('INSERT INTO S (ID, A, N) VALUES (1, ARRAY[7], 0); INSERT INTO S (ID, A, N) VALUES (2, NULL, 0);');
    t.deepEqual(run.values('OUT'), ['{"X":7}']);
  });
});

test('an unaliased table function call is named like any other expression, and the same call twice shares its elements', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCE} CREATE STREAM OUT AS SELECT ID, EXPLODE(A), EXPLODE(A) * 10 AS T FROM S;`);
    run.execute('INSERT INTO S (ID, A, N) VALUES (1, ARRAY[1, 2], 0);');
    t.deepEqual(run.values('OUT'), ['{"KSQL_COL_0":1,"T":10}', '{"KSQL_COL_0":2,"T":20}']);
  });
});

test('table functions are refused beside aggregations', (t) => {
  withEngine((run) => {
    run.execute(SOURCE);
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT ID, EXPLODE(A) AS X, COUNT(*) AS C FROM S GROUP BY ID;'), {
      message: /Table functions cannot be used with aggregations\./,
    });
  });
});

test('table functions over a table source are refused', (t) => {
  withEngine((run) => {
    run.execute("CREATE TABLE T (ID INT PRIMARY KEY, A ARRAY<INT>) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => run.execute('CREATE TABLE OUT AS SELECT ID, EXPLODE(A) AS X FROM T;'), { message: /Table source is not supported with table functions/ });
  });
});
