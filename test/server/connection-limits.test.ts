import test from 'ava';
import { connect as connectHttp2 } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { declareClientStream, useServer } from './helpers.js';
import { openHttp2, postStreamHttp1, postStreamHttp2 } from './stream-helpers.js';

const h = useServer({
  start: {
    properties: {
      'ksqlite.http.header.timeout.ms': '400',
      'ksqlite.http.request.timeout.ms': '400',
      'ksqlite.http.keepalive.timeout.ms': '300',
      'ksql.idle.connection.timeout.seconds': '1',
      'ksqlite.http.max.connections': '6',
      'ksqlite.http2.max.concurrent.streams': '7',
    },
  },
  statements: [declareClientStream('WAITING')],
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(h.server.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Milliseconds until the server closes `socket` (Infinity when it is still open after 5 s), collecting what it sent. */
function closed(socket: Socket, received: Buffer[] = []): Promise<number> {
  const start = Date.now();
  socket.on('data', (c: Buffer) => received.push(c));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Infinity);
    }, 5000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}

test.serial('a connection that never sends a request is closed by the header timeout', async (t) => {
  const socket = await open();
  const ms = await closed(socket);
  t.true(ms >= 300 && ms < 3000, `closed after ${ms} ms`);
});

test.serial('a slowloris sender, one header line at a time, is closed by the header timeout', async (t) => {
  const socket = await open();
  const ended = closed(socket);
  socket.write('GET /info HTTP/1.1\r\nHost: localhost\r\n');
  let lines = 0;
  const drip = setInterval(() => socket.writable && socket.write(`X-Drip-${lines++}: a\r\n`), 100);
  const ms = await ended;
  clearInterval(drip);
  t.true(ms < 3000, `closed after ${ms} ms`);
  t.true(lines >= 3);
});

test.serial('a keep-alive connection closes after its last response, and a body that does not arrive answers 408', async (t) => {
  const socket = await open();
  const received: Buffer[] = [];
  const ended = closed(socket, received);
  socket.write('GET /healthcheck HTTP/1.1\r\nHost: localhost\r\n\r\n');
  t.true((await ended) < 3000);
  t.regex(Buffer.concat(received).toString(), /^HTTP\/1\.1 200/);

  const slow = await open();
  const answer: Buffer[] = [];
  const slowEnded = closed(slow, answer);
  slow.write('POST /ksql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ksql":');
  await slowEnded;
  const text = Buffer.concat(answer).toString();
  t.regex(text, /^HTTP\/1\.1 408/);
  t.regex(text, /"error_code":40800/);
});

test.serial('an HTTP/2 session without a stream is closed by the idle timeout with a GOAWAY, and advertises its stream limit', async (t) => {
  const session = connectHttp2(h.url);
  session.on('error', () => {});
  await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
  t.is(session.remoteSettings.maxConcurrentStreams, 7);
  let goaway = false;
  session.on('goaway', () => (goaway = true));
  const start = Date.now();
  await new Promise<void>((resolve) => {
    session.once('close', () => resolve());
    setTimeout(() => {
      session.destroy();
      resolve();
    }, 6000);
  });
  const ms = Date.now() - start;
  t.true(ms >= 800 && ms < 5000, `closed after ${ms} ms`);
  t.true(goaway, 'the session ends with a GOAWAY');
});

test.serial('push queries over HTTP/1.1 and HTTP/2 are not idle while they wait for rows', async (t) => {
  const body = JSON.stringify({ sql: 'SELECT * FROM WAITING EMIT CHANGES;' });
  const h1 = postStreamHttp1(h.url, '/query-stream', body);
  const session = openHttp2(h.url);
  const h2 = postStreamHttp2(session, '/query-stream', body);
  t.is(await h1.status, 200);
  t.is(await h2.status, 200);
  let ended = false;
  void Promise.race([h1.ended, h2.ended]).then(() => (ended = true));
  await new Promise((r) => setTimeout(r, 1800));
  t.false(ended);
  h1.close();
  h2.close();
  session.close();
});

test.serial('connections over the limit are refused while an open one keeps answering /healthcheck', async (t) => {
  const kept = await open();
  const flood: Socket[] = [];
  const floodClosed: Promise<number>[] = [];
  for (let i = 0; i < 10; i++) {
    const s = await open();
    flood.push(s);
    floodClosed.push(closed(s));
  }
  // Over the limit of 6 (the kept one and 5 of the flood), the server closes them at once.
  const first = await Promise.race(floodClosed);
  t.true(first < 300, `the first refusal came after ${first} ms`);
  const answer: Buffer[] = [];
  kept.on('data', (c: Buffer) => answer.push(c));
  kept.write('GET /healthcheck HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await new Promise((r) => setTimeout(r, 150));
  t.regex(Buffer.concat(answer).toString(), /^HTTP\/1\.1 200/);
  for (const s of flood) s.destroy();
  kept.destroy();
});
