import test from 'ava';
import type { ClientHttp2Session } from 'node:http2';
import { request, runSql, useServer } from './helpers.js';
import { eventually, openHttp2, postStreamHttp1, postStreamHttp2 } from './stream-helpers.js';

let h2!: ClientHttp2Session;
const h = useServer({
  statements: ["CREATE STREAM PAGES (ID INT KEY, URL STRING, N BIGINT, PRICE DECIMAL(30, 2)) WITH (KAFKA_TOPIC='pages', PARTITIONS=2, VALUE_FORMAT='JSON');"],
  afterStart: async (started) => {
    h2 = openHttp2(started.url);
  },
  beforeStop: () => h2?.close(),
});

const insert = (id: number, url: string, n = '0', price = '0'): Promise<unknown> =>
  runSql(h, `INSERT INTO PAGES (ID, URL, N, PRICE) VALUES (${id}, '${url}', ${n}, ${price});`);

test.serial('a push query over HTTP/1.1 receives the rows inserted after it starts, and its LIMIT ends it', async (t) => {
  await insert(1, 'before');
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT URL, ID FROM PAGES EMIT CHANGES LIMIT 2;' }));
  t.is(await res.status, 200);
  t.is((await res.headers)['content-type'], 'application/vnd.ksqlapi.delimited.v1');
  const [header] = await res.lines(1);
  const parsed = JSON.parse(header!);
  t.regex(parsed.queryId, /^transient_PAGES_\d+$/);
  t.deepEqual(parsed.columnNames, ['URL', 'ID']);
  t.deepEqual(parsed.columnTypes, ['STRING', 'INTEGER']);
  await insert(2, 'a');
  await insert(3, 'b');
  await insert(4, 'c');
  await res.ended;
  t.deepEqual(res.text().split('\n').slice(1, -1).map((l) => JSON.parse(l)).sort((a, b) => a[1] - b[1]), [['a', 2], ['b', 3]]);
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0));
});

test.serial('over HTTP/2 each delimited row arrives in its own DATA frame', async (t) => {
  const res = postStreamHttp2(h2, '/query-stream', JSON.stringify({ sql: "SELECT * FROM PAGES WHERE URL LIKE 'x%' EMIT CHANGES LIMIT 3;" }));
  t.is(await res.status, 200);
  await res.lines(1);
  for (let i = 0; i < 5; i++) await insert(10 + i, i % 2 === 0 ? `x${i}` : `y${i}`);
  await res.ended;
  t.is(res.chunks.length, 4);
  for (const chunk of res.chunks) t.notThrows(() => JSON.parse(chunk));
  t.deepEqual(res.chunks.slice(1).map((c) => JSON.parse(c)[1]).sort(), ['x0', 'x2', 'x4']);
});

test.serial('BIGINT and DECIMAL values keep every digit', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT N, PRICE FROM PAGES WHERE ID = 77 EMIT CHANGES LIMIT 1;' }));
  await res.lines(1);
  await insert(77, 'big', '9007199254740993', '1234567890123456789012.50');
  await res.ended;
  t.is(res.text().split('\n')[1], '[9007199254740993,1234567890123456789012.50]');
});

test.serial('an application/json response is one array: the header object, then the rows', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT ID FROM PAGES WHERE ID = 5 EMIT CHANGES LIMIT 1;' }), { accept: 'application/json' });
  t.is(await res.status, 200);
  await eventually(() => res.chunks.length > 0);
  await insert(5, 'five');
  await res.ended;
  const body = JSON.parse(res.text());
  t.deepEqual(body[0].columnNames, ['ID']);
  t.deepEqual(body.slice(1), [[5]]);
});

test.serial('auto.offset.reset earliest replays the rows already in the stream', async (t) => {
  const res = postStreamHttp2(h2, '/query-stream', JSON.stringify({
    sql: "SELECT ID FROM PAGES WHERE URL = 'before' EMIT CHANGES;", properties: { 'auto.offset.reset': 'earliest' },
  }));
  const lines = await res.lines(2);
  t.deepEqual(JSON.parse(lines[1]!), [1]);
  res.close();
});

test.serial('close-query ends the push query and its response', async (t) => {
  const res = postStreamHttp2(h2, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM PAGES EMIT CHANGES;' }));
  const [header] = await res.lines(1);
  const { queryId } = JSON.parse(header!);
  t.truthy(h.server.engine.getTransientQuery(queryId));
  const closed = await request(`${h.url}/close-query`, { method: 'POST', body: JSON.stringify({ queryId }) });
  t.is(closed.status, 200);
  await res.ended;
  t.is(h.server.engine.getTransientQuery(queryId), undefined);
  const again = await request(`${h.url}/close-query`, { method: 'POST', body: JSON.stringify({ queryId }) });
  t.is(again.status, 400);
  t.is(again.body['@type'], 'generic_error');
});

test.serial('a client that goes away, over HTTP/1.1 or HTTP/2, frees its transient query', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM PAGES EMIT CHANGES;' }));
  const [header] = await res.lines(1);
  const { queryId } = JSON.parse(header!);
  t.truthy(h.server.engine.getTransientQuery(queryId));
  res.close();
  t.true(await eventually(() => h.server.engine.getTransientQuery(queryId) === undefined));
  const overHttp2 = postStreamHttp2(h2, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM PAGES EMIT CHANGES;' }));
  const id2 = JSON.parse((await overHttp2.lines(1))[0]!).queryId;
  overHttp2.close();
  t.true(await eventually(() => h.server.engine.getTransientQuery(id2) === undefined));
});

test.serial('SHOW QUERIES lists a running push query as PUSH, with no sink', async (t) => {
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0));
  const res = postStreamHttp2(h2, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM PAGES EMIT CHANGES;' }));
  const [header] = await res.lines(1);
  const shown = await runSql(h, 'SHOW QUERIES;');
  t.deepEqual(shown.body[0].queries, [{
    queryString: 'SELECT * FROM PAGES EMIT CHANGES;', sinks: [], sinkKafkaTopics: [], id: JSON.parse(header!).queryId,
    statusCount: { RUNNING: 1 }, queryType: 'PUSH', state: 'RUNNING',
  }]);
  res.close();
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0));
  t.deepEqual((await runSql(h, 'SHOW QUERIES;')).body[0].queries, []);
});

test.serial('a pull query on a stream scans the rows present when it starts, then ends', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT ID, URL FROM PAGES WHERE ID < 4;' }), { accept: 'application/json' });
  await res.ended;
  const body = JSON.parse(res.text());
  t.is(body[0].queryId, undefined);
  t.deepEqual(body.slice(1).sort((a: number[], b: number[]) => a[0]! - b[0]!), [[1, 'before'], [2, 'a'], [3, 'b']]);
});

test.serial('sessionVariables are substituted into the query, and properties apply to it', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({
    sql: 'SELECT ID, URL FROM ${source} WHERE ID < ${bound};', sessionVariables: { source: 'PAGES', BOUND: 3 }, properties: { 'ksql.variable.substitution.enable': true },
  }), { accept: 'application/json' });
  await res.ended;
  const body = JSON.parse(res.text());
  t.deepEqual(body.slice(1).sort((a: number[], b: number[]) => a[0]! - b[0]!), [[1, 'before'], [2, 'a']]);
  const off = await request(`${h.url}/query-stream`, {
    method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM ${source};', sessionVariables: { source: 'PAGES' }, properties: { 'ksql.variable.substitution.enable': false } }),
  });
  t.is(off.status, 400);
});

test.serial('a pull query with LIMIT stops after that many rows', async (t) => {
  const res = postStreamHttp2(h2, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM PAGES LIMIT 2;' }));
  await res.ended;
  t.is(res.chunks.length, 3);
});

test.serial('bad requests get an error status and ksqlDB error body before any row', async (t) => {
  const unknown = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM NOPE EMIT CHANGES;' }) });
  t.is(unknown.status, 400);
  t.is(unknown.body['@type'], 'statement_error');
  t.is(unknown.body.error_code, 40001);
  const notQuery = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SHOW STREAMS;' }) });
  t.is(notQuery.status, 400);
  t.regex(notQuery.body.message, /not a query/);
  const badJson = await request(`${h.url}/query-stream`, { method: 'POST', body: '{"sql": ' });
  t.is(badJson.status, 400);
  t.is(badJson.body.error_code, 40000);
  const noSql = await request(`${h.url}/query-stream`, { method: 'POST', body: '{}' });
  t.is(noSql.status, 400);
  const syntax = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELEKT 1;' }) });
  t.is(syntax.status, 400);
});

test.serial("pull queries refuse the clauses ksqlDB refuses, and tables that are not queryable", async (t) => {
  await runSql(h, "CREATE TABLE PLAIN (ID INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='plain', PARTITIONS=1, VALUE_FORMAT='JSON');");
  const grouped = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT ID, COUNT(*) FROM PAGES GROUP BY ID;' }) });
  t.is(grouped.status, 400);
  t.regex(grouped.body.message, /^Pull queries don't support GROUP BY clauses/);
  const partitioned = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM PAGES PARTITION BY URL;' }) });
  t.regex(partitioned.body.message, /^Pull queries don't support PARTITION BY clauses/);
  const table = await request(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM PLAIN;' }) });
  t.is(table.status, 400);
  t.regex(table.body.message, /^The `PLAIN` table isn't queryable/);
});

test.serial('the older /query endpoint answers a header row, rows and the final message at LIMIT', async (t) => {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: 'SELECT ID, URL FROM PAGES WHERE ID = 40 EMIT CHANGES LIMIT 1;' }));
  t.is(await res.status, 200);
  await eventually(() => res.chunks.length > 0);
  await insert(40, 'forty');
  await res.ended;
  const body = JSON.parse(res.text());
  t.regex(body[0].header.queryId, /^transient_PAGES_\d+$/);
  t.is(body[0].header.schema, '`ID` INTEGER, `URL` STRING');
  t.deepEqual(body[1], { row: { columns: [40, 'forty'] } });
  t.deepEqual(body[2], { finalMessage: 'Limit Reached' });
});
