/** Test helpers: an embedded Schema Registry on a free port over a log in a directory, and curl-like requests. */
import { openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/index.js';
import { SchemaRegistryServer } from '../../src/schema-registry/schema-registry-server.js';

export interface RunningRegistry {
  readonly registry: SchemaRegistryServer;
  readonly broker: EmbeddedBroker;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRegistry(dataDir: string): Promise<RunningRegistry> {
  const broker = openEmbeddedBroker({ dataDir });
  const registry = await SchemaRegistryServer.start({ broker, host: '127.0.0.1', port: 0 });
  return {
    registry,
    broker,
    url: registry.url,
    async stop() {
      await registry.stop();
      broker.close();
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly contentType: string | null;
  /** The body parsed as JSON, or its text when it is not JSON. */
  readonly body: any;
}

/** A request as the documentation's curl examples send it: the registry's content type on every request. */
export async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // a raw schema that is not JSON (PROTOBUF) stays text
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body: parsed };
}

/** Avro record schema text with the given fields. */
export function avroRecord(name: string, fields: readonly object[]): string {
  return JSON.stringify({ type: 'record', name, fields });
}
