import test from 'ava';
import WebSocket from 'ws';
import { runSqlOrThrow, useServer } from './helpers.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';

const h = useServer({
  statements: [
    "CREATE STREAM EVENTS (A STRING KEY, V INT) WITH (KAFKA_TOPIC='events', PARTITIONS=1, VALUE_FORMAT='JSON');",
    'CREATE TABLE WC AS SELECT A, COUNT(*) AS C FROM EVENTS WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY A;',
    "CREATE STREAM SESSIONS (K BIGINT KEY, ID INT) WITH (KAFKA_TOPIC='sessions', PARTITIONS=1, VALUE_FORMAT='JSON', WINDOW_TYPE='Session');",
  ],
  afterStart: async (started) => {
    await runSqlOrThrow(started, "INSERT INTO EVENTS (A, V, ROWTIME) VALUES ('x', 1, 12345);");
  },
});

const EARLIEST = { 'auto.offset.reset': 'earliest' };

test.serial('a push SELECT * on a windowed table carries WINDOWSTART and WINDOWEND after the key, over /query-stream', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM WC EMIT CHANGES LIMIT 1;', properties: EARLIEST }));
  const [header, row] = await res.lines(2);
  t.deepEqual(JSON.parse(header!).columnNames, ['A', 'WINDOWSTART', 'WINDOWEND', 'C']);
  t.deepEqual(JSON.parse(header!).columnTypes, ['STRING', 'BIGINT', 'BIGINT', 'BIGINT']);
  t.deepEqual(JSON.parse(row!), ['x', 12000, 13000, 1]);
});

test.serial('over /query the header schema names the window bounds, without KEY as for any push query', async (t) => {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: 'SELECT * FROM WC EMIT CHANGES LIMIT 1;', streamsProperties: EARLIEST }));
  await res.ended;
  const body = JSON.parse(res.text());
  t.is(body[0].header.schema, '`A` STRING, `WINDOWSTART` BIGINT, `WINDOWEND` BIGINT, `C` BIGINT');
  t.deepEqual(body[1].row.columns, ['x', 12000, 13000, 1]);
});

test.serial('over the WebSocket the columns include the window bounds', async (t) => {
  const request = encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM WC EMIT CHANGES LIMIT 1;', streamsProperties: EARLIEST }));
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?request=${request}`);
  const messages: string[] = [];
  ws.on('message', (m) => messages.push(String(m)));
  ws.on('error', () => {});
  t.true(await eventually(() => messages.length >= 2));
  ws.close();
  t.deepEqual(JSON.parse(messages[0]!).map((c: { name: string }) => c.name), ['A', 'WINDOWSTART', 'WINDOWEND', 'C']);
  t.deepEqual(JSON.parse(messages[1]!), { row: { columns: ['x', 12000, 13000, 1] } });
});

test.serial('a declared windowed stream has its window bounds in SELECT * too', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM SESSIONS EMIT CHANGES LIMIT 1;', properties: EARLIEST }));
  const [header] = await res.lines(1);
  t.deepEqual(JSON.parse(header!).columnNames, ['K', 'WINDOWSTART', 'WINDOWEND', 'ID']);
  res.close();
});
