import test from 'ava';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from '../../src/server/websocket-frame.js';

test('a text frame written to the raw socket reaches a ws client whole, at each of the three length encodings', async (t) => {
  // 7-bit lengths end at 125, 16-bit ones at 65,535; a multi-byte character checks that lengths count bytes.
  const payloads = ['', 'x'.repeat(125), 'é'.repeat(63), 'y'.repeat(126), 'z'.repeat(65_535), 'w'.repeat(65_536), `${'v'.repeat(100_000)}é`];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  t.teardown(() => wss.close());
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (_ws, req) => {
    for (const p of payloads) req.socket.write(textFrame(Buffer.from(p)));
  });
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const received: { text: string; binary: boolean }[] = [];
  await new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('message', (data, binary) => {
      received.push({ text: String(data), binary });
      if (received.length === payloads.length) resolve();
    });
  });
  client.terminate();
  t.deepEqual(received.map((r) => r.binary), payloads.map(() => false));
  t.deepEqual(received.map((r) => r.text), payloads);
});
