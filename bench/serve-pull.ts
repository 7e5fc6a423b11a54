/**
 * Pull-query throughput and latency: key lookups over HTTP/1.1 keep-alive
 * (POST /query-stream) on a table of 1,000,000 keys built by a CTAS, with 1
 * and 64 concurrent clients. Beside each figure, the machine's limit: the
 * same clients against a bare node:http server that answers every request
 * with a response of the same size, timed the same way.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import type { KsqlServer } from '../src/server/ksql-server.js';

const KEYS = Number(process.env.BENCH_PULL_KEYS ?? 1_000_000);
const RUN_MS = 3000;
const APPEND_BATCH = 10_000;

export interface PullFigures {
  readonly qps: number;
  readonly p99: number;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** One POST over a keep-alive agent; resolves with the response body. */
function post(agent: Agent, port: number, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `clients` loops sending lookups of random keys for RUN_MS; queries per second and the p99 latency. */
async function drive(port: number, clients: number, bodyOf: (key: number) => string, check: (text: string, key: number) => void): Promise<PullFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const end = now() + RUN_MS;
  const loop = async (): Promise<void> => {
    while (now() < end) {
      const key = Math.floor(Math.random() * KEYS);
      const started = now();
      const text = await post(agent, port, '/query-stream', bodyOf(key));
      latencies.push(now() - started);
      check(text, key);
    }
  };
  const started = now();
  await Promise.all(Array.from({ length: clients }, loop));
  const elapsed = now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { qps: (latencies.length * 1000) / elapsed, p99: percentile(latencies, 0.99) };
}

/** Creates KV (stream) and KVT (CTAS) and waits until every key is in the table. */
export async function buildPullTable(server: KsqlServer): Promise<void> {
  const ksql = async (sql: string): Promise<void> => {
    const res = await fetch(`${server.url}/ksql`, { method: 'POST', body: JSON.stringify({ ksql: sql, streamsProperties: { 'auto.offset.reset': 'earliest' } }) });
    if (res.status !== 200) throw new Error(await res.text());
  };
  await ksql("CREATE STREAM KV (ID INT KEY, V INT) WITH (KAFKA_TOPIC='kv', PARTITIONS=4, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');");
  const { broker } = server.engine;
  // The last key appended to each partition: once they are all in the table, every key is.
  const lastKeys = new Map<number, number>();
  for (let from = 0; from < KEYS; from += APPEND_BATCH) {
    const records = [];
    for (let id = from; id < Math.min(KEYS, from + APPEND_BATCH); id++) {
      const key = Buffer.alloc(4);
      key.writeInt32BE(id);
      records.push({ key, value: Buffer.from(`{"V":${id * 2}}`) });
    }
    broker.append('kv', records).forEach((r, i) => lastKeys.set(r.partition, from + i));
  }
  await ksql('CREATE TABLE KVT AS SELECT ID, LATEST_BY_OFFSET(V) AS V FROM KV GROUP BY ID;');
  const agent = new Agent({ keepAlive: true });
  const deadline = now() + 600_000;
  while (now() < deadline) {
    const text = await post(agent, server.port, '/query-stream', JSON.stringify({ sql: `SELECT ID FROM KVT WHERE ID IN (${[...lastKeys.values()].join(', ')});` }));
    if (text.trim().split('\n').length - 1 === lastKeys.size) break;
    await sleep(500);
  }
  agent.destroy();
}

export async function measurePull(server: KsqlServer, clients: number): Promise<PullFigures> {
  return drive(server.port, clients, (key) => JSON.stringify({ sql: `SELECT * FROM KVT WHERE ID = ${key};` }), (text, key) => {
    if (!text.includes(`[${key},${key * 2}]`)) throw new Error(`the lookup of ${key} answered ${text}`);
  });
}

/** The same clients against a bare HTTP server answering a pull query's response. */
export async function measureBareHttp(clients: number): Promise<PullFigures> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = /ID = (\d+)/.exec(Buffer.concat(chunks).toString())?.[1] ?? '0';
      res.writeHead(200, { 'content-type': 'application/vnd.ksqlapi.delimited.v1' });
      res.end(`{"queryId":"query_1","columnNames":["ID","V"],"columnTypes":["INTEGER","INTEGER"]}\n[${key},${Number(key) * 2}]\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    return await drive(port, clients, (key) => JSON.stringify({ sql: `SELECT * FROM KVT WHERE ID = ${key};` }), () => {});
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
