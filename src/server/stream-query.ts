/**
 * Runs a prepared query for one client: its header first, then one chunk per
 * row as the transient query produces them, then how it ended, in the
 * framing of the endpoint (delimited or JSON /query-stream, the older /query,
 * the WebSocket). Rows go through a paced writer: a slow client pauses the
 * query, and one that takes nothing for too long is disconnected with a
 * message saying so. The query ends with the client, whichever goes first.
 */
import { KsqlError, toKsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { PreparedQuery, RunningQuery } from '../engine/push-query.js';
import { valueToJsonText } from '../formats/json/json-writer.js';
import type { TransientEnd } from '../runtime/transient-query.js';
import type { SqlType } from '../schema/sql-type.js';
import { PacedWriter } from './paced-writer.js';

/** How an endpoint frames a query's output. */
export interface QueryFraming {
  header(query: PreparedQuery): string;
  row(columnsJson: string): string;
  /** The chunk for a table row's deletion (only key columns set); undefined: the endpoint drops them, as ksqlDB's does. */
  tombstone(columnsJson: string): string | undefined;
  /** The chunk telling the client the query failed (undefined: the transport says it when finishing). */
  error(error: KsqlError): string | undefined;
  /** The chunk for a query that reached its LIMIT, if the framing has one. */
  limitReached(): string | undefined;
  /** The chunk that closes the document, if any. */
  end(): string | undefined;
}

export interface QueryTransport {
  write(chunk: string, done: (error?: Error | null) => void): void;
  /**
   * Ends the response once everything written has been taken; `error` when the
   * query failed. `disconnect`: the client reads nothing, so cut the connection
   * if the end cannot be delivered soon.
   */
  finish(error?: KsqlError, disconnect?: boolean): void;
}

export interface StreamLimits {
  /** Rows queued for a client before its query pauses. */
  readonly bufferRows: number;
  /** How long a client may take nothing before it is disconnected. */
  readonly stallMs: number;
}

export interface StreamOptions {
  readonly limits: StreamLimits;
  /** Whether several rows may share one write (see PacedWriter). */
  readonly coalesce: boolean;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { bufferRows: 1000, stallMs: 30_000 };

const log = createLogger('server');

export interface RunningStream {
  /** The client went away: stop the query, write nothing more. */
  abandon(): void;
}

export function streamQuery(prepared: PreparedQuery, framing: QueryFraming, transport: QueryTransport, options: StreamOptions): RunningStream {
  const { limits } = options;
  const types = prepared.columns.map((c) => c.type);
  let query: RunningQuery | undefined;
  let finished = false;
  const writer = new PacedWriter({
    write: (chunk, done) => transport.write(chunk, done),
    highWater: limits.bufferRows,
    stallMs: limits.stallMs,
    coalesce: options.coalesce,
    onPressure: (paused) => (paused ? query?.pause() : query?.resume()),
    onFailed: () => {
      finished = true;
      query?.close();
    },
    onStall: () => {
      const error = new KsqlError('TOO_MANY_REQUESTS',
        `The client of query ${prepared.id} did not read its results for ${limits.stallMs} ms: the query was closed and the client disconnected.`);
      log.warn({ queryId: prepared.id }, 'slow client disconnected');
      finish(error, true);
      query?.close();
    },
  });

  const finish = (error: KsqlError | undefined, direct = false): void => {
    if (finished) return;
    finished = true;
    const tail = [error === undefined ? undefined : framing.error(error), framing.end()].filter((c): c is string => c !== undefined);
    if (direct) {
      // The writer gave up on this client: write the last words straight to the transport.
      for (const chunk of tail) transport.write(chunk, () => {});
      transport.finish(error, true);
      return;
    }
    for (const chunk of tail) writer.push(chunk);
    void writer.drained().then(() => transport.finish(error));
  };

  writer.push(framing.header(prepared));
  query = prepared.start({
    row: (values, tombstone) => {
      const chunk = tombstone === true ? framing.tombstone(rowJson(values, types)) : framing.row(rowJson(values, types));
      if (chunk !== undefined) writer.push(chunk);
    },
    end: (end: TransientEnd) => {
      if (finished) return;
      const { tail, error } = endingOf(prepared, framing, end);
      if (tail !== undefined) writer.push(tail);
      finish(error);
    },
  });
  return {
    abandon() {
      finished = true;
      writer.close();
      query?.close();
    },
  };
}

/**
 * Runs a synchronous query (see PreparedQuery.synchronous) to its end and
 * returns the whole response body: for transports where rows may share
 * writes, the response then goes out in one write.
 */
export function collectQuery(prepared: PreparedQuery, framing: QueryFraming): string {
  const types = prepared.columns.map((c) => c.type);
  let body = framing.header(prepared);
  let ended = false;
  prepared.start({
    row: (values, tombstone) => {
      if (!ended) body += (tombstone === true ? framing.tombstone(rowJson(values, types)) : framing.row(rowJson(values, types))) ?? '';
    },
    end: (end) => {
      if (ended) return;
      ended = true;
      const { tail, error } = endingOf(prepared, framing, end);
      if (tail !== undefined) body += tail;
      if (error !== undefined) body += framing.error(error) ?? '';
      body += framing.end() ?? '';
    },
  });
  if (!ended) throw new Error(`query ${prepared.id} did not end synchronously`);
  return body;
}

/** How a query's end shows in its output: a LIMIT's chunk, or the error it failed with. */
function endingOf(prepared: PreparedQuery, framing: QueryFraming, end: TransientEnd): { tail?: string; error?: KsqlError } {
  switch (end.kind) {
    case 'limit':
      return { tail: framing.limitReached() };
    case 'complete':
    case 'closed':
      return {};
    case 'failed':
      log.error({ err: end.error, queryId: prepared.id }, 'transient query failed');
      return { error: toKsqlError(end.error) };
  }
}

/** A row as a JSON array; BIGINT and DECIMAL keep every digit. */
export function rowJson(values: readonly unknown[], types: readonly SqlType[]): string {
  let text = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    text += valueToJsonText(values[i], types[i]!);
  }
  return `${text}]`;
}
