/**
 * The server's push path: latency from the moment an append is committed to
 * the log (an INSERT run in the server's process) to the row's arrival at
 * WebSocket subscribers of a push query (the last of them), with 1 and 1,000
 * subscribers. Beside each figure, the machine's own limit measured in the
 * same run: the same messages sent by a bare `ws` server to the same number
 * of clients, timed the same way. Then the pull-query figures (serve.pull.*,
 * see serve-pull.ts): a mix of statement shapes on a table of 1,000,000 keys
 * and a windowed table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { KsqlServer } from '../src/server/ksql-server.js';
import { buildPullTables, measureBareHttp, measurePull } from './serve-pull.js';

const SAMPLES = 200;

function printResult(name: string, value: number, unit: string, limit: number): void {
  const ratio = value > 0 ? limit / value : 0;
  process.stdout.write(`RESULT ${name} ${value.toFixed(2)} ${unit} limit=${limit.toFixed(2)} ratio=${ratio.toFixed(3)}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Opens the sockets; each message's first column identifies it; `onAll` runs when the LAST socket has it. */
async function subscribe(urls: readonly string[], onAll: (id: number) => void): Promise<WebSocket[]> {
  const seen = new Map<number, number>();
  const sockets = await Promise.all(urls.map((url) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const id = readFirstNumber(String(data));
      if (id === undefined) return;
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      if (n === urls.length) {
        seen.delete(id);
        onAll(id);
      }
    });
  })));
  return sockets;
}

function readFirstNumber(text: string): number | undefined {
  const parsed = JSON.parse(text) as { row?: { columns?: unknown[] } } | unknown[];
  const columns = Array.isArray(parsed) ? parsed : parsed.row?.columns;
  const first = Array.isArray(columns) ? columns[0] : undefined;
  return typeof first === 'number' ? first : undefined;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

async function measurePush(server: KsqlServer, subscribers: number, firstId: number): Promise<number> {
  const url = `ws://127.0.0.1:${server.port}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: 'SELECT ID FROM TICKS EMIT CHANGES;' }))}`;
  const latencies: number[] = [];
  const committedAt = new Map<number, number>();
  let delivered: () => void = () => {};
  const sockets = await subscribe(Array.from({ length: subscribers }, () => url), (id) => {
    latencies.push(now() - committedAt.get(id)!);
    delivered();
  });
  await sleep(200);
  for (let i = 0; i < SAMPLES; i++) {
    const id = firstId + i;
    const arrived = new Promise<void>((r) => (delivered = r));
    server.engine.execute(`INSERT INTO TICKS (ID, SENT) VALUES (${id}, 0);`);
    committedAt.set(id, now());
    await arrived;
  }
  for (const ws of sockets) ws.close();
  await sleep(200);
  latencies.sort((a, b) => a - b);
  return percentile(latencies, 0.99);
}

async function measureBareWebSocket(subscribers: number): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  // A client's socket reset as the sockets close must not take the bench down.
  wss.on('connection', (ws) => ws.on('error', () => {}));
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  const latencies: number[] = [];
  const sentAt = new Map<number, number>();
  let delivered: () => void = () => {};
  const sockets = await subscribe(Array.from({ length: subscribers }, () => `ws://127.0.0.1:${port}`), (id) => {
    latencies.push(now() - sentAt.get(id)!);
    delivered();
  });
  for (let i = 0; i < SAMPLES; i++) {
    const arrived = new Promise<void>((r) => (delivered = r));
    const text = JSON.stringify({ row: { columns: [i] } });
    sentAt.set(i, now());
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
  const server = await KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir, properties: { 'ksql.max.push.queries': '2000', 'ksqlite.http.max.connections': '2000' } });
  try {
    await fetch(`${server.url}/ksql`, {
      method: 'POST',
      body: JSON.stringify({ ksql: "CREATE STREAM TICKS (ID INT KEY, SENT DOUBLE) WITH (KAFKA_TOPIC='ticks', PARTITIONS=1, VALUE_FORMAT='JSON');" }),
    }).then((r) => r.text());
    if (process.env.BENCH_SERVE_ONLY !== 'pull') {
      for (const subscribers of [1, 1000]) {
        const p99 = await measurePush(server, subscribers, subscribers * SAMPLES);
        const limit = await measureBareWebSocket(subscribers);
        printResult(`serve.push.p99-ms.s${subscribers}`, p99, 'ms', limit);
      }
    }
    if (process.env.BENCH_SERVE_ONLY === 'push') return;
    await buildPullTables(server);
    for (const clients of [1, 64]) {
      const pull = await measurePull(server, clients);
      const bare = await measureBareHttp(clients);
      // For throughput a higher figure is better: the ratio is the figure over the limit.
      process.stdout.write(`RESULT serve.pull.qps.c${clients} ${pull.qps.toFixed(2)} qps limit=${bare.qps.toFixed(2)} ratio=${(pull.qps / bare.qps).toFixed(3)}\n`);
      if (clients === 64) printResult('serve.pull.p99-ms.c64', pull.p99, 'ms', bare.p99);
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
