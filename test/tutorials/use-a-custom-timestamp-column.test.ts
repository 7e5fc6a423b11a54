/** how-to-guides/use-a-custom-timestamp-column.md: ROWTIME from the record, then from a column (string, BIGINT, TIMESTAMP). */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test.serial('a stream without TIMESTAMP keeps the records\' times; one derived WITH (timestamp, timestamp_format) uses the column', async (t) => {
  const tut = new Tutorial(h);
  const before = Date.now();
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s1 (
    k VARCHAR KEY,
    ts VARCHAR,
    v1 INT,
    v2 VARCHAR
) WITH (
    kafka_topic = 's1',
    partitions = 1,
    value_format = 'avro'
);
INSERT INTO s1 (k, ts, v1, v2) VALUES ('k1', '2020-05-04 01:00:00', 0, 'a');
INSERT INTO s1 (k, ts, v1, v2) VALUES ('k2', '2020-05-04 02:00:00', 1, 'b');`);
  const select = (source: string): string => `SELECT k,
       ROWTIME,
       TIMESTAMPTOSTRING(ROWTIME, 'yyyy-MM-dd HH:mm:ss.SSS') AS rowtime_formatted,
       ts,
       v1,
       v2
FROM ${source}
EMIT CHANGES;`;
  const wallClock = await tut.push(select('s1'), 2);
  t.deepEqual(wallClock.columnNames, ['K', 'ROWTIME', 'ROWTIME_FORMATTED', 'TS', 'V1', 'V2']);
  for (const row of wallClock.rows) t.true((row[1] as number) >= before);
  t.deepEqual(wallClock.rows.map((r) => [r[0], r[3], r[4], r[5]]), [['k1', '2020-05-04 01:00:00', 0, 'a'], ['k2', '2020-05-04 02:00:00', 1, 'b']]);

  await tut.run(`CREATE STREAM S2 WITH (
    timestamp = 'ts',
    timestamp_format = 'yyyy-MM-dd HH:mm:ss'
)   AS
    SELECT *
    FROM s1
    EMIT CHANGES;`);
  t.deepEqual((await tut.push(select('s2'), 2)).rows, [
    ['k1', 1588554000000, '2020-05-04 01:00:00.000', '2020-05-04 01:00:00', 0, 'a'],
    ['k2', 1588557600000, '2020-05-04 02:00:00.000', '2020-05-04 02:00:00', 1, 'b'],
  ]);
});

test.serial('base streams take TIMESTAMP too: a VARCHAR with its format, a BIGINT, a TIMESTAMP', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
CREATE STREAM s3 (
    k VARCHAR KEY,
    ts VARCHAR,
    v1 INT
) WITH (
    kafka_topic = 's3',
    partitions = 1,
    value_format = 'avro',
    timestamp = 'ts',
    timestamp_format = 'yyyy-MM-dd HH:mm:ss'
);
CREATE STREAM s4 (
    k VARCHAR KEY,
    ts BIGINT,
    v1 INT,
    v2 VARCHAR
) WITH (
    kafka_topic = 's4',
    partitions = 1,
    value_format = 'avro',
    timestamp = 'ts'
);
INSERT INTO s4 (k, ts, v1, v2) VALUES ('k1', 1562634000000, 0, 'a');
INSERT INTO s4 (k, ts, v1, v2) VALUES ('k2', 1588509000000, 1, 'b');
INSERT INTO s4 (k, ts, v1, v2) VALUES ('k3', 1588736700000, 2, 'c');
CREATE STREAM s5 (
    k VARCHAR KEY,
    ts TIMESTAMP,
    v1 INT,
    v2 VARCHAR
) WITH (
    kafka_topic = 's5',
    partitions = 1,
    value_format = 'avro',
    timestamp = 'ts'
);
INSERT INTO s5 (k, ts, v1, v2) VALUES ('k1', '2019-07-09T01:00', 0, 'a');
INSERT INTO s5 (k, ts, v1, v2) VALUES ('k2', '2020-05-03T12:30:00', 1, 'b');
INSERT INTO s5 (k, ts, v1, v2) VALUES ('k3', '2020-05-06T03:45', 2, 'c');`);
  const longs = await tut.push(`SELECT k,
       ROWTIME,
       ts,
       TIMESTAMPTOSTRING(ROWTIME, 'yyyy-MM-dd HH:mm:ss.SSS') AS rowtime_formatted,
       TIMESTAMPTOSTRING(ts, 'yyyy-MM-dd HH:mm:ss.SSS') AS ts_formatted,
       v1,
       v2
FROM s4
EMIT CHANGES;`, 3);
  t.deepEqual(longs.columnNames, ['K', 'ROWTIME', 'TS', 'ROWTIME_FORMATTED', 'TS_FORMATTED', 'V1', 'V2']);
  t.deepEqual(longs.rows, [
    ['k1', 1562634000000, 1562634000000, '2019-07-09 01:00:00.000', '2019-07-09 01:00:00.000', 0, 'a'],
    ['k2', 1588509000000, 1588509000000, '2020-05-03 12:30:00.000', '2020-05-03 12:30:00.000', 1, 'b'],
    ['k3', 1588736700000, 1588736700000, '2020-05-06 03:45:00.000', '2020-05-06 03:45:00.000', 2, 'c'],
  ]);
  const timestamps = await tut.push('SELECT k, ROWTIME, ts, v1, v2 FROM s5 EMIT CHANGES;', 3);
  t.deepEqual(timestamps.columnNames, ['K', 'ROWTIME', 'TS', 'V1', 'V2']);
  t.deepEqual(timestamps.rows, [
    ['k1', 1562634000000, '2019-07-09T01:00:00.000', 0, 'a'],
    ['k2', 1588509000000, '2020-05-03T12:30:00.000', 1, 'b'],
    ['k3', 1588736700000, '2020-05-06T03:45:00.000', 2, 'c'],
  ]);
});
