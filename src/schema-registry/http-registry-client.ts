/**
 * The formats' registry client for an external, Confluent-compatible Schema
 * Registry (`ksql.schema.registry.url`), over its REST API. Synchronous like
 * every SchemaRegistryClient: each request blocks on sync-http.ts. As
 * Confluent's CachedSchemaRegistryClient, it keeps what it learns, schemas by
 * id and ids by (subject, schema), so a running query asks the registry once
 * per schema and never again.
 *
 * Several base URLs are tried in turn when one cannot be reached. A registry
 * that answers with an error gives Confluent's `<message>; error code: <n>`;
 * one that cannot be reached names the URLs and the reason. A registry that
 * stops answering would block the whole server for a timeout on every
 * record that needs a schema, so after a timeout requests fail at once for
 * a while (a refused connection fails at once anyway).
 */
import type { RegisteredSchema, SchemaRegistryClient } from '../formats/schema-registry-client.js';
import { SyncHttp, SyncHttpError } from './sync-http.js';

export interface HttpRegistryOptions {
  /** Base URLs of one registry (its nodes), each http or https. */
  readonly urls: readonly string[];
  /** HTTP Basic credentials, `user:password`. */
  readonly userInfo?: string;
  /** PEM certificates an https registry's chain must lead to; Node's defaults when absent. */
  readonly ca?: string;
  /** How long one request may take. */
  readonly timeoutMs?: number;
  /** How long requests fail at once after one timed out. */
  readonly pauseAfterTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_PAUSE_AFTER_TIMEOUT_MS = 30_000;
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** Confluent's codes of "not found" answers: the subject, its version, the schema. */
const NOT_FOUND = new Set([40401, 40402, 40403]);

/** The registry answered with an error (Confluent's RestClientException). */
export class RegistryClientError extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(`${message}; error code: ${errorCode}`);
    this.name = 'RegistryClientError';
  }
}

export class HttpRegistryClient implements SchemaRegistryClient {
  private readonly http = new SyncHttp();
  private readonly urls: readonly string[];
  private readonly headers: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  private readonly pauseMs: number;
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly idBySubjectAndSchema = new Map<string, number>();
  /** Which URL to try first: the last that answered. */
  private current = 0;
  private pausedUntil = 0;
  private pauseReason = '';

  constructor(private readonly options: HttpRegistryOptions) {
    if (options.urls.length === 0) throw new Error('A Schema Registry client needs at least one URL');
    this.urls = options.urls.map((u) => u.replace(/\/+$/, ''));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pauseMs = options.pauseAfterTimeoutMs ?? DEFAULT_PAUSE_AFTER_TIMEOUT_MS;
    this.headers = {
      accept: CONTENT_TYPE,
      ...(options.userInfo === undefined ? {} : { authorization: `Basic ${Buffer.from(options.userInfo).toString('base64')}` }),
    };
  }

  register(subject: string, schemaType: string, schema: string, id?: number): number {
    const key = `${subject}\u0000${schemaType}\u0000${schema}`;
    const known = this.idBySubjectAndSchema.get(key);
    if (known !== undefined && (id === undefined || id === known)) return known;
    const body = {
      schema,
      // Confluent leaves the type out for AVRO, and older registries know no other.
      ...(schemaType === 'AVRO' ? {} : { schemaType }),
      ...(id === undefined ? {} : { id }),
    };
    const reply = this.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, body) as { id: number };
    this.idBySubjectAndSchema.set(key, reply.id);
    if (!this.byId.has(reply.id)) this.byId.set(reply.id, { id: reply.id, schemaType, schema });
    return reply.id;
  }

  schemaById(id: number): RegisteredSchema | undefined {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const reply = this.orUndefined(() => this.call('GET', `/schemas/ids/${id}`) as { schema: string; schemaType?: string });
    if (reply === undefined) return undefined;
    const found = { id, schemaType: reply.schemaType ?? 'AVRO', schema: reply.schema };
    this.byId.set(id, found);
    return found;
  }

  /** Not cached: the latest version changes, and only statements ask for it. */
  latest(subject: string): RegisteredSchema | undefined {
    const reply = this.orUndefined(() => this.call('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`) as {
      id: number; schema: string; schemaType?: string;
    });
    return reply === undefined ? undefined : { id: reply.id, schemaType: reply.schemaType ?? 'AVRO', schema: reply.schema };
  }

  /** Stops the thread the requests run on. */
  close(): void {
    this.http.close();
  }

  private orUndefined<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof RegistryClientError && NOT_FOUND.has(error.errorCode)) return undefined;
      throw error;
    }
  }

  /** The reply body of a request to the first URL that can be reached. */
  private call(method: 'GET' | 'POST', path: string, body?: unknown): unknown {
    const now = Date.now();
    if (now < this.pausedUntil) {
      throw new Error(`${this.pauseReason} (requests to it fail for ${Math.ceil((this.pausedUntil - now) / 1000)} s more)`);
    }
    const failures: string[] = [];
    let timedOut = false;
    for (let i = 0; i < this.urls.length; i++) {
      const index = (this.current + i) % this.urls.length;
      const base = this.urls[index]!;
      let answer;
      try {
        answer = this.http.request({
          method,
          url: base + path,
          headers: body === undefined ? this.headers : { ...this.headers, 'content-type': CONTENT_TYPE },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          timeoutMs: this.timeoutMs,
          ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
        });
      } catch (error) {
        if (!(error instanceof SyncHttpError)) throw error;
        failures.push(`${base}: ${error.message}`);
        timedOut ||= error.timedOut;
        continue;
      }
      this.current = index;
      return parseReply(answer.status, answer.body, base);
    }
    const reason = `The Schema Registry cannot be reached: ${failures.join('; ')}`;
    if (timedOut) {
      this.pausedUntil = Date.now() + this.pauseMs;
      this.pauseReason = reason;
    }
    throw new Error(reason);
  }
}

function parseReply(status: number, text: string, base: string): unknown {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300 && body !== undefined) return body;
  const error = body as { error_code?: unknown; message?: unknown } | undefined;
  if (typeof error?.error_code === 'number') {
    throw new RegistryClientError(error.error_code, typeof error.message === 'string' ? error.message : `HTTP ${status}`);
  }
  throw new RegistryClientError(status, `Unexpected answer from the Schema Registry at ${base}: HTTP ${status} ${text.slice(0, 200)}`);
}
