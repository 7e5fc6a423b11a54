/** Two TLS servers over separate logs: a pull query forwarded to the owner goes over https, trusting ssl.truststore.location. */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import test from 'ava';
import { partitionForKey } from '../../src/broker/index.js';
import type { HostInfo } from '../../src/server/cluster-view.js';
import { KsqlServer } from '../../src/server/ksql-server.js';
import { singleServerView } from '../../src/server/single-server-view.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeDataDir } from './helpers.js';

const dir = makeTempDir('ksqlite-cluster-tls-');
const cert = makeTestCertificate(dir);
const PROPERTIES = {
  'ssl.keystore.location': cert.pkcs12, 'ssl.keystore.password': cert.pkcs12Password, 'ssl.key.password': cert.pkcs12Password,
  'ssl.truststore.location': cert.certFile,
};
const servers: { name: string; server: KsqlServer; dataDir: string }[] = [];
const ports = new Map<string, number>();
const hostOf = (name: string): HostInfo => ({ host: '127.0.0.1', port: ports.get(name)! });

function post(name: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = httpsRequest({
      host: 'localhost', port: ports.get(name), path, method: 'POST', ca: cert.cert, agent: false,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    } as RequestOptions, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const keyIn = (partition: number): number => [1, 2, 3, 4, 5, 6].find((k) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(k);
  return partitionForKey(bytes, 2) === partition;
})!;

test.before(async () => {
  for (const name of ['A', 'B']) {
    const dataDir = makeDataDir();
    const server = await KsqlServer.start({
      host: '127.0.0.1', port: 0, dataDir, https: true,
      properties: PROPERTIES,
      clusterView: (engine, self) => {
        const alone = singleServerView(engine, self);
        return {
          self,
          otherHosts: () => [hostOf(name === 'A' ? 'B' : 'A')],
          // Every partition is B's.
          owners: () => ({ active: hostOf('B'), standbys: [] }),
          activeStandbyPerQuery: (host) => alone.activeStandbyPerQuery(host),
          localStoreLags: () => alone.localStoreLags(),
        };
      },
    });
    servers.push({ name, server, dataDir });
    ports.set(name, server.port);
    const created = await post(name, '/ksql', {
      ksql: "CREATE STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');"
        + 'CREATE TABLE T AS SELECT ID, LATEST_BY_OFFSET(V) AS V FROM S GROUP BY ID;'
        + `INSERT INTO S (ID, V) VALUES (${keyIn(1)}, 'from-${name}');`,
    });
    if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  }
});

test.after.always(async () => {
  for (const { server, dataDir } of servers) {
    await server.stop();
    removeDir(dataDir);
  }
  removeDir(dir);
});

test('a pull query forwarded between TLS servers answers the owner\'s row', async (t) => {
  const sql = `SELECT * FROM T WHERE ID = ${keyIn(1)};`;
  let res: { status: number; body: any } | undefined;
  const deadline = Date.now() + 15_000;
  // B materializes its row asynchronously.
  while ((res = await post('A', '/query-stream', { sql })).status !== 200 || res.body.length < 2) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.is(res.status, 200, JSON.stringify(res.body));
  t.deepEqual(res.body.slice(1), [[keyIn(1), 'from-B']]);
});
