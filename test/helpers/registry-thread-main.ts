/**
 * The body of registry-thread.ts's worker: an embedded Schema Registry over
 * a log in the directory it is given, on its own event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { SchemaRegistryServer } from '../../src/schema-registry/schema-registry-server.js';

const { dataDir, port, userInfo } = workerData as { dataDir: string; port: number; userInfo?: string };
const broker = openEmbeddedBroker({ dataDir });
const expected = userInfo === undefined ? undefined : `Basic ${Buffer.from(userInfo).toString('base64')}`;
const registry = await SchemaRegistryServer.start({
  broker,
  host: '127.0.0.1',
  port,
  // With credentials, a request without them gets Confluent's 401 body.
  ...(expected === undefined ? {} : {
    admit: (req, res) => {
      if (req.headers.authorization === expected) return true;
      res.writeHead(401, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify({ error_code: 401, message: 'Unauthorized' }));
      return false;
    },
  }),
});
parentPort!.postMessage({ url: registry.url, port: registry.port });
parentPort!.once('message', () => {
  void registry.stop().then(() => {
    broker.close();
    parentPort!.postMessage('stopped');
  });
});
