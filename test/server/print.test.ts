import test from 'ava';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { runSql, startServer, stopServer, type Harness } from './helpers.js';
import { eventually, openHttp2, postStreamHttp1, postStreamHttp2 } from './stream-helpers.js';

let h: Harness;
test.before(async () => {
  h = await startServer(undefined, { streamLimits: { bufferRows: 5, stallMs: 1000 } });
  await runSql(h, "CREATE STREAM EVENTS (ID INT KEY, KIND STRING) WITH (KAFKA_TOPIC='events', PARTITIONS=1, VALUE_FORMAT='JSON');");
  await runSql(h, "INSERT INTO EVENTS (ROWTIME, ID, KIND) VALUES (1588344313111, 1, 'click');");
  await runSql(h, "INSERT INTO EVENTS (ROWTIME, ID, KIND) VALUES (1588344313112, 2, 'view');");
  await runSql(h, "CREATE STREAM LATER (ID INT KEY, KIND STRING) WITH (KAFKA_TOPIC='Later', PARTITIONS=2, VALUE_FORMAT='JSON');");
});
test.after.always(async () => {
  await stopServer(h);
});

const FIRST = 'rowtime: 2020/05/01 14:45:13.111 Z, key: 1, value: {"KIND":"click"}, partition: 0';
const SECOND = 'rowtime: 2020/05/01 14:45:13.112 Z, key: 2, value: {"KIND":"view"}, partition: 0';

const legacy = (ksql: string, streamsProperties: Record<string, string> = {}) =>
  postStreamHttp1(h.url, '/query', JSON.stringify({ ksql, streamsProperties }));

test.serial('PRINT on /query streams the guessed formats and one line per record as chunked text, ending at LIMIT', async (t) => {
  const res = legacy("PRINT 'events' FROM BEGINNING LIMIT 2;");
  t.is(await res.status, 200);
  t.regex(String((await res.headers)['content-type']), /^application\/json/);
  t.is((await res.headers)['transfer-encoding'], 'chunked');
  await res.ended;
  t.deepEqual(res.text().split('\n'), ['Key format: KAFKA_INT or KAFKA_STRING', 'Value format: JSON or KAFKA_STRING', FIRST, SECOND, '']);
});

test.serial('PRINT on /query starts at the end unless auto.offset.reset says earliest', async (t) => {
  const earliest = legacy('PRINT events LIMIT 1;', { 'ksql.streams.auto.offset.reset': 'earliest' });
  await earliest.ended;
  t.true(earliest.text().includes(FIRST));
  const latest = legacy('PRINT events LIMIT 1;');
  t.true(await eventually(() => h.server.engine.listPrints().length === 1));
  await runSql(h, "INSERT INTO EVENTS (ROWTIME, ID, KIND) VALUES (0, 3, 'late');");
  await latest.ended;
  t.true(latest.text().endsWith('rowtime: 1970/01/01 00:00:00.000 Z, key: 3, value: {"KIND":"late"}, partition: 0\n'));
});

test.serial('PRINT of an unknown topic on /query is a 400 naming the topic, suggesting names that differ only in case', async (t) => {
  const res = legacy('PRINT later;');
  t.is(await res.status, 400);
  await res.ended;
  const body = JSON.parse(res.text());
  t.is(body['@type'], 'generic_error');
  t.is(body.error_code, 40000);
  t.is(body.message, "Could not find topic 'later', or the KSQL user does not have permissions to list the topic. "
    + 'Topic names are case-sensitive.\nDid you mean:\n\tprint Later;');
});

test.serial('PRINT on /query-stream writes only the record lines, delimited, over HTTP/1.1 and HTTP/2', async (t) => {
  const body = JSON.stringify({ sql: "PRINT 'events' FROM BEGINNING LIMIT 2;", properties: {} });
  const res = postStreamHttp1(h.url, '/query-stream', body, { accept: 'application/vnd.ksqlapi.delimited.v1' });
  t.is(await res.status, 200);
  await res.ended;
  t.deepEqual(res.text().split('\n'), [FIRST, SECOND, '']);
  const session = openHttp2(h.url);
  try {
    const res2 = postStreamHttp2(session, '/query-stream', body, { 'content-type': 'application/json' });
    t.is(await res2.status, 200);
    await res2.ended;
    t.deepEqual(res2.text().split('\n'), [FIRST, SECOND, '']);
  } finally {
    session.close();
  }
});

test.serial('PRINT on /query-stream refuses JSON with 406 and an unknown topic with 40001', async (t) => {
  const json = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'PRINT events;' }), { accept: 'application/json' });
  t.is(await json.status, 406);
  const missing = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'PRINT nope;' }));
  t.is(await missing.status, 400);
  await missing.ended;
  t.like(JSON.parse(missing.text()), { '@type': 'generic_error', error_code: 40001, message: 'Topic does not exist: nope' });
});

test.serial('closing the connection stops PRINT', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'PRINT events;' }));
  t.is(await res.status, 200);
  t.true(await eventually(() => h.server.engine.listPrints().length === 1));
  res.close();
  t.true(await eventually(() => h.server.engine.listPrints().length === 0));
});

interface Session {
  readonly messages: string[];
  readonly closed: Promise<{ code: number; reason: string }>;
}

function openWs(ksql: string): Session {
  const request = encodeURIComponent(JSON.stringify({ ksql, streamsProperties: {} }));
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?request=${request}`);
  const messages: string[] = [];
  ws.on('message', (m) => messages.push(String(m)));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
  return { messages, closed };
}

test.serial('PRINT over the WebSocket sends each line as a JSON string and closes with 1000 at LIMIT', async (t) => {
  const s = openWs("PRINT 'events' FROM BEGINNING LIMIT 2;");
  t.deepEqual(await s.closed, { code: 1000, reason: 'done' });
  t.deepEqual(s.messages.map((m) => JSON.parse(m)), [FIRST, SECOND]);
});

test.serial('PRINT of an unknown topic over the WebSocket closes with 1003 and ksqlDB\'s reason', async (t) => {
  const s = openWs('PRINT nope;');
  t.deepEqual(await s.closed, { code: 1003, reason: 'Topic does not exist, or KSQL does not have permission to list the topic: nope' });
});

test.serial('a PRINT client that stops reading is paused, then disconnected with the reason', async (t) => {
  const blob = 'x'.repeat(64 * 1024);
  const body = [JSON.stringify({ target: 'LATER' }), ...Array.from({ length: 300 }, (_, i) => JSON.stringify({ ID: i, KIND: blob }))].join('\n');
  await postStreamHttp1(h.url, '/inserts-stream', body).ended;

  const socket = connect(h.server.port, '127.0.0.1');
  const request = JSON.stringify({ ksql: "PRINT 'Later' FROM BEGINNING;" });
  socket.write(`POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(request)}\r\n\r\n${request}`);
  socket.pause();
  socket.on('error', () => {});
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  t.true(await eventually(() => h.server.engine.listPrints()[0]?.isPaused === true, 15_000));
  t.true(await eventually(() => h.server.engine.listPrints().length === 0, 20_000));
  let tail = '';
  let received = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    tail = (tail + chunk.toString('latin1')).slice(-2000);
  });
  socket.resume();
  await closed;
  t.regex(tail, /did not read for 1000 ms/);
  // Far fewer than the 300 records went out: the PRINT waited for the client.
  t.true(received < 100 * blob.length);
});

test.serial('stopping the server ends a running PRINT\'s response normally', async (t) => {
  const own = await startServer();
  try {
    await runSql(own, "CREATE STREAM S (ID INT KEY) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    const res = postStreamHttp1(own.url, '/query-stream', JSON.stringify({ sql: "PRINT 's';" }));
    t.is(await res.status, 200);
    t.true(await eventually(() => own.server.engine.listPrints().length === 1));
    await own.server.stop();
    await res.ended;
    t.is(own.server.engine.listPrints().length, 0);
    t.is(res.text(), '');
  } finally {
    await stopServer(own);
  }
});

test.serial('PRINT shows Avro records found through the registry decoded, as ksqlDB does, naming AVRO among the formats', async (t) => {
  await runSql(h, "CREATE STREAM PAYMENTS (ID INT KEY, WHO STRING, AMOUNT DOUBLE, TAGS ARRAY<STRING>) WITH (KAFKA_TOPIC='payments', PARTITIONS=1, FORMAT='AVRO');");
  await runSql(h, "INSERT INTO PAYMENTS (ROWTIME, ID, WHO, AMOUNT, TAGS) VALUES (1588344313111, 1, 'al\"ice', 1.5, ARRAY['x', 'y']);");
  await runSql(h, "INSERT INTO PAYMENTS (ROWTIME, ID, WHO, AMOUNT, TAGS) VALUES (1588344313112, 2, NULL, 1e10, NULL);");
  const res = legacy("PRINT 'payments' FROM BEGINNING LIMIT 2;");
  await res.ended;
  t.deepEqual(res.text().split('\n'), [
    'Key format: AVRO or KAFKA_STRING',
    'Value format: AVRO',
    'rowtime: 2020/05/01 14:45:13.111 Z, key: 1, value: {"WHO": "al\\"ice", "AMOUNT": 1.5, "TAGS": ["x", "y"]}, partition: 0',
    'rowtime: 2020/05/01 14:45:13.112 Z, key: 2, value: {"WHO": null, "AMOUNT": 1.0E10, "TAGS": null}, partition: 0',
    '',
  ]);
});

test.serial('PRINT shows JSON_SR records found through the registry as their JSON, naming JSON_SR among the formats', async (t) => {
  await runSql(h, "CREATE STREAM READINGS (ID INT KEY, SENSOR STRING, LEVEL DOUBLE) WITH (KAFKA_TOPIC='readings', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON_SR');");
  await runSql(h, "INSERT INTO READINGS (ROWTIME, ID, SENSOR, LEVEL) VALUES (1588344313111, 1, 'north', 2.5);");
  const res = legacy("PRINT 'readings' FROM BEGINNING LIMIT 1;");
  await res.ended;
  t.deepEqual(res.text().split('\n'), [
    'Key format: KAFKA_INT or KAFKA_STRING',
    // The framing bytes are valid UTF-8 too, so KAFKA_STRING stays a candidate, as with ksqlDB's string deserializer.
    'Value format: JSON_SR or KAFKA_STRING',
    'rowtime: 2020/05/01 14:45:13.111 Z, key: 1, value: {"SENSOR":"north","LEVEL":2.5}, partition: 0',
    '',
  ]);
});

test.serial('PRINT shows PROTOBUF records found through the registry as protobuf-java\'s short text form, naming PROTOBUF among the formats', async (t) => {
  await runSql(h, "CREATE STREAM ORDERS_PB (ID INT KEY, ITEM STRING, QTY INT, PRICE DOUBLE, TAGS ARRAY<STRING>, ADDR STRUCT<CITY STRING, ZIP INT>, M MAP<STRING, INT>) WITH (KAFKA_TOPIC='orders_pb', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='PROTOBUF');");
  await runSql(h, "INSERT INTO ORDERS_PB (ROWTIME, ID, ITEM, QTY, PRICE, TAGS, ADDR, M) VALUES (1588344313111, 1, 'tea \"green\"', 0, 1e10, ARRAY['a', 'b'], STRUCT(CITY := 'Zürich', ZIP := 8000), MAP('b' := 2, 'a' := 1));");
  const res = legacy("PRINT 'orders_pb' FROM BEGINNING LIMIT 1;");
  await res.ended;
  const lines = res.text().split('\n');
  t.is(lines[1], 'Value format: PROTOBUF');
  // QTY 0 is proto3's default: not set, so not shown, as protobuf-java shows it.
  t.is(lines[2], 'rowtime: 2020/05/01 14:45:13.111 Z, key: 1, value: ITEM: "tea \\"green\\"" PRICE: 1.0E10 TAGS: "a" TAGS: "b" ADDR { CITY: "Z\\303\\274rich" ZIP: 8000 } M { key: "a" value: 1 } M { key: "b" value: 2 }, partition: 0');
  t.is(lines[0], 'Key format: KAFKA_INT or KAFKA_STRING');
});
