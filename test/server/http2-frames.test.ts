import test from 'ava';
import { connect } from 'node:http2';
import { runSql, startServer, stopServer, type Harness } from './helpers.js';
import { eventually } from './stream-helpers.js';

let h: Harness;
test.before(async () => {
  h = await startServer();
  const res = await runSql(h, "CREATE STREAM WIDE (ID INT KEY, TEXT STRING) WITH (KAFKA_TOPIC='wide', PARTITIONS=1, VALUE_FORMAT='JSON');");
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
});
test.after.always(async () => {
  await stopServer(h);
});

test.serial('over HTTP/2 a row is never split across DATA frames, even when the client\'s flow-control window runs out', async (t) => {
  const session = connect(h.url);
  session.on('error', () => {});
  // More rows than the client's window (64 KiB) and its read buffer (16 KiB) hold, of uneven sizes.
  const rows = 1500;
  const stream = session.request({ ':method': 'POST', ':path': '/query-stream' });
  const chunks: string[] = [];
  stream.setEncoding('utf8');
  stream.on('data', (c: string) => chunks.push(c));
  const ended = new Promise<void>((resolve) => stream.on('close', resolve));
  stream.end(JSON.stringify({ sql: `SELECT ID, TEXT FROM WIDE EMIT CHANGES LIMIT ${rows};` }));
  t.true(await eventually(() => chunks.length === 1));
  // The client stops reading: its buffer fills, it stops returning window, and the server's window runs out.
  stream.pause();
  const records = Array.from({ length: rows }, (_, i) => {
    const key = Buffer.alloc(4);
    key.writeInt32BE(i);
    return { key, value: Buffer.from(JSON.stringify({ TEXT: 'x'.repeat(40 + ((i * 37) % 90)) })) };
  });
  h.server.engine.broker.append('wide', records);
  h.server.engine.scheduler.wake();
  await new Promise((r) => setTimeout(r, 500));
  stream.resume();
  await ended;
  session.close();
  t.is(chunks.length, rows + 1, JSON.stringify(chunks.map((c, i) => [i, c.length, c.endsWith('\n')]).filter(([, , e]) => !e)));
  const split = chunks.slice(1).filter((c) => !c.endsWith('\n') || c.indexOf('\n') !== c.length - 1);
  t.deepEqual(split, [], 'every DATA frame holds exactly one whole row');
  t.deepEqual(chunks.slice(1).map((c) => (JSON.parse(c) as [number, string])[0]), Array.from({ length: rows }, (_, i) => i));
});

test.serial('over HTTP/2 each insert ack is a DATA frame of its own, even when the client reads its acks late', async (t) => {
  // A small window, so that the acks meet its end before the server stops reading rows.
  const session = connect(h.url, { settings: { initialWindowSize: 4096 } });
  session.on('error', () => {});
  const rows = 8000;
  const stream = session.request({ ':method': 'POST', ':path': '/inserts-stream' });
  const chunks: string[] = [];
  stream.setEncoding('utf8');
  stream.on('data', (c: string) => chunks.push(c));
  const ended = new Promise<void>((resolve) => stream.on('close', resolve));
  // The client takes no acks until every row is sent: the server's window for them runs out.
  stream.pause();
  stream.write('{"target":"WIDE"}\n');
  for (let i = 0; i < rows; i++) stream.write(`${JSON.stringify({ ID: i, TEXT: 'y'.repeat(i % 50) })}\n`);
  stream.end();
  await new Promise((r) => setTimeout(r, 500));
  stream.resume();
  await ended;
  session.close();
  const split = chunks.filter((c) => !c.endsWith('\n') || c.indexOf('\n') !== c.length - 1);
  t.deepEqual(split, [], 'every DATA frame holds exactly one whole ack');
  t.deepEqual(chunks.map((c) => (JSON.parse(c) as { seq: number }).seq), Array.from({ length: rows }, (_, i) => i));
});
