import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { HttpRegistryClient } from '../../src/schema-registry/http-registry-client.js';
import { startSchemaRegistry } from '../../src/server/schema-registry-startup.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';

function options(dataDir: string, extra: { schemaRegistryPort?: number; properties?: Record<string, string> }) {
  return { host: '127.0.0.1', port: 0, dataDir, properties: extra.properties ?? {}, ...(extra.schemaRegistryPort === undefined ? {} : { schemaRegistryPort: extra.schemaRegistryPort }) };
}

test('the engine\'s registry client and the REST API share one store', async (t) => {
  const dir = makeTempDir();
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    const setup = await startSchemaRegistry(broker, options(dir, { schemaRegistryPort: 0 }));
    const id = setup.client!.register('t-value', 'AVRO', '"int"');
    const reply = await fetch(`${setup.server!.url}/subjects/t-value/versions/latest`);
    t.like(await reply.json(), { subject: 't-value', id, schema: '"int"' });
    await setup.server!.stop();
  } finally {
    broker.close();
    removeDir(dir);
  }
});

test('with the port off the engine still has the embedded store; with an external URL it has the HTTP client and nothing listens', async (t) => {
  const dir = makeTempDir();
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    const off = await startSchemaRegistry(broker, options(dir, {}));
    t.is(off.server, undefined);
    t.is(off.client!.latest('nothing-value'), undefined);
    const external = await startSchemaRegistry(broker, options(dir, { schemaRegistryPort: 0, properties: { 'ksql.schema.registry.url': 'http://elsewhere:8081' } }));
    t.is(external.server, undefined);
    t.true(external.client instanceof HttpRegistryClient);
    await external.close();
  } finally {
    broker.close();
    removeDir(dir);
  }
});
