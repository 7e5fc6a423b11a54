/**
 * Which Schema Registry a server uses: the one `ksql.schema.registry.url`
 * names when the user set it, reached over its REST API
 * (http-registry-client.ts; nothing is started here then), else the
 * embedded store over the server's log, which the engine reaches in-process
 * and which is served over HTTP on `schemaRegistryPort` unless that is off.
 * A server on a Kafka cluster has none: only an external one.
 */
import type { Broker } from '../broker/index.js';
import { createLogger } from '../common/logger.js';
import type { SchemaRegistryClient } from '../formats/index.js';
import { HttpRegistryClient } from '../schema-registry/http-registry-client.js';
import { SchemaRegistryServer } from '../schema-registry/schema-registry-server.js';
import { SchemaStore } from '../schema-registry/schema-store.js';
import { storeRegistryClient } from '../schema-registry/store-client.js';
import type { ServerOptions } from './server-options.js';
import type { BrowserGuard } from './browser-guard.js';
import type { Authenticator } from './basic-auth.js';
import { admit } from './request-gate.js';
import type { SecureContextOptions } from 'node:tls';
import { schemaRegistryClientOptions } from './schema-registry-client-options.js';

const log = createLogger('server');

export interface SchemaRegistrySetup {
  /** The embedded registry's HTTP server, when it listens. */
  readonly server?: SchemaRegistryServer;
  /** What the engine's formats use. */
  readonly client?: SchemaRegistryClient;
  /** Releases what the client holds (the external client's request thread). */
  close(): Promise<void>;
}

/** How the registry's port is secured: the server's own credentials check and TLS settings (docs/security.md). */
export interface RegistrySecurity {
  readonly authenticator?: Authenticator;
  readonly tls?: SecureContextOptions;
}

/**
 * `guard`: the server's browser guard, which the registry's requests pass too
 * (origin and Host checks); `security`: Basic credentials and https for its port.
 */
export async function startSchemaRegistry(broker: Broker, options: ServerOptions, guard?: BrowserGuard, security: RegistrySecurity = {}): Promise<SchemaRegistrySetup> {
  const external = schemaRegistryClientOptions(options.properties);
  if (external !== undefined) {
    log.info({ urls: external.urls }, 'using the external schema registry; the embedded one is not started');
    const client = new HttpRegistryClient(external);
    return { client, close: async () => client.close() };
  }
  if (options.kafkaBootstrap !== undefined) {
    // Its store is a topic of the embedded log, which servers of one Kafka cluster do not share.
    log.info('on a Kafka cluster there is no embedded schema registry: set ksql.schema.registry.url for schema-based formats');
    return { close: async () => {} };
  }
  const store = SchemaStore.open(broker);
  const client = storeRegistryClient(store);
  if (options.schemaRegistryPort === undefined) {
    log.info('the embedded schema registry serves the engine only: its port is turned off');
    return { client, close: async () => {} };
  }
  const server = await SchemaRegistryServer.start({
    broker,
    store,
    host: options.host,
    port: options.schemaRegistryPort,
    ...(guard === undefined ? {} : { admit: (req, res) => admit({ guard, ...(security.authenticator === undefined ? {} : { authenticator: security.authenticator }) }, req, res) }),
    ...(security.tls === undefined ? {} : { tls: security.tls }),
  });
  log.info({ schemaRegistryUrl: server.url }, 'embedded schema registry listening');
  return { server, client, close: () => server.stop() };
}
