/** Starts a real server on a free port in a temporary data directory, and speaks HTTP to it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KsqlServer, type StartOptions } from '../../src/server/ksql-server.js';

export interface Harness {
  readonly server: KsqlServer;
  readonly url: string;
  readonly dataDir: string;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ksqlite-server-'));
}

export async function startServer(dataDir = makeDataDir(), options: Partial<StartOptions> = {}): Promise<Harness> {
  const server = await KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir, properties: {}, ...options });
  return { server, url: `http://127.0.0.1:${server.port}`, dataDir };
}

export async function stopServer(h: Harness, removeData = true): Promise<void> {
  await h.server.stop();
  if (removeData) rmSync(h.dataDir, { recursive: true, force: true });
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

export const CREATE_CLICKS =
  "CREATE STREAM CLICKS (ID INT KEY, URL STRING, MS BIGINT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=2, VALUE_FORMAT='JSON');";
