/**
 * The shell's HTTP client for ksqlDB's REST API: /info and /healthcheck for
 * the banner, /ksql for statements, /is_valid_property before a SET, and
 * /query-stream (the delimited protocol: a header object line, then one JSON
 * array per row) for SELECT, and /query for PRINT (text lines, as ksqlDB's
 * CLI reads them), either of which a caller can cancel with an AbortSignal.
 * With credentials, every request carries them as HTTP Basic authorization,
 * and every request carries the caller's extra headers (ksqlite-migrations'
 * --headers file). /inserts-stream appends rows for ksqlite-migrations.
 */
import type { ConnectionOptions } from 'node:tls';
import { Agent, fetch, type RequestInit, type Response } from 'undici';
// the one module, not the formats' index: that loads every format, a second of a short run's start on a loaded machine
import { parseJsonLossless } from '../formats/json/lossless-json.js';


export interface ServerInfo {
  readonly version: string;
  readonly ksqlServiceId: string;
  readonly serverStatus: string;
}

/** An error body of the server (`generic_error` or `statement_error`). */
export interface ServerError {
  readonly '@type': string;
  readonly error_code: number;
  readonly message: string;
  readonly statementText?: string;
  readonly entities?: readonly Entity[];
}

/** A /ksql entity: its shape depends on `@type`. */
export type Entity = { readonly '@type': string; readonly warnings?: readonly { message: string }[] } & Record<string, any>;

export type KsqlResult =
  | { readonly kind: 'entities'; readonly entities: Entity[] }
  | { readonly kind: 'error'; readonly error: ServerError };

export interface RequestState {
  readonly properties: Readonly<Record<string, string>>;
  readonly variables: Readonly<Record<string, string>>;
}

export interface QueryHeader {
  readonly queryId?: string;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

export interface QueryHandlers {
  readonly onHeader: (header: QueryHeader) => void;
  readonly onRow: (row: readonly unknown[]) => void;
}

export interface PrintHandlers {
  /** The server accepted the PRINT. */
  readonly onStart: () => void;
  /** One line of output (the server's empty keep-alive lines are skipped). */
  readonly onLine: (line: string) => void;
}

export type QueryOutcome =
  | { readonly kind: 'completed' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'error'; readonly error: ServerError };

/** The server cannot be reached at all (refused, reset, DNS). */
export class ConnectionError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`Could not connect to the server at ${url}: ${describeCause(cause)}`);
  }
}

/** HTTP Basic credentials sent with every request. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export class KsqlClient {
  readonly url: string;
  private readonly authorization: string | undefined;
  /**
   * Requests go through undici's own fetch with no body or headers timeout:
   * the built-in fetch ends a response body after 300 s without a byte, which
   * ended a push query or PRINT that had no rows for five minutes. `tls`
   * (client-tls.ts) says whom an https server must be vouched for by.
   */
  private readonly dispatcher: Agent;

  constructor(url: string, credentials?: Credentials, tls?: ConnectionOptions, private readonly extraHeaders: Readonly<Record<string, string>> = {}) {
    this.url = url.replace(/\/+$/, '');
    this.dispatcher = new Agent({ bodyTimeout: 0, headersTimeout: 0, ...(tls === undefined ? {} : { connect: tls }) });
    if (credentials !== undefined) this.authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')}`;
  }

  async info(): Promise<ServerInfo> {
    const body = await this.getJson('/info');
    return (body as { KsqlServerInfo: ServerInfo }).KsqlServerInfo;
  }

  async isHealthy(): Promise<boolean> {
    const body = await this.getJson('/healthcheck');
    return (body as { isHealthy?: unknown }).isHealthy === true;
  }

  /** Runs statements on /ksql with the shell's properties and variables. */
  async execute(ksql: string, state: RequestState): Promise<KsqlResult> {
    const res = await this.send('/ksql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql, streamsProperties: state.properties, sessionVariables: state.variables }),
    });
    const body = await readJsonBody(res);
    if (res.ok && Array.isArray(body)) return { kind: 'entities', entities: body as Entity[] };
    return { kind: 'error', error: asServerError(body, res.status) };
  }

  /** Appends one row to a stream on /inserts-stream: undefined once the server acknowledged it, else its error. */
  async insertRow(target: string, row: Readonly<Record<string, unknown>>): Promise<ServerError | undefined> {
    const res = await this.send('/inserts-stream', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksqlapi.delimited.v1', accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: `${JSON.stringify({ target })}\n${JSON.stringify(row)}\n`,
    });
    const text = await res.text();
    const answers = text.split('\n').filter((line) => line.trim() !== '').map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { message: line };
      }
    });
    if (res.ok && answers.some((answer) => answer.status === 'ok')) return undefined;
    return asServerError(answers.find((answer) => typeof answer.message === 'string'), res.status);
  }

  /** Undefined when the server accepts a SET of the property, else its error. */
  async checkProperty(name: string): Promise<ServerError | undefined> {
    const res = await this.send(`/is_valid_property/${encodeURIComponent(name)}`, { method: 'GET' });
    if (res.ok) {
      await res.arrayBuffer();
      return undefined;
    }
    if (res.status === 404) return undefined; // a server without the check accepts the SET as ksqlDB's CLI does
    return asServerError(await readJsonBody(res), res.status);
  }

  /**
   * Runs a SELECT on /query-stream and hands its header and rows over as they
   * arrive, until the server ends the stream, it fails, or `signal` aborts
   * (then the query is also closed on the server, best effort).
   */
  async streamQuery(sql: string, state: RequestState, handlers: QueryHandlers, signal: AbortSignal): Promise<QueryOutcome> {
    let queryId: string | undefined;
    try {
      const res = await this.send('/query-stream', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
        body: JSON.stringify({ sql, properties: state.properties, sessionVariables: state.variables }),
        signal,
      });
      if (!res.ok || res.body === null) return { kind: 'error', error: asServerError(await readJsonBody(res), res.status) };
      const decoder = new TextDecoder();
      let pending = '';
      let sawHeader = false;
      const handleLine = (line: string): QueryOutcome | undefined => {
        if (line.trim() === '') return undefined;
        // A row keeps every number as its literal, so it prints `1.0`, `2.50` and whole BIGINTs as the server sent them.
        const value = line.trimStart().startsWith('[') ? parseJsonLossless(line, true) : JSON.parse(line) as unknown;
        if (Array.isArray(value)) {
          handlers.onRow(value);
          return undefined;
        }
        const object = value as Record<string, unknown>;
        if (!sawHeader && Array.isArray(object.columnNames)) {
          sawHeader = true;
          queryId = typeof object.queryId === 'string' ? object.queryId : undefined;
          handlers.onHeader(object as unknown as QueryHeader);
          return undefined;
        }
        if (typeof object['@type'] === 'string' || typeof object.message === 'string') return { kind: 'error', error: asServerError(object, 500) };
        return undefined;
      };
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const outcome = handleLine(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          if (outcome !== undefined) return outcome;
        }
      }
      const outcome = handleLine(pending + decoder.decode());
      return outcome ?? { kind: 'completed' };
    } catch (error) {
      if (signal.aborted) {
        if (queryId !== undefined) await this.closeQuery(queryId);
        return { kind: 'cancelled' };
      }
      throw error;
    }
  }

  /**
   * Runs a PRINT on /query, where ksqlDB's CLI sends it (that endpoint adds
   * the `Key format:` / `Value format:` lines), handing each line over as it
   * arrives until the server ends the stream or `signal` aborts (closing the
   * connection ends the PRINT on the server).
   */
  async streamPrint(ksql: string, state: RequestState, handlers: PrintHandlers, signal: AbortSignal): Promise<QueryOutcome> {
    try {
      const res = await this.send('/query', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ksql, streamsProperties: state.properties, sessionVariables: state.variables }),
        signal,
      });
      if (!res.ok || res.body === null) return { kind: 'error', error: asServerError(await readJsonBody(res), res.status) };
      handlers.onStart();
      const decoder = new TextDecoder();
      let pending = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line !== '') handlers.onLine(line);
        }
      }
      const rest = pending + decoder.decode();
      if (rest !== '') handlers.onLine(rest);
      return { kind: 'completed' };
    } catch (error) {
      if (signal.aborted) return { kind: 'cancelled' };
      throw error;
    }
  }

  private async closeQuery(queryId: string): Promise<void> {
    try {
      const res = await this.send('/close-query', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ queryId }),
      });
      await res.arrayBuffer();
    } catch {
      // closing the connection already ends the query on servers that watch for it
    }
  }

  private async getJson(path: string): Promise<unknown> {
    const res = await this.send(path, { method: 'GET', headers: { accept: 'application/json' } });
    const body = await readJsonBody(res);
    if (!res.ok) throw new Error(asServerError(body, res.status).message);
    return body;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      const headers: Record<string, string> = { ...this.extraHeaders, ...(init.headers as Record<string, string> | undefined) };
      if (this.authorization !== undefined) headers.authorization = this.authorization;
      return await fetch(`${this.url}${path}`, { ...init, headers, dispatcher: this.dispatcher });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ConnectionError(this.url, error);
    }
  }
}

async function readJsonBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

function asServerError(body: unknown, status: number): ServerError {
  if (body !== null && typeof body === 'object' && typeof (body as ServerError).message === 'string') {
    const error = body as ServerError;
    return { ...error, '@type': error['@type'] ?? 'generic_error', error_code: error.error_code ?? status * 100 };
  }
  return { '@type': 'generic_error', error_code: status * 100, message: `The server answered HTTP ${status}` };
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
