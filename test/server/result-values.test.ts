import test from 'ava';
import WebSocket from 'ws';
import { runShell } from '../cli/helpers.js';
import { request, runSqlOrThrow, useServer } from './helpers.js';
import { eventually } from './stream-helpers.js';

// ksqlDB's REST API writes temporal values as text, within ARRAY and MAP values too; inside a
// STRUCT they stay numbers and a DECIMAL becomes a double (Kafka Connect's JsonConverter writes structs).
const h = useServer({
  statements: [
    "CREATE STREAM T1 (ID INT KEY, TS TIMESTAMP, D DATE, T TIME, B BYTES, DEC DECIMAL(4,2)) WITH (KAFKA_TOPIC='t1', PARTITIONS=1, VALUE_FORMAT='JSON');",
    "CREATE SOURCE TABLE ST (ID INT PRIMARY KEY, TS TIMESTAMP, D DATE, T TIME, B BYTES, DEC DECIMAL(4,2)) WITH (KAFKA_TOPIC='t1', VALUE_FORMAT='JSON');",
    'CREATE TABLE MT AS SELECT * FROM ST;',
    "INSERT INTO T1 (ID, TS, D, T, B, DEC) VALUES (1, '2020-01-01T00:00:00.000', '2020-01-02', '01:02:03.456', TO_BYTES('abc', 'utf8'), 1.50);",
    "INSERT INTO T1 (ID, TS, D, T, B, DEC) VALUES (2, '1500-03-01T12:00:00.007', '1500-03-01', '01:00:00', NULL, NULL);",
  ],
});

const ROW_1 = [1, '2020-01-01T00:00:00.000', '2020-01-02', '01:02:03', 'YWJj', 1.5];
const ROW_1_TEXT = '[1,"2020-01-01T00:00:00.000","2020-01-02","01:02:03","YWJj",1.50]';
// A TIMESTAMP before 1582-10-15 prints in the Julian calendar, as java.util.Date does; a DATE does not (LocalDate).
const ROW_2_TEXT = '[2,"1500-02-20T12:00:00.007","1500-03-01","01:00",null,null]';
const NESTED = 'SELECT ID, STRUCT(TS := TS, D := D, T := T, DEC := DEC) AS S, ARRAY[TS] AS A, MAP(\'k\' := D) AS M FROM T1 WHERE ID = 1';
const NESTED_TEXT = '[1,{"TS":1577836800000,"D":18263,"T":3723456,"DEC":1.5},["2020-01-01T00:00:00.000"],{"k":"2020-01-02"}]';

async function postQueryStream(sql: string, accept?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${h.url}/query-stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
    body: JSON.stringify({ sql, properties: { 'auto.offset.reset': 'earliest' } }),
  });
  return { status: res.status, text: await res.text() };
}

async function postQuery(ksql: string): Promise<string> {
  const res = await fetch(`${h.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql }) });
  return res.text();
}

const rowLines = (text: string): string[] => text.split('\n').slice(1).filter((l) => l !== '');

test.serial('/query-stream (delimited) writes TIMESTAMP, DATE and TIME as text, BYTES as base64 and DECIMAL with its scale', async (t) => {
  const res = await postQueryStream('SELECT * FROM T1;');
  t.is(res.status, 200, res.text);
  t.deepEqual(rowLines(res.text), [ROW_1_TEXT, ROW_2_TEXT]);
});

test.serial('/query-stream (JSON) writes the same values', async (t) => {
  const res = await postQueryStream('SELECT * FROM T1 WHERE ID = 1;', 'application/json');
  t.is(res.status, 200, res.text);
  t.deepEqual(JSON.parse(res.text).slice(1), [ROW_1]);
  t.true(res.text.includes(ROW_1_TEXT));
});

test.serial('temporal values are text inside ARRAY and MAP values, and numbers inside a STRUCT', async (t) => {
  const res = await postQueryStream(`${NESTED};`);
  t.is(res.status, 200, res.text);
  t.deepEqual(rowLines(res.text), [NESTED_TEXT]);
});

test.serial('/query writes the same values, for pull queries on streams and on materialized and source tables', async (t) => {
  for (const sql of ['SELECT * FROM T1 WHERE ID = 1;', 'SELECT * FROM MT WHERE ID = 1;', 'SELECT * FROM ST WHERE ID = 1;']) {
    let text = '';
    await eventually(async () => (text = await postQuery(sql)).includes('"row"'), 10_000);
    t.true(text.includes(`{"row":{"columns":${ROW_1_TEXT}}}`), `${sql}: ${text}`);
  }
});

test.serial('/query-stream answers a pull query on a table with the same values', async (t) => {
  const res = await postQueryStream('SELECT * FROM MT WHERE ID = 1;');
  t.is(res.status, 200, res.text);
  t.deepEqual(rowLines(res.text), [ROW_1_TEXT]);
});

test.serial('/ws/query writes the same values for a push query', async (t) => {
  const params = encodeURIComponent(JSON.stringify({ ksql: `${NESTED} EMIT CHANGES LIMIT 1;`, streamsProperties: { 'auto.offset.reset': 'earliest' } }));
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?request=${params}`);
  const messages: string[] = [];
  ws.on('message', (m) => messages.push(String(m)));
  ws.on('error', () => {});
  await new Promise<void>((r) => ws.once('close', () => r()));
  t.is(messages[1], `{"row":{"columns":${NESTED_TEXT}}}`);
});

test.serial('the shell prints the values ksqlDB prints', async (t) => {
  const res = await runShell(['--server', h.url, '-e', "SET 'auto.offset.reset'='earliest'; SELECT TS, D, T FROM T1 EMIT CHANGES LIMIT 1;"]);
  t.is(res.code, 0, res.stderr);
  // The CLI wraps a value longer than its column onto the next line.
  t.regex(res.stdout, /\|2020-01-01T00:00:00\.\|2020-01-02 +\|01:02:03 +\|\n\|000 +\|/);
});

test.serial('a pull query on a table whose query was terminated fails with ksqlDB\'s error', async (t) => {
  const queryId = h.server.engine.listQueries().find((q) => q.sinkName === 'MT')!.id;
  await runSqlOrThrow(h, `TERMINATE ${queryId};`);
  const res = await request(`${h.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: 'SELECT * FROM MT;' }) });
  t.is(res.status, 400);
  t.is(res.body.error_code, 40001);
  t.is(res.body.message, "The `MT` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_MT AS SELECT * FROM MT'. "
    + 'See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.');
  const stream = await postQueryStream('SELECT * FROM MT WHERE ID = 1;');
  t.is(stream.status, 400);
  t.is(JSON.parse(stream.text).error_code, 40001);
});
