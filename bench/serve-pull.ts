/**
 * Pull-query throughput and latency over HTTP/1.1 keep-alive (POST
 * /query-stream): a mix of statement shapes (pull-shapes.ts) on a table of
 * 1,000,000 keys and a windowed table of 10,000 keys in 3 windows, both built
 * by CTAS (their changelogs compacted once before measuring), with 1 and 64 concurrent clients driven from a worker thread
 * (pull-client.ts), every answer checked. Beside each figure, the machine's
 * limit: the same clients against a bare node:http server that answers every
 * request with the same rows, timed the same way.
 */
import { Agent, createServer, type Server } from 'node:http';
import { Worker } from 'node:worker_threads';
import type { KsqlServer } from '../src/server/ksql-server.js';
import { post, type PullClientOptions, type PullFigures } from './pull-client.js';
import { delimitedBody, HOUR_MS, requestOf, WINDOWS, type TableSizes } from './pull-shapes.js';

const SIZES: TableSizes = { keys: Number(process.env.BENCH_PULL_KEYS ?? 1_000_000), windowKeys: 10_000 };
const RUN_MS = 3000;
const APPEND_BATCH = 10_000;

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the clients in a worker thread against `port`. */
function drive(port: number, clients: number): Promise<PullFigures> {
  const options: PullClientOptions = { port, clients, sizes: SIZES, runMs: RUN_MS };
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

const int32 = (n: number): Buffer => {
  const key = Buffer.alloc(4);
  key.writeInt32BE(n);
  return key;
};

/**
 * Creates KV and KVT (V = 2 * ID), KW and KWT (one record of V = ID + w in
 * each window w), and waits until every key is in both tables.
 */
export async function buildPullTables(server: KsqlServer): Promise<void> {
  // A fresh connection per request: appending the keys, and the tables' tasks catching up, block this
  // process for seconds, long enough for the server to close an idle keep-alive connection just as a
  // client reuses it (the client then reads a reset).
  const fresh = (): Agent => new Agent({ keepAlive: false });
  const ksql = async (sql: string): Promise<void> => {
    await post(fresh(), server.port, '/ksql', JSON.stringify({ ksql: sql, streamsProperties: { 'auto.offset.reset': 'earliest' } }));
  };
  await ksql("CREATE STREAM KV (ID INT KEY, V INT) WITH (KAFKA_TOPIC='kv', PARTITIONS=4, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');");
  await ksql("CREATE STREAM KW (ID INT KEY, V INT) WITH (KAFKA_TOPIC='kw', PARTITIONS=4, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');");
  const { broker } = server.engine;
  // The last key appended to each partition: once they are all in a table, every key is.
  const lastKeys = new Map<number, number>();
  for (let from = 0; from < SIZES.keys; from += APPEND_BATCH) {
    const records = [];
    for (let id = from; id < Math.min(SIZES.keys, from + APPEND_BATCH); id++) records.push({ key: int32(id), value: Buffer.from(`{"V":${id * 2}}`) });
    broker.append('kv', records).forEach((r, i) => lastKeys.set(r.partition, from + i));
  }
  // Window by window, so that no record is late.
  const lastWindowKeys = new Map<number, number>();
  for (let w = 0; w < WINDOWS; w++) {
    const records = [];
    for (let id = 0; id < SIZES.windowKeys; id++) records.push({ key: int32(id), value: Buffer.from(`{"V":${id + w}}`), timestamp: w * HOUR_MS });
    broker.append('kw', records).forEach((r, i) => lastWindowKeys.set(r.partition, i));
  }
  await ksql('CREATE TABLE KVT AS SELECT ID, LATEST_BY_OFFSET(V) AS V FROM KV GROUP BY ID;');
  await ksql('CREATE TABLE KWT AS SELECT ID, COUNT(*) AS N, SUM(V) AS S FROM KW WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY ID;');
  const rowsOf = async (sql: string): Promise<number> =>
    (await post(fresh(), server.port, '/query-stream', JSON.stringify({ sql }))).trim().split('\n').length - 1;
  const deadline = now() + 600_000;
  for (;;) {
    const keys = await rowsOf(`SELECT ID FROM KVT WHERE ID IN (${[...lastKeys.values()].join(', ')});`);
    const windows = await rowsOf(`SELECT ID FROM KWT WHERE ID IN (${[...lastWindowKeys.values()].join(', ')}) AND WINDOWSTART = ${(WINDOWS - 1) * HOUR_MS};`);
    if (keys === lastKeys.size && windows === lastWindowKeys.size) break;
    // Measuring tables still being built would time their tasks, and fail the answers' checks.
    if (now() > deadline) throw new Error(`the pull tables were not built within 600 s (${SIZES.keys} keys): try a smaller BENCH_PULL_KEYS`);
    await sleep(500);
  }
  // The first compaction of the tables' fresh changelogs takes seconds at a million keys; the maintenance
  // timer runs it in steps between requests, but its work would still fall inside a measurement.
  broker.runMaintenance();
}

export async function measurePull(server: KsqlServer, clients: number): Promise<PullFigures> {
  return drive(server.port, clients);
}

/** The same clients against a bare HTTP server answering each statement's rows. */
export async function measureBareHttp(clients: number): Promise<PullFigures> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { sql } = JSON.parse(Buffer.concat(chunks).toString()) as { sql: string };
      res.writeHead(200, { 'content-type': 'application/vnd.ksqlapi.delimited.v1' });
      res.end(delimitedBody(requestOf(sql)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    return await drive(port, clients);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
