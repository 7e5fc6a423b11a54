/**
 * What the REST API answers in headless mode. A headless ksqlDB server has no
 * REST API at all; ksqlite keeps the routes that tell an operator how the
 * server is (GET /info, /healthcheck, /status and its command statuses,
 * /metrics) and refuses everything else, statements, queries, inserts, the
 * web console and the WebSocket alike, with one message.
 */
import type { Duplex } from 'node:stream';
import { KsqlError } from '../common/errors.js';
import { genericError } from './error-response.js';

const OPEN_PATHS = ['/info', '/healthcheck', '/status', '/metrics'];

/** Whether headless mode answers this request. */
export function headlessAnswers(method: string | undefined, path: string): boolean {
  return method === 'GET' && OPEN_PATHS.some((open) => path === open || (open === '/status' && path.startsWith('/status/')));
}

export function headlessRefusal(): KsqlError {
  return new KsqlError('FORBIDDEN',
    'The server runs in headless mode (ksql.queries.file): interactive use is disabled, it takes no statements, queries or inserts; '
    + 'its REST API answers only GET /info, /healthcheck, /status and /metrics.');
}

/** Refuses a WebSocket upgrade (/ws/query) with the headless refusal. */
export function refuseUpgrade(_req: unknown, socket: Duplex): void {
  const body = JSON.stringify(genericError(headlessRefusal()));
  socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
