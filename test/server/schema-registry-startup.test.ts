import test from 'ava';
import { KsqlServer } from '../../src/server/ksql-server.js';
import { makeDataDir, startServer, stopServer } from './helpers.js';

test('the server runs the embedded schema registry on its own port and stops it in its stop', async (t) => {
  const h = await startServer(makeDataDir(), { schemaRegistryPort: 0 });
  const registry = h.server.schemaRegistry;
  t.truthy(registry);
  t.not(registry!.port, h.server.port);
  const registered = await fetch(`${registry!.url}/subjects/s-value/versions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: '"string"' }),
  });
  t.deepEqual(await registered.json(), { id: 1 });
  t.true(h.server.broker.hasTopic('_schemas'));
  const topics = await fetch(`${h.url}/ksql`, { method: 'POST', body: JSON.stringify({ ksql: 'SHOW TOPICS;' }) });
  t.false(JSON.stringify(await topics.json()).includes('_schemas'), 'SHOW TOPICS hides _schemas as ksqlDB hides internal topics');
  await stopServer(h, false);
  await t.throwsAsync(fetch(`${registry!.url}/subjects`));
  const again = await startServer(h.dataDir, { schemaRegistryPort: 0 });
  try {
    const id = await fetch(`${again.server.schemaRegistry!.url}/schemas/ids/1`);
    t.deepEqual(await id.json(), { schema: '"string"' });
  } finally {
    await stopServer(again);
  }
});

test('with ksql.schema.registry.url set the embedded registry is not started', async (t) => {
  const h = await startServer(makeDataDir(), { schemaRegistryPort: 0, properties: { 'ksql.schema.registry.url': 'http://registry.example:8081' } });
  try {
    t.is(h.server.schemaRegistry, undefined);
    t.false(h.server.broker.hasTopic('_schemas'));
  } finally {
    await stopServer(h);
  }
});

test('without a schema registry port there is no embedded registry', async (t) => {
  const h = await startServer();
  try {
    t.is(h.server.schemaRegistry, undefined);
  } finally {
    await stopServer(h);
  }
});

test('a schema registry port in use fails the start and leaves the data directory usable', async (t) => {
  const first = await startServer(makeDataDir(), { schemaRegistryPort: 0 });
  const busy = first.server.schemaRegistry!.port;
  const other = makeDataDir();
  try {
    await t.throwsAsync(KsqlServer.start({ host: '127.0.0.1', port: 0, dataDir: other, properties: {}, schemaRegistryPort: busy }), { code: 'EADDRINUSE' });
    const retry = await startServer(other);
    await stopServer(retry);
  } finally {
    await stopServer(first);
  }
});
