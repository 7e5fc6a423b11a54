/**
 * A client flooding the server with inserts, run in a worker thread so that
 * its writing does not share the event loop of the server under test: an
 * HTTP/1.1 /inserts-stream into `target` (a stream of K INT KEY, N BIGINT),
 * rows written as fast as the connection takes them. It posts the number of
 * rows acknowledged so far, every 50 ms.
 */
import { request } from 'node:http';
import { parentPort, workerData, Worker } from 'node:worker_threads';

export interface InsertsFlood {
  /** Rows acknowledged so far, as last posted. */
  acked(): number;
  stop(): Promise<void>;
}

export function startInsertsFlood(url: string, target: string): InsertsFlood {
  let acked = 0;
  const worker = new Worker(new URL(import.meta.url), { workerData: { url, target } });
  worker.on('message', (n: number) => (acked = n));
  return {
    acked: () => acked,
    stop: async () => {
      await worker.terminate();
    },
  };
}

function flood(url: string, target: string, report: (acked: number) => void): void {
  let acked = 0;
  const req = request(`${url}/inserts-stream`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (c: string) => (acked += c.split('\n').length - 1));
  });
  req.on('error', () => {});
  req.write(`${JSON.stringify({ target })}\n`);
  let n = 0;
  const write = (): void => {
    for (;;) {
      let rows = '';
      for (let i = 0; i < 100; i++, n++) rows += `{"K":${n % 7},"N":${n}}\n`;
      if (!req.write(rows)) {
        req.once('drain', write);
        return;
      }
    }
  };
  write();
  setInterval(() => report(acked), 50);
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object') {
  const port = parentPort;
  const { url, target } = workerData as { url: string; target: string };
  flood(url, target, (acked) => port.postMessage(acked));
}
