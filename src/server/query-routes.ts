/**
 * The query endpoints over HTTP: POST /query-stream (ksqlDB's HTTP/2 API,
 * served over HTTP/1.1 too; delimited or JSON per Accept), POST /query (the
 * older chunked JSON array) and POST /close-query. A request is checked and
 * planned before anything is sent, so a bad one gets an error status and
 * ksqlDB's error body; after that the rows stream until the query ends or the
 * client goes away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Request, Response } from 'express';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { KsqlEngine } from '../engine/engine.js';
import { parsePrintRequestWith } from '../engine/print-topic.js';
import type { PreparedQuery, QueryRequest } from '../engine/prepared-query.js';
import { prepareQueryWith } from '../engine/push-query.js';
import type { PrintTopic } from '../parser/ast/statement.js';
import type { StatementParser } from '../parser/parse-pool.js';
import type { Cluster } from './cluster.js';
import { flowWindowsOf } from './dual-protocol-listener.js';
import { answerInternalPull, internalPartitions } from './internal-pull.js';
import { routedQuery } from './pull-router.js';
import { badRequest, sendError } from './error-response.js';
import { readRequestSession } from './request-session.js';
import { onServerStop } from './open-exchanges.js';
import { missingTopicError, streamPrint, type PrintEndpoint } from './print-stream.js';
import { DELIMITED_FRAMING, JSON_FRAMING, LEGACY_FRAMING, wantsJson } from './query-framing.js';
import type { QueryTransport, StreamLimits } from './client-stream.js';
import { collectQuery, streamQuery, type QueryFraming } from './stream-query.js';

/** How long a disconnected slow client gets to take its last message before the connection is cut. */
const DISCONNECT_GRACE_MS = 1000;

export const DELIMITED_CONTENT_TYPE = 'application/vnd.ksqlapi.delimited.v1';

/** The response header holding a push query's starting continuation token (beyond ksqlDB). */
export const CONTINUATION_TOKEN_HEADER = 'ksql-continuation-token';

/** What the query routes use of the server: stream bounds, latency metrics, the statement parser and the cluster pull queries route in. */
export interface QueryRouteContext {
  readonly streamLimits: StreamLimits;
  readonly metrics: QueryLatencies;
  readonly parser: StatementParser;
  readonly cluster?: () => Cluster | undefined;
}

/**
 * One exchange on a query endpoint: node's request and response, the body
 * read, and the same objects with express's methods. Those are made only
 * when needed (an error, a stream, PRINT): giving node's objects express's
 * prototypes costs more than a whole key lookup, as every later use of
 * them in node's HTTP code slows down.
 */
export interface QueryExchange {
  readonly req: IncomingMessage | Http2ServerRequest;
  readonly res: ServerResponse | Http2ServerResponse;
  readonly body: unknown;
  express(): { readonly req: Request; readonly res: Response };
}

/** An exchange that express's router already made. */
export function expressExchange(req: Request, res: Response): QueryExchange {
  return { req, res, body: req.body, express: () => ({ req, res }) };
}

/** POST /query-stream: `{"sql", "properties"?, "sessionVariables"?}`. */
export function handleQueryStream(engine: KsqlEngine, ctx: QueryRouteContext, exchange: QueryExchange): MaybeAsync<void> {
  const json = wantsJson(exchange.req.headers.accept);
  // Over HTTP/2, clients parse each DATA frame of a delimited response as one document.
  const coalesce = json || exchange.req.httpVersionMajor !== 2;
  return startQuery(engine, ctx, exchange, () => readQueryRequest(exchange.body, 'sql', 'properties'),
    json ? JSON_FRAMING : DELIMITED_FRAMING, json ? 'application/json' : DELIMITED_CONTENT_TYPE, coalesce, 'query-stream');
}

/** POST /query: `{"ksql", "streamsProperties"?, "sessionVariables"?}`, answered as one chunked JSON array. */
export function handleLegacyQuery(engine: KsqlEngine, ctx: QueryRouteContext, exchange: QueryExchange): MaybeAsync<void> {
  const type = /application\/vnd\.ksql\.v1\+json/i.test(exchange.req.headers.accept ?? '') ? 'application/vnd.ksql.v1+json' : 'application/json';
  return startQuery(engine, ctx, exchange, () => readQueryRequest(exchange.body, 'ksql', 'streamsProperties'), LEGACY_FRAMING, type, true, 'query');
}

/** POST /close-query: `{"queryId"}` ends that push query (its client's response ends normally). */
export function handleCloseQuery(engine: KsqlEngine, req: Request, res: Response): void {
  const body = req.body as Record<string, unknown> | null;
  const id = body !== null && typeof body === 'object' ? body.queryId : undefined;
  if (typeof id !== 'string' || id === '') {
    sendError(res, badRequest("The request must have a 'queryId' field naming the query to close."));
    return;
  }
  const query = engine.getTransientQuery(id);
  if (query === undefined) {
    sendError(res, badRequest(`No query with id ${id}`));
    return;
  }
  query.close();
  res.status(200).end();
}

/** Where the query routes report how long queries took (server-metrics.ts). */
export interface QueryLatencies {
  observeQuery(kind: 'pull' | 'push', seconds: number): void;
}

/**
 * Checks, plans and answers one query request. A pull query of a cached
 * shape is planned and answered in the same turn, without a promise; a long
 * text is parsed off the event loop, and the client may go away meanwhile.
 */
function startQuery(
  engine: KsqlEngine, ctx: QueryRouteContext, exchange: QueryExchange, read: () => QueryRequest, framing: QueryFraming,
  contentType: string, coalesce: boolean, printEndpoint: PrintEndpoint,
): MaybeAsync<void> {
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  // A statement's failure is a statement_error (with no entities), anything else a generic_error.
  const fail = (error: unknown): void => sendError(exchange.express().res, error, []);
  let gone: boolean | undefined;
  /** `next` once `value` is there, unless the client went away meanwhile. */
  const later = <T>(value: Promise<T>, next: (value: T) => MaybeAsync<PreparedQuery | undefined>): Promise<PreparedQuery | undefined> => {
    if (gone === undefined) {
      gone = false;
      exchange.res.once('close', () => (gone = true));
    }
    return value.then((v) => (gone === true ? undefined : next(v)));
  };
  /** The query to answer; undefined when the request was answered otherwise (PRINT, a forwarded read). */
  const prepare = (): MaybeAsync<PreparedQuery | undefined> => {
    const request = read();
    const print = parsePrintRequestWith(engine, request, ctx.parser);
    const afterPrint = (statement: PrintTopic | undefined): MaybeAsync<PreparedQuery | undefined> => {
      if (statement !== undefined) {
        startPrint(engine, ctx.streamLimits, exchange.express().res, statement, request, printEndpoint, coalesce);
        return undefined;
      }
      const prepared = prepareQueryWith(engine, request, ctx.parser);
      return isPromise(prepared) ? later(prepared, (p) => route(request, p)) : route(request, prepared);
    };
    return isPromise(print) ? later(print, afterPrint) : afterPrint(print);
  };
  const route = (request: QueryRequest, prepared: PreparedQuery): MaybeAsync<PreparedQuery | undefined> => {
    const partitions = internalPartitions(exchange.body);
    const cluster = ctx.cluster?.();
    if (partitions !== undefined) {
      // Another server forwarded this query: its partitions are read here, never forwarded again.
      answerInternalPull(prepared, partitions, exchange.res, cluster?.view);
      ctx.metrics.observeQuery('pull', elapsed());
      return undefined;
    }
    const routed = routedQuery(cluster, engine, prepared, () => ({ ...request, authorization: exchange.req.headers.authorization }));
    return isPromise(routed) ? later(routed, (r) => r) : routed;
  };
  let preparing: MaybeAsync<PreparedQuery | undefined>;
  try {
    preparing = prepare();
  } catch (error) {
    fail(error);
    return undefined;
  }
  if (!isPromise(preparing)) {
    if (preparing !== undefined) answer(ctx, exchange, preparing, framing, contentType, coalesce, elapsed);
    return undefined;
  }
  return preparing.then((prepared) => {
    if (prepared !== undefined && gone !== true) answer(ctx, exchange, prepared, framing, contentType, coalesce, elapsed);
  }, fail);
}

/** Sends a prepared query's rows: a synchronous one's in one write, any other's as they come. */
function answer(
  ctx: QueryRouteContext, exchange: QueryExchange, prepared: PreparedQuery, framing: QueryFraming, contentType: string, coalesce: boolean,
  elapsed: () => number,
): void {
  const { streamLimits: limits, metrics: latencies } = ctx;
  if (prepared.synchronous === true && coalesce) {
    // A pull query on a table has all its rows at once: one write, when they may share frames.
    const body = collectQuery(prepared, framing);
    exchange.res.statusCode = 200;
    exchange.res.setHeader('content-type', contentType);
    exchange.res.end(body);
    latencies.observeQuery('pull', elapsed());
    return;
  }
  const { res } = exchange.express();
  res.status(200);
  res.setHeader('content-type', contentType);
  // Where a push query starts: a client that sees no row can still resume from here.
  if (prepared.continuation !== undefined) res.setHeader(CONTINUATION_TOKEN_HEADER, prepared.continuation.tracker.token());
  const running = streamQuery(prepared, framing, responseTransport(res, !coalesce), { limits, mode: coalesce ? 'coalesced' : 'frame-per-chunk' });
  // A pull query on a stream ends when it has written its last row; a push query is under way once it streams.
  if (prepared.isPull) res.once('finish', () => latencies.observeQuery('pull', elapsed()));
  else latencies.observeQuery('push', elapsed());
  // After a normal end this is a no-op; before it, the client went away. (HTTP/2 responses report
  // writableFinished on any close, so it cannot tell the two apart.)
  res.on('close', () => running.abandon());
  onServerStop(res, () => running.stop());
}

/** PRINT on /query or /query-stream (see print-stream.ts). */
function startPrint(
  engine: KsqlEngine, limits: StreamLimits, res: Response, statement: PrintTopic, request: QueryRequest, endpoint: PrintEndpoint, coalesce: boolean,
): void {
  if (endpoint === 'query-stream' && !acceptsDelimited(res.req.get('accept'))) {
    res.status(406).end();
    return;
  }
  const missing = missingTopicError(engine, endpoint, statement.topic);
  if (missing !== undefined) {
    sendError(res, missing);
    return;
  }
  res.status(200);
  res.setHeader('content-type', endpoint === 'query' ? 'application/json' : DELIMITED_CONTENT_TYPE);
  // Nothing may be written until records arrive: the client learns at once that PRINT started.
  res.flushHeaders();
  const running = streamPrint(engine, statement, endpoint, request.properties, responseTransport(res, !coalesce), { limits, mode: coalesce ? 'coalesced' : 'frame-per-chunk' });
  res.on('close', () => running.abandon());
  onServerStop(res, () => running.stop());
}

/** /query-stream serves PRINT only as delimited lines: what it answers when none or those are asked for. */
function acceptsDelimited(accept: string | undefined): boolean {
  if (accept === undefined || accept.includes(DELIMITED_CONTENT_TYPE)) return true;
  return !wantsJson(accept) && !/application\/vnd\.ksql\.v1/i.test(accept);
}

function responseTransport(res: Response, framePerChunk: boolean): QueryTransport {
  return {
    write: chunkWriter(res, framePerChunk),
    finish(_error, disconnect) {
      if (!res.writableEnded && !res.destroyed) res.end();
      if (disconnect) setTimeout(() => res.destroy(), DISCONNECT_GRACE_MS).unref();
    },
  };
}

/**
 * Writes one chunk of a streamed response, `done` once it is taken. With
 * `framePerChunk` over HTTP/2, each chunk first waits until the client's
 * flow-control windows take it as one DATA frame (see http2-flow-windows.ts).
 */
export function chunkWriter(res: Response, framePerChunk: boolean): (chunk: string, done: (error?: Error | null) => void) => void {
  const stream = framePerChunk && res.req.httpVersionMajor === 2 ? (res as unknown as Http2ServerResponse).stream : undefined;
  const windows = flowWindowsOf(stream?.session);
  return (chunk, done) => {
    const write = (): void => {
      if (res.writableEnded || res.destroyed) {
        done(new Error('the response has ended'));
        return;
      }
      res.write(chunk, (error) => done(error ?? null));
    };
    if (windows === undefined || stream?.id === undefined) write();
    else windows.whenRoom(stream.id, Buffer.byteLength(chunk), write);
  };
}

/** Checks a query request body; `sqlField` and `propertiesField` differ between /query-stream and /query. */
export function readQueryRequest(body: unknown, sqlField: string, propertiesField: string): QueryRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  const sql = fields[sqlField];
  if (typeof sql !== 'string' || sql.trim() === '') throw badRequest(`The request must have a '${sqlField}' field holding the query to run, as a string.`);
  return { sql, ...readRequestSession(fields, propertiesField) };
}
