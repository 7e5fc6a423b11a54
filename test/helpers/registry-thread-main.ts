/**
 * The body of registry-thread.ts's worker: an embedded Schema Registry over
 * a log in the directory it is given, on its own event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { SchemaRegistryServer } from '../../src/schema-registry/schema-registry-server.js';

const { dataDir, port } = workerData as { dataDir: string; port: number };
const broker = openEmbeddedBroker({ dataDir });
const registry = await SchemaRegistryServer.start({ broker, host: '127.0.0.1', port });
parentPort!.postMessage({ url: registry.url, port: registry.port });
parentPort!.once('message', () => {
  void registry.stop().then(() => {
    broker.close();
    parentPort!.postMessage('stopped');
  });
});
