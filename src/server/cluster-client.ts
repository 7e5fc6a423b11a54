/**
 * How a server speaks to the other servers of its cluster: heartbeats and lag
 * reports (JSON posts whose answers nobody waits for, as in ksqlDB), and
 * pull queries forwarded to the server that holds a partition. A forwarded
 * pull query is a POST /query marked as internal in `requestProperties`
 * (ksqlDB's `request.ksql.internal.request`, `request.ksql.query.pull.skip.forwarding`
 * and `request.ksql.query.pull.partition`), with the caller's Authorization
 * header passed on; the owner answers the rows of those partitions in the
 * runtime's lossless value encoding (internal-pull.ts), so no value changes
 * type or precision on the way. The scheme is this server's own (https when
 * it serves TLS), trusting `ssl.truststore.location` when it is a PEM file.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { KsqlError } from '../common/errors.js';
import type { PropertyValue } from '../engine/config.js';
import { hostName, type HostInfo } from './cluster-view.js';
import { INTERNAL_REQUEST, INTERNAL_ROWS_CONTENT_TYPE, PULL_PARTITIONS, SKIP_FORWARDING, decodeInternalRows } from './internal-pull.js';

/** What a forwarded pull query carries: the statement and session the client sent, and the partitions the owner is to read. */
export interface ForwardedPull {
  readonly sql: string;
  readonly properties: Readonly<Record<string, PropertyValue>>;
  readonly variables: ReadonlyMap<string, string>;
  readonly partitions: readonly number[];
  /** The client's Authorization header, passed on so the owner checks the same credentials. */
  readonly authorization: string | undefined;
}

/** A forward that could not reach its host or that its host could not serve now: another host may answer instead. */
export class HostUnavailableError extends Error {}

export interface ClusterClient {
  /** Posts `body` as JSON to `path` of `host`; failures are only logged by the caller (they show as missed heartbeats). */
  post(host: HostInfo, path: string, body: unknown): Promise<void>;
  /** The rows `host` holds of a pull query's partitions; throws HostUnavailableError when another host should be tried. */
  forwardPull(host: HostInfo, pull: ForwardedPull, timeoutMs: number): Promise<unknown[][]>;
}

const POST_TIMEOUT_MS = 2000;

export function createClusterClient(scheme: 'http' | 'https', properties: Readonly<Record<string, string>>): ClusterClient {
  const ca = scheme === 'https' ? trustedCertificates(properties) : undefined;
  const send = (host: HostInfo, path: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; type: string; body: Buffer }> =>
    new Promise((resolve, reject) => {
      // An IPv6 host is named in brackets, as in URLs; node connects to the bare address.
      const options: RequestOptions & { ca?: Buffer } = {
        host: host.host.replace(/^\[(.*)\]$/, '$1'), port: host.port, path, method: 'POST', timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        ...(ca === undefined ? {} : { ca }),
      };
      const req = (scheme === 'https' ? httpsRequest : httpRequest)(options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  return {
    async post(host, path, body) {
      const res = await send(host, path, JSON.stringify(body), {}, POST_TIMEOUT_MS);
      if (res.status !== 200) throw new Error(`${hostName(host)}${path} answered ${res.status}`);
    },
    async forwardPull(host, pull, timeoutMs) {
      const body = JSON.stringify({
        ksql: pull.sql,
        streamsProperties: pull.properties,
        sessionVariables: Object.fromEntries(pull.variables),
        requestProperties: { [INTERNAL_REQUEST]: true, [SKIP_FORWARDING]: true, [PULL_PARTITIONS]: pull.partitions.join(',') },
      });
      let res: { status: number; type: string; body: Buffer };
      try {
        res = await send(host, '/query', body, pull.authorization === undefined ? {} : { authorization: pull.authorization }, timeoutMs);
      } catch (error) {
        throw new HostUnavailableError(`Forwarding pull query request to ${hostName(host)} failed with error ${(error as Error).message}`);
      }
      if (res.status === 200 && res.type.startsWith(INTERNAL_ROWS_CONTENT_TYPE)) return decodeInternalRows(res.body);
      const message = errorMessage(res.body) ?? `status ${res.status}`;
      // A server that is starting or stopping, or failing inside, may be replaced by another; a refusal of the request is final.
      if (res.status >= 500) throw new HostUnavailableError(`Forwarding pull query request to ${hostName(host)} failed with error ${message}`);
      throw new KsqlError(res.status === 401 ? 'UNAUTHORIZED' : res.status === 403 ? 'FORBIDDEN' : 'BAD_STATEMENT',
        `Forwarding pull query request to ${hostName(host)} failed with error ${message}`);
    },
  };
}

function errorMessage(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

/** The certificates `ssl.truststore.location` holds, when it is a PEM file; otherwise node's own roots. */
function trustedCertificates(properties: Readonly<Record<string, string>>): Buffer | undefined {
  const location = properties['ssl.truststore.location']?.trim();
  if (location === undefined || location === '') return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(location);
  } catch (error) {
    throw new Error(`Cannot read ssl.truststore.location '${location}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return bytes.includes('-----BEGIN CERTIFICATE') ? bytes : undefined;
}
