/**
 * `curl --http2 http://...` (ksqlDB's pages call /query-stream this way) asks
 * to upgrade to h2c: the server keeps HTTP/1.1 and answers the request.
 */
import { connect } from 'node:net';
import test from 'ava';
import { runSqlOrThrow, useServer } from './helpers.js';

const h = useServer({ statements: ["CREATE STREAM EVENTS (ID INT KEY, KIND STRING) WITH (KAFKA_TOPIC='events', PARTITIONS=1, VALUE_FORMAT='JSON');"] });

/** Writes `requests` on one connection (as curl writes them) and answers everything the server sent until it closed. */
function exchange(requests: string[]): Promise<string> {
  const url = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.on('connect', () => socket.write(requests.join('')));
  });
}

function curlHttp2(path: string, body: string, connection = 'Upgrade, HTTP2-Settings'): string {
  return `POST ${path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n`
    + `Connection: ${connection}\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n${body}`;
}

test.serial('an h2c upgrade is ignored: /query-stream answers over HTTP/1.1', async (t) => {
  await runSqlOrThrow(h, "INSERT INTO EVENTS (ID, KIND) VALUES (1, 'click');");
  const sql = JSON.stringify({ sql: 'SELECT * FROM EVENTS LIMIT 1;', properties: { 'auto.offset.reset': 'earliest' } });
  const text = await exchange([curlHttp2('/query-stream', sql, 'Upgrade, HTTP2-Settings, close')]);
  t.regex(text, /^HTTP\/1\.1 200 OK\r\n/);
  t.notRegex(text, /^Upgrade:/im);
  t.regex(text, /"columnNames":\["ID","KIND"\]/);
  t.regex(text, /\[1,"click"\]/);
});

test.serial('after an ignored upgrade the connection keeps serving plain requests', async (t) => {
  const list = JSON.stringify({ ksql: 'LIST STREAMS;', streamsProperties: {} });
  const text = await exchange([
    curlHttp2('/ksql', list),
    `POST /ksql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(list)}\r\n\r\n${list}`,
  ]);
  const statuses = text.match(/HTTP\/1\.1 \d+/g);
  t.deepEqual(statuses, ['HTTP/1.1 200', 'HTTP/1.1 200']);
  t.is(text.match(/"name":"EVENTS"/g)?.length, 2);
});
