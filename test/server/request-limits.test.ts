import test from 'ava';
import { CREATE_CLICKS, request, runSql, useServer } from './helpers.js';

const h = useServer({
  start: { properties: { 'ksqlite.statement.max.length': '3000', 'ksqlite.expression.max.in.list': '10' } },
  statements: [CREATE_CLICKS, 'CREATE TABLE T (ID INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC=\'t\', PARTITIONS=1, VALUE_FORMAT=\'JSON\');', 'CREATE TABLE M AS SELECT * FROM T;'],
});

test('a statement over the configured length answers a generic 40000 naming the bound, on /ksql and /query-stream', async (t) => {
  const long = `SELECT ${Array(2000).fill('1').join('+')} FROM CLICKS EMIT CHANGES;`;
  const ksql = await runSql(h, long);
  t.is(ksql.status, 400);
  t.deepEqual(ksql.body, {
    '@type': 'generic_error',
    error_code: 40000,
    message: `The statement text is ${long.length} characters long; the server accepts at most 3000 (ksqlite.statement.max.length)`,
  });
  const query = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: long }) });
  t.is(query.status, 400);
  t.regex(query.body.message, /at most 3000 \(ksqlite\.statement\.max\.length\)/);
  t.is((await request(`${h.url}/healthcheck`)).status, 200);
});

test('a pull query with an IN list over the bound answers 40000', async (t) => {
  const sql = `SELECT * FROM M WHERE ID IN (${Array.from({ length: 11 }, (_, i) => i).join(', ')});`;
  const res = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql }) });
  t.is(res.status, 400);
  t.is(res.body.error_code, 40000);
  t.regex(res.body.message, /An IN list has 11 values; the server accepts at most 10/);
});

test('the bounds cannot be raised by a request', async (t) => {
  const res = await runSql(h, 'SHOW STREAMS;', { streamsProperties: { 'ksqlite.statement.max.length': '100000000' } });
  t.is(res.status, 400);
  t.regex(res.body.message, /Cannot override property 'ksqlite\.statement\.max\.length'/);
});
