/**
 * The express application: JSON bodies read and checked here (any content
 * type; bad JSON, a missing body or one over the size limit answer 40000),
 * the /ksql route, the informational routes, 404 for anything else, and a
 * last error handler so no request can take the process down.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { KsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { KsqlEngine } from '../engine/engine.js';
import { CommandStatuses } from './command-statuses.js';
import { badRequest, notFound, sendError } from './error-response.js';
import { addInfoRoutes } from './info-routes.js';
import { handleKsql } from './ksql-route.js';

export interface AppContext {
  /** Undefined until the engine has replayed the command log. */
  readonly engine: () => KsqlEngine | undefined;
  readonly hostName: () => string;
  readonly isShuttingDown: () => boolean;
  readonly maxBodyBytes: number;
}

const log = createLogger('server');

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  const statuses = new CommandStatuses();

  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (ctx.isShuttingDown()) sendError(res, new KsqlError('SERVER_SHUTTING_DOWN', 'The server is shutting down.'));
    else if (ctx.engine() === undefined) sendError(res, new KsqlError('SERVER_NOT_READY', 'The server is not ready yet: it is replaying its command log.'));
    else next();
  });

  const readJson = [
    express.raw({ type: () => true, limit: ctx.maxBodyBytes }),
    (req: Request, res: Response, next: NextFunction): void => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      if (raw.trim() === '') {
        sendError(res, badRequest('The request has no body: expected a JSON object.'));
        return;
      }
      try {
        req.body = JSON.parse(raw);
      } catch (error) {
        sendError(res, badRequest(`Invalid JSON in the request body: ${(error as Error).message}`));
        return;
      }
      next();
    },
  ];

  const engine = (): KsqlEngine => ctx.engine()!;
  app.post('/ksql', ...readJson, (req, res) => handleKsql(engine(), statuses, req, res));
  addInfoRoutes(app, {
    get engine() {
      return engine();
    },
    statuses,
    hostName: ctx.hostName,
    isShuttingDown: ctx.isShuttingDown,
  });

  app.use((req: Request, res: Response) => sendError(res, notFound(`No resource at ${req.method} ${req.path}`)));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    sendError(res, requestError(error));
  });
  return app;
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
