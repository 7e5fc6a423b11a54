/**
 * Runs a prepared query for one client: its header first, then one chunk per
 * row as the transient query produces them, then how it ended, in the
 * framing of the endpoint (delimited or JSON /query-stream, the older /query,
 * the WebSocket). Rows go through a paced writer: a slow client pauses the
 * query, and one that takes nothing for too long is disconnected with a
 * message saying so. The query ends with the client, whichever goes first.
 */
import { toKsqlError, type KsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import type { PreparedQuery } from '../engine/prepared-query.js';
import { isSharedValues } from '../engine/shared-push-outcomes.js';
import type { TransientEnd } from '../runtime/transient-query.js';
import { openClientStream, type QueryTransport, type RunningStream, type StreamOptions } from './client-stream.js';
import { resultRowWriter, type RowJsonWriter } from './result-json.js';

const log = createLogger('server');

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
  /** A push query's continuation token as a line of its own (/query-stream, when the request asks for them). */
  continuationToken?(token: string): string;
}

export function streamQuery(prepared: PreparedQuery, framing: QueryFraming, transport: QueryTransport, options: StreamOptions): RunningStream {
  const rowJson = resultRowWriter(prepared.columns);
  const stream = openClientStream(transport, options, {
    stallMessage: `The client of query ${prepared.id} did not read its results for ${options.limits.stallMs} ms: the query was closed and the client disconnected.`,
    logFields: { queryId: prepared.id },
    tail: (error) => [error === undefined ? undefined : framing.error(error), framing.end()].filter((c): c is string => c !== undefined),
  });
  stream.push(framing.header(prepared));
  const { continuation } = prepared;
  const tokenLine = continuation?.linesWanted === true && framing.continuationToken !== undefined
    ? (): string => framing.continuationToken!(continuation.tracker.token())
    : undefined;
  stream.attach(prepared.start({
    row: (values, tombstone) => {
      const chunk = tombstone === true ? framing.tombstone(rowJson(values)) : rowChunk(framing, rowJson, values);
      if (chunk === undefined) return;
      stream.push(chunk);
      if (tokenLine !== undefined) stream.push(tokenLine());
    },
    end: (end: TransientEnd) => {
      if (stream.finished) return;
      const { tail, error } = endingOf(prepared, framing, end);
      if (tokenLine !== undefined && error === undefined) stream.push(tokenLine());
      if (tail !== undefined) stream.push(tail);
      stream.finish(error);
    },
  }));
  return stream;
}

/** The chunks of values arrays that many push queries are handed (see shared-push-outcomes.ts), by framing. */
const sharedChunks = new WeakMap<readonly unknown[], { readonly framing: QueryFraming; readonly chunk: string }>();

/** A row's chunk: serialized once for all the queries a shared values array goes to, when they frame it alike. */
function rowChunk(framing: QueryFraming, rowJson: RowJsonWriter, values: readonly unknown[]): string {
  const known = sharedChunks.get(values);
  if (known?.framing === framing) return known.chunk;
  if (!isSharedValues(values)) return framing.row(rowJson(values));
  const chunk = framing.row(rowJson(values));
  sharedChunks.set(values, { framing, chunk });
  return chunk;
}

/**
 * Runs a synchronous query (see PreparedQuery.synchronous) to its end and
 * returns the whole response body: for transports where rows may share
 * writes, the response then goes out in one write.
 */
export function collectQuery(prepared: PreparedQuery, framing: QueryFraming): string {
  const rowJson = resultRowWriter(prepared.columns);
  let body = framing.header(prepared);
  let ended = false;
  prepared.start({
    row: (values, tombstone) => {
      if (!ended) body += (tombstone === true ? framing.tombstone(rowJson(values)) : framing.row(rowJson(values))) ?? '';
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
