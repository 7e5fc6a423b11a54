/**
 * The worker thread behind sync-http.ts: it makes each HTTP request it is
 * sent, posts the answer on the request's port, then wakes the waiting
 * caller through the shared flag.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import type { SyncHttpMessage, SyncHttpReply, SyncHttpRequest, SyncHttpWorkerData } from './sync-http.js';

const { port, flag } = workerData as SyncHttpWorkerData;

parentPort?.on('message', (message: SyncHttpMessage) => {
  void send(message.request).then(
    (answer): SyncHttpReply => ({ seq: message.seq, ok: true, ...answer }),
    (error: unknown): SyncHttpReply => ({ seq: message.seq, ok: false, reason: describe(error, message.request.timeoutMs), timedOut: isTimeout(error) }),
  ).then((reply) => {
    port.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});

function send(req: SyncHttpRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = make(url, {
      method: req.method,
      headers: req.headers,
      signal: AbortSignal.timeout(req.timeoutMs),
      ...(req.ca === undefined ? {} : { ca: req.ca }),
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function describe(error: unknown, timeoutMs: number): string {
  if (isTimeout(error)) return `no answer within ${timeoutMs} ms`;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}
