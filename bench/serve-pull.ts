/**
 * Pull-query throughput and latency: key lookups over HTTP/1.1 keep-alive
 * (POST /query-stream) on a table of 1,000,000 keys built by a CTAS, with 1
 * and 64 concurrent clients driven from a worker thread (pull-client.ts).
 * Beside each figure, the machine's limit: the same clients against a bare
 * node:http server that answers every request with a response of the same
 * size, timed the same way.
 */
import { Agent, createServer, type Server } from 'node:http';
import { Worker } from 'node:worker_threads';
import type { KsqlServer } from '../src/server/ksql-server.js';
import { post, type PullClientOptions, type PullFigures } from './pull-client.js';

const KEYS = Number(process.env.BENCH_PULL_KEYS ?? 1_000_000);
const RUN_MS = 3000;
const APPEND_BATCH = 10_000;


const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the clients in a worker thread against `port`. */
function drive(port: number, clients: number, verify: boolean): Promise<PullFigures> {
  const options: PullClientOptions = { port, clients, keys: KEYS, runMs: RUN_MS, verify };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pull-client.js', import.meta.url), { workerData: options });
    worker.once('message', (message: { figures?: PullFigures; error?: string }) => {
      void worker.terminate();
      if (message.figures !== undefined) resolve(message.figures);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
  });
}

/** Creates KV (stream) and KVT (CTAS) and waits until every key is in the table. */
export async function buildPullTable(server: KsqlServer): Promise<void> {
  // A fresh connection per statement: appending the keys blocks this process for seconds, long
  // enough for the server to close an idle keep-alive connection just as a client reuses it.
  const ksql = async (sql: string): Promise<void> => {
    await post(new Agent({ keepAlive: false }), server.port, '/ksql', JSON.stringify({ ksql: sql, streamsProperties: { 'auto.offset.reset': 'earliest' } }));
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
  return drive(server.port, clients, true);
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
    return await drive(port, clients, false);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
