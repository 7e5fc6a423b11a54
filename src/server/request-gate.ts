/**
 * What every request passes before any route or WebSocket upgrade: the
 * browser guard (origin and Host checks, CORS preflights; browser-guard.ts),
 * then, when configured, the credentials check (basic-auth.ts). A preflight
 * is answered before credentials are asked for, as browsers send none with it.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { AuthRefusal, Authenticator } from './basic-auth.js';
import type { BrowserGuard } from './browser-guard.js';
import { genericError } from './error-response.js';

export interface RequestGate {
  readonly guard: BrowserGuard;
  readonly authenticator?: Authenticator;
}

export type GateOutcome =
  | { readonly kind: 'refuse'; readonly refusal: AuthRefusal; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'preflight'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'pass'; readonly headers: Readonly<Record<string, string>> };

export function passGate(gate: RequestGate, method: string, url: string | undefined, headers: IncomingHttpHeaders): GateOutcome {
  const decision = gate.guard.check(method, headers);
  if (decision.kind === 'refuse') return { kind: 'refuse', refusal: { error: decision.error }, headers: {} };
  if (decision.kind === 'preflight') return decision;
  const refusal = gate.authenticator?.check(pathOf(url), headers);
  if (refusal !== undefined) return { kind: 'refuse', refusal, headers: decision.headers };
  return decision;
}

function pathOf(url: string | undefined): string {
  const text = url ?? '/';
  const query = text.indexOf('?');
  return query < 0 ? text : text.slice(0, query);
}

/**
 * Runs the gate on a request and answers it when the gate does: a refusal
 * (401 with the Basic challenge, or 403, in ksqlDB's error body) or a
 * preflight (204). Returns whether the request may go on, its CORS headers set.
 */
export function admit(gate: RequestGate, req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): boolean {
  const outcome = passGate(gate, req.method ?? 'GET', req.url, req.headers);
  // for...in: most requests pass with no header to add, and make no array of them.
  for (const name in outcome.headers) res.setHeader(name, outcome.headers[name]!);
  if (outcome.kind === 'pass') return true;
  if (outcome.kind === 'preflight') {
    res.statusCode = 204;
    res.end();
    return false;
  }
  const body = JSON.stringify(genericError(outcome.refusal.error));
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(body));
  if (outcome.refusal.challenge !== undefined) res.setHeader('www-authenticate', outcome.refusal.challenge);
  res.statusCode = outcome.refusal.error.httpStatus;
  res.end(body);
  return false;
}
