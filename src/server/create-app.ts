/**
 * The express application: JSON bodies read and checked here (any content
 * type; bad JSON, a missing body or one over the size limit answer 40000),
 * the web console's files, the /ksql route, the query and insert endpoints, the informational routes,
 * the routes servers of a cluster use among themselves (cluster-routes.ts),
 * in headless mode only the few headless-gate.ts keeps,
 * Prometheus metrics at /metrics (server-metrics.ts), 404 for anything else, and a last error handler so no request can take the
 * process down. Every exchange is tracked for a graceful stop (see
 * open-exchanges.ts); while the server stops, new requests get 503 and, over
 * HTTP/1.1, their connection closes. Before anything else a request passes
 * the gate: a cross-origin or wrong-Host request, or one without valid
 * credentials when authentication is on, is refused (request-gate.ts). The
 * same routes serve HTTP/2: an application made `forHttp2` puts express's request and response methods
 * over node's HTTP/2 compatibility objects instead of HTTP/1.1 ones.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { KsqlError } from '../common/errors.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';
import { createLogger } from '../common/logger.js';
import type { KsqlEngine } from '../engine/engine.js';
import type { Cluster } from './cluster.js';
import { addClusterRoutes } from './cluster-routes.js';
import { CommandStatuses } from './command-statuses.js';
import { addConsoleRoutes } from './console-routes.js';
import { badRequest, notFound, sendError } from './error-response.js';
import { headlessAnswers, headlessRefusal } from './headless-gate.js';
import { addInfoRoutes } from './info-routes.js';
import { handleInsertsStream } from './inserts-stream-route.js';
import { handleKsql } from './ksql-route.js';
import type { KafkaLog } from './kafka-log.js';
import type { OpenExchanges } from './open-exchanges.js';
import { expressExchange, handleCloseQuery, handleLegacyQuery, handleQueryStream, type QueryExchange } from './query-routes.js';
import { bodyReader, readJsonBody } from './read-body.js';
import { admit, type RequestGate } from './request-gate.js';
import type { StreamLimits } from './client-stream.js';
import type { ServerMetrics } from './server-metrics.js';
import type { StatementParser } from '../parser/parse-pool.js';

export interface AppContext {
  /** Undefined until the engine has replayed the command log. */
  readonly engine: () => KsqlEngine | undefined;
  readonly isShuttingDown: () => boolean;
  readonly maxBodyBytes: number;
  /** How long a body read whole may take to arrive. */
  readonly requestTimeoutMs: number;
  readonly streamLimits: StreamLimits;
  /** Shared by the HTTP/1.1 and HTTP/2 applications. */
  readonly statuses: CommandStatuses;
  readonly exchanges: OpenExchanges;
  /** Checks every request's origin, Host and credentials first (see request-gate.ts). */
  readonly gate: RequestGate;
  /** What GET /metrics serves; the query routes observe their latencies in it. */
  readonly metrics: ServerMetrics;
  /** Parses the statements of /ksql and the query endpoints, long texts off the event loop. */
  readonly parser: StatementParser;
  /** This server's cluster (heartbeats, lags, pull-query routing); made with the engine. */
  readonly cluster: () => Cluster | undefined;
  /** The Kafka cluster the server runs on, when it does (the health check asks it). */
  readonly kafkaLog: () => KafkaLog | undefined;
  /** Headless mode: only the routes of headless-gate.ts answer. */
  readonly headless?: boolean;
}

const log = createLogger('server');

/** A request listener for node's HTTP/1.1 or HTTP/2 (compatibility API) server. */
export type AppListener = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

/**
 * The application, with a short way in for the query endpoints: a POST to
 * exactly /query-stream or /query, once the engine is ready, skips express's
 * router and keeps node's own request and response (the same body reading and
 * handlers; express's methods are put on them only when the handler needs
 * them, see QueryExchange). Everything else goes through express.
 */
export function createApp(ctx: AppContext, options: { forHttp2?: boolean } = {}): AppListener {
  const app = createExpressApp(ctx, options);
  const readBody = bodyReader(ctx.maxBodyBytes, ctx.requestTimeoutMs);
  const queryRoutes: Readonly<Record<string, (engine: KsqlEngine, exchange: QueryExchange) => MaybeAsync<void>>> = {
    '/query-stream': (engine, exchange) => handleQueryStream(engine, ctx, exchange),
    '/query': (engine, exchange) => handleLegacyQuery(engine, ctx, exchange),
  };
  return (rawReq, rawRes) => {
    ctx.exchanges.addHttp(rawReq, rawRes);
    if (!admit(ctx.gate, rawReq, rawRes)) return;
    const route = rawReq.method === 'POST' && rawReq.url !== undefined && ctx.headless !== true ? queryRoutes[rawReq.url] : undefined;
    const engine = ctx.engine();
    if (route === undefined || engine === undefined || ctx.isShuttingDown()) {
      app(rawReq as Request, rawRes as Response);
      return;
    }
    let made: { req: Request; res: Response } | undefined;
    // What express does before its router: the two objects know each other and get express's methods.
    const express = (): { req: Request; res: Response } => {
      if (made !== undefined) return made;
      const req = Object.setPrototypeOf(rawReq, app.request) as Request;
      const res = Object.setPrototypeOf(rawRes, app.response) as Response;
      req.res = res;
      res.req = req;
      res.locals ??= Object.create(null) as Response['locals'];
      return made = { req, res };
    };
    readBody(rawReq, rawRes, (body) => {
      const failed = (error: unknown): void => {
        if (!rawRes.headersSent) sendError(express().res, requestError(error));
      };
      try {
        const done = route(engine, { req: rawReq, res: rawRes, body, express });
        if (isPromise(done)) done.catch(failed);
      } catch (error) {
        failed(error);
      }
    }, (error) => sendError(express().res, error));
  };
}

function createExpressApp(ctx: AppContext, options: { forHttp2?: boolean }): Express {
  const app = express();
  if (options.forHttp2) useHttp2Objects(app);
  app.disable('x-powered-by');
  const { statuses } = ctx;

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (ctx.isShuttingDown()) {
      if (req.httpVersionMajor === 1) res.setHeader('connection', 'close');
      sendError(res, new KsqlError('SERVER_SHUTTING_DOWN', 'The server is shutting down.'));
    } else if (ctx.engine() === undefined) sendError(res, new KsqlError('SERVER_NOT_READY', 'The server is not ready yet: it is replaying its command log.'));
    else if (ctx.headless === true && !headlessAnswers(req.method, req.path)) sendError(res, headlessRefusal());
    else next();
  });

  addConsoleRoutes(app);
  const readJson = readJsonBody(ctx.maxBodyBytes, ctx.requestTimeoutMs);

  const engine = (): KsqlEngine => ctx.engine()!;
  app.post('/ksql', readJson, (req, res) => void handleKsql(engine(), statuses, ctx.parser, req, res));
  app.post('/query-stream', readJson, (req, res) => handleQueryStream(engine(), ctx, expressExchange(req, res)));
  app.post('/query', readJson, (req, res) => handleLegacyQuery(engine(), ctx, expressExchange(req, res)));
  app.post('/close-query', readJson, (req, res) => handleCloseQuery(engine(), req, res));
  app.post('/inserts-stream', (req, res) => handleInsertsStream(engine(), ctx.streamLimits, ctx.maxBodyBytes, req, res));
  app.get('/metrics', (_req, res, next) => {
    ctx.metrics.registry.metrics().then((text) => {
      res.status(200).setHeader('content-type', ctx.metrics.registry.contentType);
      res.end(text);
    }, next);
  });
  addInfoRoutes(app, {
    get engine() {
      return engine();
    },
    statuses,
    isShuttingDown: ctx.isShuttingDown,
    kafkaLog: ctx.kafkaLog,
  });
  addClusterRoutes(app, readJson, () => ctx.cluster()!);

  app.use((req: Request, res: Response) => sendError(res, notFound(`No resource at ${req.method} ${req.path}`)));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    sendError(res, requestError(error));
  });
  return app;
}

/** Rebases this application's request and response prototypes on node's HTTP/2 compatibility classes. */
function useHttp2Objects(app: Express): void {
  const request = Object.create(Http2ServerRequest.prototype) as object;
  Object.defineProperties(request, Object.getOwnPropertyDescriptors(Object.getPrototypeOf(app.request)));
  Object.setPrototypeOf(app.request, request);
  const response = Object.create(Http2ServerResponse.prototype) as object;
  Object.defineProperties(response, Object.getOwnPropertyDescriptors(Object.getPrototypeOf(app.response)));
  Object.setPrototypeOf(app.response, response);
}

/** Errors from reading the body (too large, aborted, bad encoding) are the client's: 40000. */
function requestError(error: unknown): unknown {
  if (error instanceof KsqlError) return error;
  const e = error as { type?: unknown; status?: unknown; message?: unknown };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const message = e.type === 'entity.too.large' ? 'The request body is larger than the server accepts.' : String(e.message ?? 'Bad request');
    return badRequest(message);
  }
  log.error({ err: error }, 'request failed');
  return error;
}
