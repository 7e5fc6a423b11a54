/**
 * developer-guide/ksqldb-reference/table-functions.md: EXPLODE of one array,
 * of two arrays of different lengths (the shorter padded with NULLs), and
 * CUBE_EXPLODE, with the page's rows.
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('the page\'s three examples give its rows', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM batched_readings (sensor_id INT, readings ARRAY<INT>) WITH (kafka_topic='batched_readings', partitions=1, value_format='json');
INSERT INTO batched_readings (sensor_id, readings) VALUES (12345, ARRAY[23, 56, 3, 76, 75]);
INSERT INTO batched_readings (sensor_id, readings) VALUES (54321, ARRAY[12, 65, 38]);
  CREATE STREAM exploded_stream AS
    SELECT sensor_id, EXPLODE(readings) AS reading FROM batched_readings;
CREATE STREAM country_batches (country VARCHAR, customer_names ARRAY<VARCHAR>, customer_ages ARRAY<INT>) WITH (kafka_topic='country_batches', partitions=1, value_format='json');
INSERT INTO country_batches (country, customer_names, customer_ages) VALUES ('UK', ARRAY['john', 'paul', 'george', 'ringo'], ARRAY[23, 56, 3]);
INSERT INTO country_batches (country, customer_names, customer_ages) VALUES ('USA', ARRAY['chad', 'chip', 'brad'], ARRAY[56, 34, 76, 84, 56]);
  CREATE STREAM country_customers AS
    SELECT country, EXPLODE(customer_names) AS name, EXPLODE(customer_ages) AS age FROM country_batches;
CREATE STREAM TEST (col1 INT, col2 INT) WITH (kafka_topic='test_topic', value_format='JSON', partitions=1);
CREATE STREAM OUTPUT AS SELECT cube_explode(array[col1, col2]) VAL FROM TEST;
INSERT INTO TEST (col1, col2) VALUES (1, 2);
INSERT INTO TEST (col1, col2) VALUES (1, null);`);
  const readings = await tut.push('SELECT * FROM exploded_stream EMIT CHANGES;', 8);
  t.deepEqual(readings.columnNames, ['SENSOR_ID', 'READING']);
  t.deepEqual(readings.rows, [[12345, 23], [12345, 56], [12345, 3], [12345, 76], [12345, 75], [54321, 12], [54321, 65], [54321, 38]]);
  const customers = await tut.push('SELECT * FROM country_customers EMIT CHANGES;', 9);
  t.deepEqual(customers.columnNames, ['COUNTRY', 'NAME', 'AGE']);
  t.deepEqual(customers.rows, [['UK', 'john', 23], ['UK', 'paul', 56], ['UK', 'george', 3], ['UK', 'ringo', null],
    ['USA', 'chad', 56], ['USA', 'chip', 34], ['USA', 'brad', 76], ['USA', null, 84], ['USA', null, 56]]);
  const cube = await tut.push('SELECT * FROM OUTPUT EMIT CHANGES;', 6);
  t.deepEqual(cube.rows, [[[null, null]], [[null, 2]], [[1, null]], [[1, 2]], [[null, null]], [[1, null]]]);
});
