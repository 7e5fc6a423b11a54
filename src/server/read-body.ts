/**
 * Reads a whole request body (HTTP/1.1 or HTTP/2, with or without a
 * Content-Length) up to a size limit, and parses it as JSON: a missing body,
 * bad JSON or one over the limit answer ksqlDB's 40000 error. A body that
 * takes longer than `timeoutMs` to arrive answers 408 and its connection
 * (its HTTP/2 stream) is closed: a slow sender cannot hold it open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { KsqlError } from '../common/errors.js';
import { badRequest, sendError } from './error-response.js';

export function readJsonBody(maxBytes: number, timeoutMs: number): RequestHandler {
  const read = bodyReader(maxBytes, timeoutMs);
  return (req: Request, res: Response, next: NextFunction): void => {
    read(req, res, (body) => {
      req.body = body;
      next();
    }, (error) => sendError(res, error));
  };
}

type NodeRequest = IncomingMessage | Http2ServerRequest;
type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * The same reading over node's own request and response (the query
 * endpoints' short way in, create-app.ts): `done` with the parsed body, or
 * `fail` with the error to answer (after a timeout, the connection is
 * closed once that answer is sent).
 */
export function bodyReader(maxBytes: number, timeoutMs: number): (req: NodeRequest, res: NodeResponse, done: (body: unknown) => void, fail: (error: KsqlError) => void) => void {
  return (req, res, done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const timer = setTimeout(() => {
      failed = true;
      res.once('finish', () => req.destroy());
      fail(new KsqlError('REQUEST_TIMEOUT', `The request body did not arrive within ${timeoutMs} ms.`));
    }, timeoutMs);
    timer.unref();
    const stop = (): void => clearTimeout(timer);
    req.once('close', stop);
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        fail(badRequest('The request body is larger than the server accepts.'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      failed = true;
    });
    req.on('end', () => {
      stop();
      if (failed) return;
      const raw = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      if (raw.trim() === '') {
        fail(badRequest('The request has no body: expected a JSON object.'));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch (error) {
        fail(badRequest(`Invalid JSON in the request body: ${(error as Error).message}`));
        return;
      }
      done(body);
    });
  };
}
