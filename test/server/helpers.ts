/** Starts a real server on a free port in a temporary data directory, and speaks HTTP to it. */
import test from 'ava';
import { KsqlServer, type StartOptions } from '../../src/server/ksql-server.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';

export interface Harness {
  readonly server: KsqlServer;
  readonly url: string;
  readonly dataDir: string;
}

export function makeDataDir(): string {
  return makeTempDir('ksqlite-server-');
}

export async function startServer(dataDir = makeDataDir(), options: Partial<StartOptions> = {}): Promise<Harness> {
  const server = await KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir, properties: {}, ...options });
  return { server, url: `http://127.0.0.1:${server.port}`, dataDir };
}

export async function stopServer(h: Harness, removeData = true): Promise<void> {
  await h.server.stop();
  if (removeData) removeDir(h.dataDir);
}

export interface FileServerOptions {
  /** Options for the server, beside a free port and a fresh data directory. */
  readonly start?: Partial<StartOptions>;
  /** Statements run one by one once the server is up; each must succeed. */
  readonly statements?: readonly string[];
  /** Runs after `statements`, before any test (e.g. to connect a client). */
  readonly afterStart?: (h: Harness) => Promise<void>;
  /** Runs after the tests, before the server stops (e.g. to disconnect a client). */
  readonly beforeStop?: () => Promise<void> | void;
}

/**
 * One server for all the tests of a file: started before them, stopped and
 * its data removed after them. The harness returned reads through to that
 * server, so use it inside tests and hooks.
 */
export function useServer(options: FileServerOptions = {}): Harness {
  let started: Harness | undefined;
  const current = (): Harness => {
    if (started === undefined) throw new Error('the server of this test file has not started');
    return started;
  };
  test.before(async () => {
    started = await startServer(undefined, options.start);
    for (const sql of options.statements ?? []) await runSqlOrThrow(started, sql);
    await options.afterStart?.(started);
  });
  test.after.always(async () => {
    await options.beforeStop?.();
    if (started !== undefined) await stopServer(started);
  });
  return {
    get server() {
      return current().server;
    },
    get url() {
      return current().url;
    },
    get dataDir() {
      return current().dataDir;
    },
  };
}

export interface JsonResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: any;
}

export async function request(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: text === '' ? undefined : JSON.parse(text) };
}

/** POST /ksql with a JSON body (any value; strings are sent as given when `raw`). */
export function postKsql(h: Harness, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return request(`${h.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function runSql(h: Harness, ksql: string, extra: Record<string, unknown> = {}): Promise<JsonResponse> {
  return postKsql(h, { ksql, ...extra });
}

/** The declaration of stream `name` (ID INT KEY, NAME STRING) on its own one-partition JSON topic, without a ';' (some clients add it). */
export function declareClientStream(name: string): string {
  return `CREATE STREAM ${name} (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='${name.toLowerCase()}', PARTITIONS=1, VALUE_FORMAT='JSON')`;
}

/** Runs `ksql` for a test's set-up (with `extra` fields of the request, e.g. streamsProperties); a failure is thrown, with the server's answer. */
export async function runSqlOrThrow(h: Harness, ksql: string, extra: Record<string, unknown> = {}): Promise<JsonResponse> {
  const res = await runSql(h, ksql, extra);
  if (res.status !== 200) throw new Error(`${ksql} failed: ${JSON.stringify(res.body)}`);
  return res;
}

export const CREATE_CLICKS =
  "CREATE STREAM CLICKS (ID INT KEY, URL STRING, MS BIGINT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=2, VALUE_FORMAT='JSON');";
