/**
 * What keeps a web page in a browser from driving the server. Cross-origin
 * requests (an `Origin` header naming another site than the `Host` asked
 * for) are refused with 403 unless ksqlDB's CORS settings allow the origin:
 * `access.control.allow.origin` (comma-separated, `*` a wildcard; default
 * none), `access.control.allow.methods` (default GET, POST, HEAD) and
 * `access.control.allow.headers` (default X-Requested-With, Content-Type,
 * Accept, Origin, Authorization). An allowed origin gets the CORS headers and
 * its preflight (`OPTIONS` with `Access-Control-Request-Method`) a 204, which
 * also grants Chrome's Private Network Access when asked (a dashboard on a
 * public site reaching a server on this machine); a
 * refused one never reaches a route, so even a "simple" `text/plain` POST
 * from another site runs nothing. The same check covers the WebSocket
 * upgrade (cross-site WebSocket hijacking). When the server is bound to a
 * loopback address, a `Host` header naming anything but a loopback name is
 * refused too (DNS rebinding).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { KsqlError } from '../common/errors.js';

export const CORS_PROPERTIES = {
  origin: 'access.control.allow.origin',
  methods: 'access.control.allow.methods',
  headers: 'access.control.allow.headers',
} as const;

const DEFAULT_METHODS = ['GET', 'POST', 'HEAD'];
const DEFAULT_HEADERS = ['X-Requested-With', 'Content-Type', 'Accept', 'Origin', 'Authorization'];
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** What to do with a request: refuse it, answer a preflight, or go on (with the CORS headers to add). */
export type GuardDecision =
  | { readonly kind: 'refuse'; readonly error: KsqlError }
  | { readonly kind: 'preflight'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'pass'; readonly headers: Readonly<Record<string, string>> };

export interface BrowserGuard {
  check(method: string, headers: IncomingHttpHeaders): GuardDecision;
}

const PASS: GuardDecision = { kind: 'pass', headers: {} };

export function createBrowserGuard(properties: Readonly<Record<string, string>>, boundHost: string): BrowserGuard {
  const origins = splitList(properties[CORS_PROPERTIES.origin]);
  const originPattern = origins.length === 0 ? undefined : new RegExp(`^(?:${origins.map(wildcard).join('|')})$`);
  const methods = splitList(properties[CORS_PROPERTIES.methods]).map((m) => m.toUpperCase());
  const allowedMethods = methods.length === 0 ? DEFAULT_METHODS : methods;
  const allowedHeaders = splitList(properties[CORS_PROPERTIES.headers]);
  const headerList = (allowedHeaders.length === 0 ? DEFAULT_HEADERS : allowedHeaders).join(',');
  const checkHost = isLoopback(boundHost);
  return {
    check(method, headers) {
      const host = (headers.host ?? headers[':authority']) as string | undefined;
      if (checkHost && host !== undefined && !LOOPBACK_NAMES.has(hostName(host).toLowerCase())) {
        return refuse(`The Host '${host}' is not allowed: this server is bound to ${boundHost} and answers only loopback names.`);
      }
      const origin = headers.origin;
      if (origin === undefined || isSameOrigin(origin, host)) return PASS;
      if (originPattern === undefined || !originPattern.test(origin)) {
        return refuse(`Cross-origin requests from ${origin} are not allowed (see access.control.allow.origin).`);
      }
      const cors = { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
      const requested = headers['access-control-request-method'];
      if (method === 'OPTIONS' && requested !== undefined) {
        if (!allowedMethods.includes(requested.toUpperCase())) return refuse(`Cross-origin ${requested} requests are not allowed (see access.control.allow.methods).`);
        const answer: Record<string, string> = {
          ...cors, 'access-control-allow-methods': allowedMethods.join(','), 'access-control-allow-headers': headerList, 'access-control-max-age': '1800',
        };
        // Chrome asks before a page on a public address may reach a server on this machine or network.
        if (headers['access-control-request-private-network'] === 'true') answer['access-control-allow-private-network'] = 'true';
        return { kind: 'preflight', headers: answer };
      }
      if (!allowedMethods.includes(method)) return refuse(`Cross-origin ${method} requests are not allowed (see access.control.allow.methods).`);
      return { kind: 'pass', headers: cors };
    },
  };
}

function refuse(message: string): GuardDecision {
  return { kind: 'refuse', error: new KsqlError('FORBIDDEN', message) };
}

function splitList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function wildcard(text: string): string {
  return text.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
}

/** The host part of a Host header (`name:port`, `[v6]:port`). */
function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
