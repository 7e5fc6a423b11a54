/** how-to-guides/query-structured-data.md: structs, maps and arrays in AVRO, written with constructors and read back. */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test.serial('structs: -> picks a field, ->* all of them, named after the last identifier', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s2 (
    a VARCHAR KEY,
    b STRUCT<
        c VARCHAR,
        d INT
    >
) WITH (
    kafka_topic = 's2',
    partitions = 1,
    value_format = 'avro'
);
INSERT INTO s2 (a, b) VALUES ('k1', STRUCT(c := 'v1', d := 5));
INSERT INTO s2 (a, b) VALUES ('k2', STRUCT(c := 'v2', d := 6));
INSERT INTO s2 (a, b) VALUES ('k3', STRUCT(c := 'v3', d := 7));`);
  const expected = [
    ['k1', { C: 'v1', D: 5 }, 'v1', 5],
    ['k2', { C: 'v2', D: 6 }, 'v2', 6],
    ['k3', { C: 'v3', D: 7 }, 'v3', 7],
  ];
  for (const sql of ['SELECT a, b, b->c, b->d FROM s2 EMIT CHANGES;', 'SELECT a, b, b->* FROM s2 EMIT CHANGES;']) {
    const result = await tut.push(sql, 3);
    t.deepEqual(result.columnNames, ['A', 'B', 'C', 'D']);
    t.deepEqual(result.rows, expected);
  }
});

test.serial('maps: [] looks a key up', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s3 (
    a VARCHAR KEY,
    b MAP<VARCHAR, INT>
) WITH (
    kafka_topic = 's3',
    partitions = 1,
    value_format = 'avro'
);
INSERT INTO s3 (a, b) VALUES ('k1', MAP('c' := 2, 'd' := 4));
INSERT INTO s3 (a, b) VALUES ('k2', MAP('c' := 4, 'd' := 8));
INSERT INTO s3 (a, b) VALUES ('k3', MAP('c' := 8, 'd' := 16));`);
  const result = await tut.push(`SELECT a,
       b,
       b['c'] AS C,
       b['d'] AS D
FROM s3
EMIT CHANGES;`, 3);
  t.deepEqual(result.columnNames, ['A', 'B', 'C', 'D']);
  t.deepEqual(result.rows, [['k1', { c: 2, d: 4 }, 2, 4], ['k2', { c: 4, d: 8 }, 4, 8], ['k3', { c: 8, d: 16 }, 8, 16]]);
  // AVRO maps are read into a default-sized java.util.HashMap in ksqlDB: 'c' then 'd', as the page shows.
  t.deepEqual(result.rows.map((r) => Object.keys(r[1] as object)), [['c', 'd'], ['c', 'd'], ['c', 'd']]);
});

test.serial('arrays: [] is 1-based, negative from the end, null when absent', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s4 (
    a VARCHAR KEY,
    b ARRAY<INT>
) WITH (
    kafka_topic = 's4',
    partitions = 1,
    value_format = 'avro'
);
INSERT INTO s4 (a, b) VALUES ('k1', ARRAY[1]);
INSERT INTO s4 (a, b) VALUES ('k2', ARRAY[2, 3]);
INSERT INTO s4 (a, b) VALUES ('k3', ARRAY[4, 5, 6]);`);
  const result = await tut.push(`SELECT a,
       b,
       b[1] AS b_1,
       b[2] AS b_2,
       b[3] AS b_3,
       b[-1] AS b_minus_1
FROM s4
EMIT CHANGES;`, 3);
  t.deepEqual(result.columnNames, ['A', 'B', 'B_1', 'B_2', 'B_3', 'B_MINUS_1']);
  t.deepEqual(result.rows, [['k1', [1], 1, null, null, 1], ['k2', [2, 3], 2, 3, null, 3], ['k3', [4, 5, 6], 4, 5, 6, 6]]);
});

test.serial('deeply nested data: the page declares s4 a second time, which fails as in ksqlDB', async (t) => {
  const tut = new Tutorial(h);
  const message = await tut.fail(`CREATE STREAM s4 (a VARCHAR KEY, b STRUCT<c ARRAY<INT>, d MAP<VARCHAR, STRUCT<e VARCHAR, f BOOLEAN>>>)
    WITH (kafka_topic = 's4', partitions = 1, value_format = 'avro');`);
  t.is(message, "Cannot add stream 'S4': A stream with the same name already exists");
});

test.serial('deeply nested data: destructuring composes (under another name than the page\'s clashing s4)', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s5 (
    a VARCHAR KEY,
    b STRUCT<
        c ARRAY<INT>,
        d MAP<
            VARCHAR,
            STRUCT<
                e VARCHAR,
                f BOOLEAN
            >
        >
    >
) WITH (
    kafka_topic = 's5',
    partitions = 1,
    value_format = 'avro'
);
INSERT INTO s5 (a, b) VALUES ('k1', STRUCT(c := ARRAY[5, 10, 15], d := MAP('x' := STRUCT(e := 'v1', f := true), 'y' := STRUCT(e := 'v2', f := false))));
INSERT INTO s5 (a, b) VALUES ('k2', STRUCT(c := ARRAY[3, 6, 9], d := MAP('x' := STRUCT(e := 'v3', f := false), 'y' := STRUCT(e := 'v4', f := false))));
INSERT INTO s5 (a, b) VALUES ('k3', STRUCT(c := ARRAY[2, 4, 8], d := MAP('x' := STRUCT(e := 'v5', f := true), 'y' := STRUCT(e := 'v6', f := true))));`);
  const result = await tut.push(`SELECT a,
       b,
       b->c[2] AS c_2,
       b->d['x']->f,
       b->d['y']->e
FROM s5
EMIT CHANGES;`, 3);
  t.deepEqual(result.columnNames, ['A', 'B', 'C_2', 'F', 'E']);
  t.deepEqual(result.rows.map((r) => [r[0], r[2], r[3], r[4]]), [['k1', 10, true, 'v2'], ['k2', 6, false, 'v4'], ['k3', 4, true, 'v6']]);
  t.deepEqual(result.rows[0][1], { C: [5, 10, 15], D: { x: { E: 'v1', F: true }, y: { E: 'v2', F: false } } });
});
