/**
 * What every request passes before any route or WebSocket upgrade: the
 * browser guard (origin and Host checks, CORS preflights; browser-guard.ts),
 * then, when configured, the credentials check (basic-auth.ts). A preflight
 * is answered before credentials are asked for, as browsers send none with it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthRefusal, Authenticator } from './basic-auth.js';
import type { BrowserGuard } from './browser-guard.js';

export interface RequestGate {
  readonly guard: BrowserGuard;
  readonly authenticator?: Authenticator;
}

export type GateOutcome =
  | { readonly kind: 'refuse'; readonly refusal: AuthRefusal; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'preflight' | 'pass'; readonly headers: Readonly<Record<string, string>> };

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
