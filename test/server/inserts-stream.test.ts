import test from 'ava';
import type { ClientHttp2Session } from 'node:http2';
import { request, runSql, useServer } from './helpers.js';
import { openHttp2, postStreamHttp1, postStreamHttp2 } from './stream-helpers.js';

let h2!: ClientHttp2Session;
const h = useServer({
  statements: [
    "CREATE STREAM ORDERS (ID INT KEY, ITEM STRING, QTY BIGINT) WITH (KAFKA_TOPIC='orders', PARTITIONS=1, VALUE_FORMAT='JSON');",
    "CREATE TABLE STOCK (ITEM STRING PRIMARY KEY, N INT) WITH (KAFKA_TOPIC='stock', PARTITIONS=1, VALUE_FORMAT='JSON');",
  ],
  afterStart: async (started) => {
    h2 = openHttp2(started.url);
  },
  beforeStop: () => h2?.close(),
});

async function scan(): Promise<unknown[]> {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT ID, ITEM, QTY FROM ORDERS;' }), { accept: 'application/json' });
  await res.ended;
  return JSON.parse(res.text()).slice(1);
}

test.serial('rows streamed over HTTP/2 are appended and acked in order, one delimited ack per frame', async (t) => {
  const res = postStreamHttp2(h2, '/inserts-stream', '{ "target": "orders" }\n{"ID":1,"ITEM":"apple","QTY":3}\n{"id":2,"item":"pear","qty":12345678901234567}');
  t.is(await res.status, 200);
  await res.ended;
  t.deepEqual(res.chunks.map((c) => JSON.parse(c)), [{ status: 'ok', seq: 0 }, { status: 'ok', seq: 1 }]);
  t.deepEqual(await scan(), [[1, 'apple', 3], [2, 'pear', 12345678901234567]]);
});

test.serial('a client accepting JSON gets the acks as one array', async (t) => {
  const res = postStreamHttp1(h.url, '/inserts-stream', '{"target":"ORDERS"}\n{"ID":3,"ITEM":"fig"}\n', { accept: 'application/json' });
  await res.ended;
  t.deepEqual(JSON.parse(res.text()), [{ status: 'ok', seq: 0 }]);
  const none = postStreamHttp1(h.url, '/inserts-stream', '{"target":"ORDERS"}\n', { accept: 'application/json' });
  await none.ended;
  t.deepEqual(JSON.parse(none.text()), []);
});

test.serial('a bad row is answered with an error holding its seq, and the rows after it still go in', async (t) => {
  const res = postStreamHttp1(h.url, '/inserts-stream', '{"target":"ORDERS"}\n{"ID":"x"}\n{not json}\n{"ID":4,"ITEM":"kiwi"}\n');
  await res.ended;
  const acks = res.text().trim().split('\n').map((l) => JSON.parse(l));
  t.is(acks[0].status, 'error');
  t.is(acks[0].seq, 0);
  t.is(acks[0].error_code, 40001);
  t.is(acks[1].status, 'error');
  t.is(acks[1].seq, 1);
  t.deepEqual(acks[2], { status: 'ok', seq: 2 });
  t.true((await scan()).some((r) => JSON.stringify(r) === '[4,"kiwi",null]'));
});

test.serial('a row with a number beyond its column type is refused with ksqlDB error and the other rows go in', async (t) => {
  const res = postStreamHttp1(h.url, '/inserts-stream', [
    '{"target":"ORDERS"}',
    '{"ID":10,"ITEM":"big","QTY":99999999999999999999999}',
    '{"ID":3000000000,"ITEM":"wide"}',
    '{"ID":11,"ITEM":"float","QTY":1e30}',
    '{"ID":-2147483648,"ITEM":"min","QTY":-9223372036854775808}',
    '{"ID":2147483647,"ITEM":"max","QTY":9223372036854775807}',
  ].join('\n'));
  await res.ended;
  const acks = res.text().trim().split('\n').map((l) => JSON.parse(l));
  t.deepEqual(acks, [
    { status: 'error', seq: 0, error_code: 40000, message: "Can't coerce a field of type class java.math.BigInteger (99999999999999999999999) into type BIGINT" },
    { status: 'error', seq: 1, error_code: 40000, message: "Can't coerce a field of type class java.lang.Long (3000000000) into type INTEGER" },
    { status: 'error', seq: 2, error_code: 40000, message: "Can't coerce a field of type class java.lang.Double (1.0E30) into type BIGINT" },
    { status: 'ok', seq: 3 },
    { status: 'ok', seq: 4 },
  ]);
  const query = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT ID, ITEM, QTY FROM ORDERS;' }));
  await query.ended;
  const rows = query.text();
  t.true(rows.includes('[-2147483648,"min",-9223372036854775808]'));
  t.true(rows.includes('[2147483647,"max",9223372036854775807]'));
  t.false(/big|wide|float/.test(rows));
});

test.serial('an unknown or read-only target fails the request with ksqlDB error body', async (t) => {
  const unknown = await request(`${h.url}/inserts-stream`, { method: 'POST', body: '{"target":"NOPE"}\n{"ID":1}' });
  t.is(unknown.status, 400);
  t.is(unknown.body['@type'], 'generic_error');
  t.regex(unknown.body.message, /NOPE/);
  const table = await request(`${h.url}/inserts-stream`, { method: 'POST', body: '{"target":"STOCK"}\n{"ITEM":"a","N":1}' });
  t.is(table.status, 400);
  t.regex(table.body.message, /table/);
  const noTarget = await request(`${h.url}/inserts-stream`, { method: 'POST', body: '{"stream":"ORDERS"}' });
  t.is(noTarget.status, 400);
  t.is(noTarget.body.error_code, 40000);
});

test.serial('a row nested 100,000 levels deep with a long number is answered with a row error, and the rows after it go in', async (t) => {
  const depth = 100_000;
  const deep = `${'['.repeat(depth)}12345678901234567890${']'.repeat(depth)}`;
  const res = postStreamHttp1(h.url, '/inserts-stream', `{"target":"ORDERS"}\n{"ID":20,"ITEM":${deep}}\n${deep}\n{"ID":21,"ITEM":"deep-after"}\n`);
  await res.ended;
  const acks = res.text().trim().split('\n').map((l) => JSON.parse(l));
  t.deepEqual(acks[0], { status: 'error', seq: 0, error_code: 40001, message: 'Invalid value for column ITEM: the value is nested too deeply' });
  t.like(acks[1], { status: 'error', seq: 1 });
  t.notRegex(acks[1].message, /call stack/);
  t.deepEqual(acks[2], { status: 'ok', seq: 2 });
  t.true((await scan()).some((r) => JSON.stringify(r) === '[21,"deep-after",null]'));
});
