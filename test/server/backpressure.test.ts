import test from 'ava';
import { connect } from 'node:net';
import { runSql, useServer } from './helpers.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';

const h = useServer({
  start: { streamLimits: { bufferRows: 5, stallMs: 1000 } },
  statements: [
    "CREATE STREAM BLOBS (ID INT KEY, DATA STRING) WITH (KAFKA_TOPIC='blobs', PARTITIONS=1, VALUE_FORMAT='JSON');",
    'CREATE STREAM COPIES AS SELECT * FROM BLOBS;',
  ],
});

const ROWS = 400;

test.serial('a client that stops reading pauses its query, is disconnected past the bound, and persistent queries never wait', async (t) => {
  const blob = 'x'.repeat(64 * 1024);
  const body = [JSON.stringify({ target: 'BLOBS' }), ...Array.from({ length: ROWS }, (_, i) => JSON.stringify({ ID: i, DATA: blob }))].join('\n');
  const inserted = postStreamHttp1(h.url, '/inserts-stream', body);
  await inserted.ended;
  t.is(inserted.text().trim().split('\n').length, ROWS);

  // A raw client that sends its query and never reads the response.
  const socket = connect(h.server.port, '127.0.0.1');
  const request = JSON.stringify({ sql: 'SELECT * FROM BLOBS EMIT CHANGES;', properties: { 'auto.offset.reset': 'earliest' } });
  socket.write(`POST /query-stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(request)}\r\n\r\n${request}`);
  socket.pause();
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('error', () => {});

  t.true(await eventually(() => h.server.engine.listTransientQueries()[0]?.isPaused === true, 15_000));
  const query = h.server.engine.listTransientQueries()[0]!;
  // The persistent query copies every row meanwhile.
  t.true(await eventually(() => h.server.engine.listQueries()[0]!.tasks[0]!.processed === ROWS, 20_000));
  t.true(query.rowCount < ROWS);
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0, 15_000));
  // Reading again, the client finds the reason at the end of what it was sent.
  let tail = '';
  socket.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('latin1')).slice(-2000);
  });
  socket.resume();
  await closed;
  t.regex(tail, /did not read its results/);
});

