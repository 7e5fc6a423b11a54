/**
 * The web console: static files from the package's `console/` folder, plain
 * ES modules the browser loads as they are (nothing is built). `GET /` serves
 * the console's page to a browser (an `Accept` naming text/html) and, as
 * ksqlDB does, redirects every other client to /info. The keywords the
 * editor highlights and completes come from the parser's own lists, so the
 * console and the grammar cannot drift apart. The request gate runs before
 * these routes, so the console needs the same origin and credentials as the
 * REST API it calls.
 */
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import { NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS } from '../parser/grammar/keywords.js';
import { sendJson } from './send-json.js';

/** `console/` at the package root, from `dist/src/server/` where this module runs. */
const CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

export function addConsoleRoutes(app: Express): void {
  app.get('/', (req: Request, res: Response) => {
    if (req.accepts(['application/json', 'text/html']) === 'text/html') {
      res.sendFile('index.html', { root: CONSOLE_DIR, headers: { 'cache-control': 'no-cache' } });
    } else res.redirect(307, '/info');
  });
  app.get('/console/keywords.json', (_req, res) => {
    sendJson(res, 200, { reserved: [...RESERVED_KEYWORDS].sort(), nonReserved: [...NON_RESERVED_KEYWORDS].sort() });
  });
  app.use('/console', express.static(CONSOLE_DIR, { index: false, fallthrough: true, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }));
}
