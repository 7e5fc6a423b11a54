/**
 * How long a client connection may take and how many there may be, read
 * from the server's properties. ksqlDB (Vert.x) has one of these settings,
 * `ksql.idle.connection.timeout.seconds`; the others are ksqlite's. They hold
 * for HTTP/1.1, HTTP/2, TLS and WebSocket connections alike (see
 * dual-protocol-listener.ts for where each one applies):
 *
 * - header timeout: a connection must finish its TLS handshake, then its first
 *   request's headers (or, for HTTP/2, its connection preface) within it, and
 *   each next HTTP/1.1 request's headers within the keep-alive timeout plus it;
 * - request timeout: a request body read whole (/ksql, /query, ...) must
 *   arrive within it (a streamed /inserts-stream body is not bounded);
 * - keep-alive timeout: an HTTP/1.1 connection closes this long after its
 *   last response when no next request starts;
 * - idle timeout: an HTTP/2 session without an open stream closes after it.
 *   Unlike Vert.x, an exchange in flight (a push query waiting for rows, a
 *   long poll) never makes its connection idle, so the default is far below
 *   ksqlDB's 24 hours;
 * - max connections: connections beyond it are closed as they arrive;
 * - HTTP/2 max concurrent streams: advertised in the session's SETTINGS, and
 *   a stream beyond it is refused.
 */
import { wholeNumberSetting } from './whole-number-setting.js';

export interface ConnectionLimits {
  readonly headerTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxConcurrentStreams: number;
}

export const CONNECTION_PROPERTIES = {
  headerTimeout: 'ksqlite.http.header.timeout.ms',
  requestTimeout: 'ksqlite.http.request.timeout.ms',
  keepAliveTimeout: 'ksqlite.http.keepalive.timeout.ms',
  idleTimeout: 'ksql.idle.connection.timeout.seconds',
  maxConnections: 'ksqlite.http.max.connections',
  maxConcurrentStreams: 'ksqlite.http2.max.concurrent.streams',
} as const;

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headerTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 300_000,
  // Below the common limit of 1024 open files, which the log and the other listeners share.
  maxConnections: 800,
  maxConcurrentStreams: 100,
};

export function resolveConnectionLimits(properties: Readonly<Record<string, string>>): ConnectionLimits {
  const d = DEFAULT_CONNECTION_LIMITS;
  const p = CONNECTION_PROPERTIES;
  return {
    headerTimeoutMs: wholeNumberSetting(properties, p.headerTimeout, d.headerTimeoutMs),
    requestTimeoutMs: wholeNumberSetting(properties, p.requestTimeout, d.requestTimeoutMs),
    keepAliveTimeoutMs: wholeNumberSetting(properties, p.keepAliveTimeout, d.keepAliveTimeoutMs),
    idleTimeoutMs: wholeNumberSetting(properties, p.idleTimeout, d.idleTimeoutMs / 1000) * 1000,
    maxConnections: wholeNumberSetting(properties, p.maxConnections, d.maxConnections),
    maxConcurrentStreams: wholeNumberSetting(properties, p.maxConcurrentStreams, d.maxConcurrentStreams),
  };
}
