/**
 * The server's push path: latency from an append (INSERT through
 * /inserts-stream) to the row's arrival at WebSocket subscribers of a push
 * query, with 1 and 1,000 subscribers. Beside each figure, the machine's own
 * limit measured in the same run: the same number of WebSocket messages sent
 * by a bare `ws` server to the same number of clients, timed the same way.
 * Pull-query figures (serve.pull.*) need materialized tables and are not
 * measured yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { KsqlServer } from '../src/server/ksql-server.js';

const SAMPLES = 200;

function printResult(name: string, value: number, unit: string, limit: number): void {
  const ratio = value > 0 ? limit / value : 0;
  process.stdout.write(`RESULT ${name} ${value.toFixed(2)} ${unit} limit=${limit.toFixed(2)} ratio=${ratio.toFixed(3)}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Opens `count` sockets; each message carries its send time (hrtime ms) first; the latency is taken when the LAST socket has it. */
async function subscribe(urls: readonly string[], onAll: (sentAt: number) => void): Promise<WebSocket[]> {
  const seen = new Map<number, number>();
  const sockets = await Promise.all(urls.map((url) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const sentAt = readSentAt(String(data));
      if (sentAt === undefined) return;
      const n = (seen.get(sentAt) ?? 0) + 1;
      seen.set(sentAt, n);
      if (n === urls.length) {
        seen.delete(sentAt);
        onAll(sentAt);
      }
    });
  })));
  return sockets;
}

function readSentAt(text: string): number | undefined {
  const parsed = JSON.parse(text) as { row?: { columns?: unknown[] } } | unknown[];
  const columns = Array.isArray(parsed) ? parsed : parsed.row?.columns;
  const first = Array.isArray(columns) ? columns[0] : undefined;
  return typeof first === 'number' ? first : undefined;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

async function measurePush(server: KsqlServer, subscribers: number): Promise<number> {
  const url = `ws://127.0.0.1:${server.port}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: 'SELECT SENT FROM TICKS EMIT CHANGES;' }))}`;
  const latencies: number[] = [];
  let delivered: () => void = () => {};
  const sockets = await subscribe(Array.from({ length: subscribers }, () => url), (sentAt) => {
    latencies.push(now() - sentAt);
    delivered();
  });
  await sleep(200);
  const base = `http://127.0.0.1:${server.port}`;
  for (let i = 0; i < SAMPLES; i++) {
    const arrived = new Promise<void>((r) => (delivered = r));
    const sent = now();
    await fetch(`${base}/inserts-stream`, { method: 'POST', body: `{"target":"TICKS"}\n{"ID":${i},"SENT":${sent}}` }).then((r) => r.text());
    await arrived;
  }
  for (const ws of sockets) ws.close();
  await sleep(200);
  latencies.sort((a, b) => a - b);
  return percentile(latencies, 0.99);
}

async function measureBareWebSocket(subscribers: number): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  const latencies: number[] = [];
  let delivered: () => void = () => {};
  const sockets = await subscribe(Array.from({ length: subscribers }, () => `ws://127.0.0.1:${port}`), (sentAt) => {
    latencies.push(now() - sentAt);
    delivered();
  });
  for (let i = 0; i < SAMPLES; i++) {
    const arrived = new Promise<void>((r) => (delivered = r));
    const text = JSON.stringify({ row: { columns: [now()] } });
    for (const client of wss.clients) client.send(text);
    await arrived;
  }
  for (const ws of sockets) ws.close();
  await new Promise<void>((r) => wss.close(() => r()));
  latencies.sort((a, b) => a - b);
  return percentile(latencies, 0.99);
}

export async function runServeBenchmark(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-serve-'));
  const server = await KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir, properties: { 'ksql.max.push.queries': '2000' } });
  try {
    await fetch(`${server.url}/ksql`, {
      method: 'POST',
      body: JSON.stringify({ ksql: "CREATE STREAM TICKS (ID INT KEY, SENT DOUBLE) WITH (KAFKA_TOPIC='ticks', PARTITIONS=1, VALUE_FORMAT='JSON');" }),
    }).then((r) => r.text());
    for (const subscribers of [1, 1000]) {
      const p99 = await measurePush(server, subscribers);
      const limit = await measureBareWebSocket(subscribers);
      printResult(`serve.push.p99-ms.s${subscribers}`, p99, 'ms', limit);
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
