/**
 * The owner's side of a forwarded pull query (see cluster-client.ts): a
 * query request whose `requestProperties` mark it internal and name
 * partitions is answered from this server's stores of those partitions only,
 * never forwarded again, with all its rows (up to OFFSET + LIMIT, neither
 * sorted nor skipped: the server that forwarded it merges) in one body of
 * the runtime's lossless value encoding; a partition this server does not
 * hold (by its cluster view) is refused rather than answered empty.
 */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { KsqlError } from '../common/errors.js';
import type { PreparedQuery } from '../engine/prepared-query.js';
import type { TransientEnd } from '../runtime/transient-query.js';
import { decodeValue, encodeValue } from '../runtime/value-codec.js';
import { hostName, sameHost, type ClusterView } from './cluster-view.js';
import { badRequest } from './error-response.js';

export const INTERNAL_ROWS_CONTENT_TYPE = 'application/vnd.ksqlite.pull-rows.v1';

/** ksqlDB's request properties of a forwarded pull query. */
export const INTERNAL_REQUEST = 'request.ksql.internal.request';
export const SKIP_FORWARDING = 'request.ksql.query.pull.skip.forwarding';
export const PULL_PARTITIONS = 'request.ksql.query.pull.partition';

/** The partitions an internal request asks for; undefined for a client's request. */
export function internalPartitions(body: unknown): number[] | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const props = (body as Record<string, unknown>).requestProperties;
  if (props === null || typeof props !== 'object') return undefined;
  const fields = props as Record<string, unknown>;
  if (fields[INTERNAL_REQUEST] !== true && fields[INTERNAL_REQUEST] !== 'true') return undefined;
  const text = fields[PULL_PARTITIONS];
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const partitions = text.split(',').map((p) => Number(p.trim()));
  if (partitions.some((p) => !Number.isInteger(p) || p < 0)) throw badRequest(`'${PULL_PARTITIONS}' must list partition numbers, separated by commas.`);
  return partitions;
}

/**
 * Answers an internal request for `partitions` of a pull query; throws (before anything is sent) when it cannot,
 * as when `view` says this server holds a partition neither actively nor as a standby (it moved, or is restoring):
 * a server error, so the server that asked tries the partition's next host.
 */
export function answerInternalPull(prepared: PreparedQuery, partitions: readonly number[], res: ServerResponse | Http2ServerResponse, view: ClusterView | undefined): void {
  const { partitioned } = prepared;
  if (partitioned === undefined) throw badRequest('Only a pull query on a table that a persistent query materializes can be asked for partitions.');
  const unavailable = view === undefined ? undefined : partitions.find((partition) => {
    const { active, standbys } = view.owners(partitioned.queryId, partition);
    return ![active, ...standbys].some((host) => host !== undefined && sameHost(host, view.self));
  });
  if (unavailable !== undefined) throw new KsqlError('SERVER_ERROR', `Partition ${unavailable} of query ${partitioned.queryId} is not available on ${hostName(view!.self)}.`);
  const rows: (readonly unknown[])[] = [];
  let end: TransientEnd | undefined;
  partitioned.startOn(partitions, { row: (values) => rows.push(values), end: (e) => (end = e) });
  if (end?.kind === 'failed') throw end.error instanceof KsqlError ? end.error : new KsqlError('SERVER_ERROR', (end.error as Error).message);
  const body = encodeValue(rows);
  res.statusCode = 200;
  res.setHeader('content-type', INTERNAL_ROWS_CONTENT_TYPE);
  res.end(body);
}

export function decodeInternalRows(body: Buffer): unknown[][] {
  return decodeValue(body) as unknown[][];
}
