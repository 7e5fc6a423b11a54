/**
 * ksqlDB's WebSocket endpoint, /ws/query: the query comes in the `request`
 * query parameter as JSON `{"ksql": ..., "streamsProperties": {...}}`. The
 * first message is the result's columns (ksqlDB's field infos), then one
 * `{"row":{"columns":[...]}}` message per row. A bad request or statement
 * closes with 1003, a query failure with 1011, a server not ready or
 * stopping with 1013; a query that reaches its LIMIT closes with 1000 "done",
 * and a stopping server ends its running queries with 1001 (going away).
 * PRINT is served here too (see print-stream.ts). A pull query is routed
 * across the servers of a cluster as on the HTTP endpoints (pull-router.ts).
 * The upgrade passes the request gate first: another site's page, or a
 * request without valid credentials when authentication is on, gets 403/401
 * and no WebSocket.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { KsqlError, toKsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { KsqlEngine } from '../engine/engine.js';
import { parsePrintRequestWith } from '../engine/print-topic.js';
import type { PreparedQuery } from '../engine/prepared-query.js';
import { prepareQueryWith } from '../engine/push-query.js';
import type { Cluster } from './cluster.js';
import { routedQuery } from './pull-router.js';
import { missingTopicError, streamPrint } from './print-stream.js';
import { onServerStop, type OpenExchanges } from './open-exchanges.js';
import { WEBSOCKET_FRAMING } from './query-framing.js';
import { textFrame } from './websocket-frame.js';
import { readQueryRequest, type QueryLatencies } from './query-routes.js';
import type { QueryTransport, RunningStream, StreamLimits } from './client-stream.js';
import { streamQuery } from './stream-query.js';
import { passGate, type RequestGate } from './request-gate.js';
import { genericError } from './error-response.js';
import { isWebSocketUpgrade } from './ignored-upgrade.js';
import type { StatementParser } from '../parser/parse-pool.js';

export const WS_QUERY_PATH = '/ws/query';

const CLOSE_NORMAL = 1000;
const CLOSE_GOING_AWAY = 1001;
const CLOSE_CANNOT_ACCEPT = 1003;
const CLOSE_UNEXPECTED = 1011;
const CLOSE_TRY_AGAIN_LATER = 1013;

export interface WsQueryContext {
  readonly engine: () => KsqlEngine | undefined;
  readonly isShuttingDown: () => boolean;
  readonly limits: StreamLimits;
  readonly exchanges: OpenExchanges;
  readonly gate: RequestGate;
  readonly latencies: QueryLatencies;
  readonly parser: StatementParser;
  /** The cluster pull queries route in, as on /query-stream (pull-router.ts). */
  readonly cluster: () => Cluster | undefined;
}

const log = createLogger('server');

/** Returns the HTTP server's `upgrade` listener. */
export function createWsQueryHandler(ctx: WsQueryContext): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  // No compression: rows are written to the socket as frames built here (websocket-frame.ts).
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  return (req, socket, head) => {
    // Other upgrades (h2c) are answered as plain HTTP/1.1 by the listener (ignored-upgrade.ts).
    if (!isWebSocketUpgrade(req)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const gate = passGate(ctx.gate, req.method ?? 'GET', req.url, req.headers);
    if (gate.kind === 'refuse') {
      const refusal = gate.refusal;
      const body = JSON.stringify(genericError(refusal.error));
      const challenge = refusal.challenge === undefined ? '' : `WWW-Authenticate: ${refusal.challenge}\r\n`;
      const status = refusal.error.httpStatus === 401 ? '401 Unauthorized' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\n${challenge}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    if (url.pathname !== WS_QUERY_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ctx.exchanges.add(ws, `WebSocket ${WS_QUERY_PATH}`, new Promise((resolve) => ws.once('close', resolve)), 'websocket');
      void serve(ctx, ws, socket, url.searchParams, req.headers.authorization);
    });
  };
}

async function serve(ctx: WsQueryContext, ws: WebSocket, socket: Duplex, params: URLSearchParams, authorization: string | undefined): Promise<void> {
  const started = performance.now();
  ws.on('error', (error) => log.debug({ err: error }, 'websocket error'));
  const engine = ctx.engine();
  if (engine === undefined || ctx.isShuttingDown()) {
    ws.close(CLOSE_TRY_AGAIN_LATER, engine === undefined ? 'The server is not ready yet.' : 'The server is shutting down.');
    return;
  }
  let prepared: PreparedQuery;
  let goingAway = false;
  const transport = webSocketTransport(ws, socket, () => goingAway);
  const stopWith = (running: RunningStream): void => {
    ws.on('close', () => running.abandon());
    onServerStop(ws, () => {
      goingAway = true;
      running.stop();
    });
  };
  try {
    const text = params.get('request');
    if (text === null || text.trim() === '') throw new KsqlError('BAD_REQUEST', "Missing the 'request' query parameter.");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new KsqlError('BAD_REQUEST', `Error parsing request: ${(error as Error).message}`);
    }
    const request = readQueryRequest(body, 'ksql', 'streamsProperties');
    // PRINT: one message per record, the line as a JSON string (see print-stream.ts).
    // A long text is parsed off the event loop: the client may close meanwhile.
    const print = await parsePrintRequestWith(engine, request, ctx.parser);
    if (ws.readyState !== ws.OPEN) return;
    if (print !== undefined) {
      const missing = missingTopicError(engine, 'websocket', print.topic);
      if (missing !== undefined) throw missing;
      stopWith(streamPrint(engine, print, 'websocket', request.properties, transport, { limits: ctx.limits, mode: 'messages' }));
      return;
    }
    prepared = await routedQuery(ctx.cluster(), engine, await prepareQueryWith(engine, request, ctx.parser), () => ({ ...request, authorization }));
    if (ws.readyState !== ws.OPEN) return;
  } catch (error) {
    ws.close(CLOSE_CANNOT_ACCEPT, closeReason(toKsqlError(error).message));
    return;
  }
  stopWith(streamQuery(prepared, WEBSOCKET_FRAMING, transport, { limits: ctx.limits, mode: 'messages' }));
  const elapsed = (): number => (performance.now() - started) / 1000;
  // A pull query ends when its socket closes after the last row; a push query is under way once it streams.
  if (prepared.isPull) ws.once('close', () => ctx.latencies.observeQuery('pull', elapsed()));
  else ctx.latencies.observeQuery('push', elapsed());
}

/** `socket`: the one the WebSocket writes to; `goingAway`: whether the stream ends because the server stops. */
function webSocketTransport(ws: WebSocket, socket: Duplex, goingAway: () => boolean): QueryTransport {
  return {
    batch(writes) {
      // Corked, a batch of messages leaves in one write.
      socket.cork();
      try {
        writes();
      } finally {
        socket.uncork();
      }
    },
    write(chunk, done) {
      if (ws.readyState !== ws.OPEN) done(new Error('the websocket is closed'));
      // The frame goes straight to the socket, as ws's own send would write it, without framing it again per subscriber.
      else socket.write(frameOf(chunk), done);
    },
    finish(error, disconnect) {
      if (disconnect) setTimeout(() => ws.terminate(), 1000).unref();
      if (ws.readyState !== ws.OPEN) return;
      if (error === undefined && goingAway()) ws.close(CLOSE_GOING_AWAY, 'The server is shutting down.');
      else if (error === undefined) ws.close(CLOSE_NORMAL, 'done');
      else ws.close(CLOSE_UNEXPECTED, closeReason(error.message));
    },
  };
}

/** The last chunk framed: a row that many subscribers are sent (one string, see stream-query.ts) is framed once. */
let lastChunk: { readonly text: string; readonly frame: Buffer } | undefined;

function frameOf(chunk: string): Buffer {
  if (lastChunk?.text !== chunk) lastChunk = { text: chunk, frame: textFrame(Buffer.from(chunk)) };
  return lastChunk.frame;
}

/** A close reason is at most 123 bytes of UTF-8. */
function closeReason(message: string): string {
  let text = message;
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
  return text;
}
