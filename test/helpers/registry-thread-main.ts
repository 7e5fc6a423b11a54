/**
 * The body of registry-thread.ts's worker: an embedded Schema Registry over
 * a log in the directory it is given, on its own event loop; over https
 * when given a key and certificate.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { createRegistryApp } from '../../src/schema-registry/registry-routes.js';
import { SchemaRegistryServer } from '../../src/schema-registry/schema-registry-server.js';
import { SchemaStore } from '../../src/schema-registry/schema-store.js';

interface Options {
  readonly dataDir: string;
  readonly port: number;
  readonly userInfo?: string;
  readonly tls?: { readonly key: string; readonly cert: string };
}

const { dataDir, port, userInfo, tls } = workerData as Options;
const broker = openEmbeddedBroker({ dataDir });
const expected = userInfo === undefined ? undefined : `Basic ${Buffer.from(userInfo).toString('base64')}`;
let stop: () => Promise<void>;
if (tls === undefined) {
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
  stop = () => registry.stop();
} else {
  const https = createServer(tls, createRegistryApp(SchemaStore.open(broker)));
  await new Promise<void>((resolve) => https.listen(port, '127.0.0.1', resolve));
  const bound = (https.address() as AddressInfo).port;
  parentPort!.postMessage({ url: `https://127.0.0.1:${bound}`, port: bound });
  stop = () => new Promise<void>((resolve) => {
    https.close(() => resolve());
    https.closeAllConnections();
  });
}
parentPort!.once('message', () => {
  void stop().then(() => {
    broker.close();
    parentPort!.postMessage('stopped');
  });
});
