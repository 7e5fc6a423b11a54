/**
 * how-to-guides/use-lambda-functions.md. The page's result tables are not
 * what its statements give in ksqlDB (a row it never inserts, REDUCE's
 * arithmetic, a syntax error and DECIMAL(2,3) in the last example): these
 * tests check what the statements do, and the errors of the broken ones.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test.serial('TRANSFORM over a map changes its keys and values', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM stream1 (
  id INT,
  lambda_map MAP<STRING, INTEGER>
) WITH (
  kafka_topic = 'stream1',
  partitions = 1,
  value_format = 'avro'
);
CREATE STREAM output AS
  SELECT id, 
  TRANSFORM(lambda_map, (k, v) => UCASE(k), (k, v) => v + 5) 
  FROM stream1;
INSERT INTO stream1 (id, lambda_map) VALUES (3, MAP('hello':= 15, 'goodbye':= -5));`);
  const result = await tut.push('SELECT * FROM output AS final_output EMIT CHANGES;', 1);
  t.deepEqual(result.columnNames, ['ID', 'KSQL_COL_0']);
  t.deepEqual(result.rows, [[3, { HELLO: 20, GOODBYE: 0 }]]);
});

test.serial('REDUCE folds an array from an initial state (integer division: 2/2, 3/1, 4/3, 5/1)', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM stream2 (
  id INT,
  lambda_arr ARRAY<INTEGER>
) WITH (
  kafka_topic = 'stream2',
  partitions = 1,
  value_format = 'avro'
);
CREATE STREAM output2 AS
  SELECT id, 
  REDUCE(lambda_arr, 2, (s, x) => ceil(x/s)) 
  FROM stream2
  EMIT CHANGES;
INSERT INTO stream2 (id, lambda_arr) VALUES (1, ARRAY[2, 3, 4, 5]);`);
  const result = await tut.push('SELECT * FROM output2 AS final_output EMIT CHANGES;', 1);
  t.deepEqual(result.columnNames, ['ID', 'KSQL_COL_0']);
  t.deepEqual(result.rows, [[1, 5]]);
});

test.serial('FILTER keeps the map entries its lambda accepts', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM stream3 (
  id INT,
  lambda_map MAP<STRING, INTEGER>
) WITH (
  kafka_topic = 'stream3',
  partitions = 1,
  value_format = 'avro'
);
CREATE STREAM output3 AS
  SELECT id, 
  FILTER(lambda_map, (k, v) => instr(k, 'name') > 0 AND v != 0) 
  FROM stream3
  EMIT CHANGES;
INSERT INTO stream3 (id, lambda_map) VALUES (1, MAP('first name':= 15, 'middle':= 25, 'last name':= 0, 'alt name':= 33));`);
  const result = await tut.push('SELECT * FROM output3 AS final_output EMIT CHANGES;', 1);
  t.deepEqual(result.rows, [[1, { 'first name': 15, 'alt name': 33 }]]);
});

test.serial('nested TRANSFORM: the page\'s DECIMAL(2,3) is refused; with a valid type the lambdas nest', async (t) => {
  const tut = new Tutorial(h);
  const refused = await tut.fail(`CREATE STREAM stream4 (
  id INT,
  lambda_map MAP<STRING, ARRAY<DECIMAL(2,3)>>
) WITH (
  kafka_topic = 'stream4',
  partitions = 1,
  value_format = 'avro'
);`);
  t.regex(refused, /DECIMAL scale must be less than or equal to precision/);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM stream4 (id INT, lambda_map MAP<STRING, ARRAY<DECIMAL(3,2)>>) WITH (kafka_topic = 'stream4', partitions = 1, value_format = 'avro');
CREATE STREAM output4 AS
  SELECT id, 
  TRANSFORM(lambda_map, (k, v) => concat(k, '_new'), (k, v) => transform(v, x => round(x))) 
  FROM stream4
  EMIT CHANGES;
INSERT INTO stream4 (id, lambda_map) VALUES (1, MAP('Mary':= ARRAY[1.23, 3.65, 8.45], 'Jose':= ARRAY[5.23, 1.65]));`);
  const result = await tut.push('SELECT * FROM output4 AS final_output EMIT CHANGES;', 1);
  t.deepEqual(result.rows, [[1, { Mary_new: [1, 4, 8], Jose_new: [5, 2] }]]);
});
