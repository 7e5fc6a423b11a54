import test from 'ava';
import WebSocket from 'ws';
import { runSql, startServer, stopServer } from './helpers.js';
import { eventually, openHttp2, postStreamHttp1, postStreamHttp2 } from './stream-helpers.js';

test('stopping the server ends the responses of running push queries, over HTTP/1.1, HTTP/2 and WebSocket', async (t) => {
  const h = await startServer();
  await runSql(h, "CREATE STREAM TICKS (ID INT KEY, N INT) WITH (KAFKA_TOPIC='ticks', PARTITIONS=1, VALUE_FORMAT='JSON');");
  const h1 = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM TICKS EMIT CHANGES;' }));
  const session = openHttp2(h.url);
  const h2 = postStreamHttp2(session, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM TICKS EMIT CHANGES;' }));
  const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM TICKS EMIT CHANGES;' }))}`);
  ws.on('error', () => {});
  const wsClosed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await h1.lines(1);
  await h2.lines(1);
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 3));
  await stopServer(h);
  await h1.ended;
  await h2.ended;
  t.is(await wsClosed, 1001);
  session.close();
});
