/**
 * The load generator of the pull-query benchmark, run in a worker thread so
 * that the clients use a core of their own and the figures measure the
 * server (ours, or the bare node:http limit) rather than the clients beside
 * it: `clients` keep-alive connections each send pull queries of the bench's
 * shapes in turn, with random literals (pull-shapes.ts), over POST
 * /query-stream for `runMs`, check every answer, and the worker posts back
 * queries per second and the p99 latency.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { checkAnswer, PULL_SHAPES, type TableSizes } from './pull-shapes.js';

export interface PullClientOptions {
  readonly port: number;
  readonly clients: number;
  readonly sizes: TableSizes;
  readonly runMs: number;
}

export interface PullFigures {
  readonly qps: number;
  readonly p99: number;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** One POST over a keep-alive agent; resolves with the response body. */
export function post(agent: Agent, port: number, path: string, body: string): Promise<string> {
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

async function drive(options: PullClientOptions): Promise<PullFigures> {
  const { port, clients, sizes, runMs } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const end = now() + runMs;
  const loop = async (_: unknown, client: number): Promise<void> => {
    for (let i = client; now() < end; i++) {
      const request = PULL_SHAPES[i % PULL_SHAPES.length]!(sizes, Math.random);
      const started = now();
      const text = await post(agent, port, '/query-stream', JSON.stringify({ sql: request.sql }));
      latencies.push(now() - started);
      const wrong = checkAnswer(request, text);
      if (wrong !== undefined) throw new Error(`${request.sql} answered ${wrong}`);
    }
  };
  const started = now();
  await Promise.all(Array.from({ length: clients }, loop));
  const elapsed = now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { qps: (latencies.length * 1000) / elapsed, p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0 };
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object') {
  const port = parentPort;
  drive(workerData as PullClientOptions).then((figures) => port.postMessage({ figures }), (error: Error) => port.postMessage({ error: error.message }));
}
