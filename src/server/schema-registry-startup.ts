/**
 * Which Schema Registry a server uses: the one `ksql.schema.registry.url`
 * names when the user set it (nothing is started here then), else the
 * embedded one on `schemaRegistryPort` over the server's log, else none.
 */
import type { Broker } from '../broker/index.js';
import { createLogger } from '../common/logger.js';
import { SchemaRegistryServer } from '../schema-registry/schema-registry-server.js';
import type { ServerOptions } from './server-options.js';
import type { BrowserGuard } from './browser-guard.js';
import { admit } from './request-gate.js';

const log = createLogger('server');

const SCHEMA_REGISTRY_URL_PROPERTY = 'ksql.schema.registry.url';

/** `guard`: the server's browser guard, which the registry's requests pass too (origin and Host checks). */
export async function startSchemaRegistry(broker: Broker, options: ServerOptions, guard?: BrowserGuard): Promise<SchemaRegistryServer | undefined> {
  const external = options.properties[SCHEMA_REGISTRY_URL_PROPERTY]?.trim();
  if (external !== undefined && external !== '') {
    log.info({ url: external }, 'using the external schema registry; the embedded one is not started');
    return undefined;
  }
  if (options.schemaRegistryPort === undefined) {
    log.info('no schema registry: the embedded one is turned off and ksql.schema.registry.url is not set');
    return undefined;
  }
  const registry = await SchemaRegistryServer.start({
    broker,
    host: options.host,
    port: options.schemaRegistryPort,
    ...(guard === undefined ? {} : { admit: (req, res) => admit({ guard }, req, res) }),
  });
  log.info({ schemaRegistryUrl: registry.url }, 'embedded schema registry listening');
  return registry;
}
