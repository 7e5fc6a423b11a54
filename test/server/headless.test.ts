/**
 * Headless mode end to end: the real server (ksqlite-server) started with a
 * properties file whose `ksql.queries.file` names the queries, input
 * produced through its Kafka listener (the REST API takes none), killed
 * with SIGKILL while it processes and started again on the same data
 * directory: the file runs again with the same query ids, the queries go on
 * from their committed offsets with their state, and no output is lost or
 * doubled. The REST API answers /info, /healthcheck and /status and refuses
 * statements, queries and the WebSocket.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { readTopic } from '../helpers/read-topic.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { eventually } from './stream-helpers.js';

const QUERIES = `
-- Batch A is in the topic before the first start: only 'earliest' reads it.
SET 'auto.offset.reset' = 'earliest';
CREATE STREAM ORDERS (ID INT KEY, AMOUNT INT) WITH (KAFKA_TOPIC='orders', PARTITIONS=2, VALUE_FORMAT='JSON');
CREATE STREAM BIG AS SELECT ID, AMOUNT FROM ORDERS WHERE AMOUNT >= 100;
CREATE TABLE TOTALS AS SELECT ID, COUNT(*) AS N FROM ORDERS GROUP BY ID;
`;
const QUERY_IDS = ['CSAS_BIG_0', 'CTAS_TOTALS_1'];
const KEYS = 7;

function intKey(n: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt32BE(n);
  return key;
}

/** Order `n`: key n % KEYS, amount n, so every output row names the input it came from. */
function order(n: number): { key: Buffer; value: Buffer } {
  return { key: intKey(n % KEYS), value: Buffer.from(JSON.stringify({ AMOUNT: n })) };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

async function produce(kafkaPort: number, numbers: readonly number[]): Promise<void> {
  const producer = new Kafka({ clientId: 'headless-test', brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    for (let i = 0; i < numbers.length; i += 500) await producer.send({ topic: 'orders', messages: numbers.slice(i, i + 500).map(order) });
  } finally {
    await producer.disconnect();
  }
}

/** Whether both queries committed everything the input holds. */
async function caughtUp(kafkaPort: number): Promise<boolean> {
  const admin = new Kafka({ clientId: 'headless-test', brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets('orders');
    for (const queryId of QUERY_IDS) {
      const [committed] = await admin.fetchOffsets({ groupId: `_confluent-ksql-default_query_${queryId}`, topics: ['orders'] });
      for (const end of ends) {
        if (committed!.partitions.find((p) => p.partition === end.partition)?.offset !== end.high) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

function httpCall(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a headless server runs its queries file, survives kill -9 with nothing lost or doubled, and answers only /info, /healthcheck and /status', async (t) => {
  await withTempDir(async (dir) => {
    const dataDir = join(dir, 'data');
    const queriesFile = join(dir, 'queries.sql');
    const properties = join(dir, 'ksql-server.properties');
    writeFileSync(queriesFile, QUERIES);
    writeFileSync(properties, `ksql.queries.file=${queriesFile}\n`);
    const batchA = range(0, 300);
    const broker = openEmbeddedBroker({ dataDir });
    broker.createTopic('orders', { partitions: 2 });
    broker.append('orders', batchA.map(order));
    broker.close();

    const start = async (): Promise<{ server: ServerProcess; kafkaPort: number }> => {
      const kafkaPort = await freePort();
      const started = await startServerProcess(dataDir, [properties, '--kafka-port', String(kafkaPort)]);
      // A test that times out leaves no server behind.
      t.teardown(() => void started.stop('SIGKILL'));
      return { server: started, kafkaPort };
    };
    let { server, kafkaPort } = await start();
    t.true(server.log().includes(`"queries":${JSON.stringify(QUERY_IDS)},"msg":"headless mode`), server.log());
    const batchB = range(300, 3300);
    await produce(kafkaPort, batchB);
    // Killed while it processes what just came in.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
    t.deepEqual(await server.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });

    ({ server, kafkaPort } = await start());
    try {
      t.true(server.log().includes(`"queries":${JSON.stringify(QUERY_IDS)},"msg":"headless mode`), 'the file ran again with the same query ids');
      const batchC = range(3300, 3500);
      await produce(kafkaPort, batchC);
      t.true(await eventually(() => caughtUp(kafkaPort), 60_000), `both queries committed all the input: ${server.log()}`);

      const info = await httpCall(server.url, 'GET', '/info');
      t.is(info.status, 200);
      t.is(JSON.parse(info.body).KsqlServerInfo.serverStatus, 'RUNNING');
      t.is((await httpCall(server.url, 'GET', '/healthcheck')).status, 200);
      t.deepEqual(JSON.parse((await httpCall(server.url, 'GET', '/status')).body), { commandStatuses: {} });
      const refusal = /^The server runs in headless mode \(ksql\.queries\.file\): interactive use is disabled/;
      for (const [path, body] of [
        ['/ksql', JSON.stringify({ ksql: 'SHOW STREAMS;' })],
        ['/ksql', JSON.stringify({ ksql: 'DROP STREAM BIG;' })],
        ['/query-stream', JSON.stringify({ sql: 'SELECT * FROM BIG EMIT CHANGES;' })],
        ['/query', JSON.stringify({ ksql: 'SELECT * FROM TOTALS;' })],
        ['/inserts-stream', JSON.stringify({ target: 'ORDERS' })],
      ] as const) {
        const refused = await httpCall(server.url, 'POST', path, body);
        t.is(refused.status, 403, path);
        t.is(JSON.parse(refused.body).error_code, 40300);
        t.regex(JSON.parse(refused.body).message, refusal);
      }
      t.is((await httpCall(server.url, 'GET', '/')).status, 403, 'no web console');
      const upgrade = await httpCall(server.url, 'GET', '/ws/query?request=%7B%7D', undefined, { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' });
      t.is(upgrade.status, 403);
      t.regex(JSON.parse(upgrade.body).message, refusal);
    } finally {
      await server.stop('SIGTERM');
    }

    const log = openEmbeddedBroker({ dataDir });
    try {
      const all = range(0, 3500);
      const big = readTopic(log, 'BIG').map((r) => JSON.parse(r.value!.toString()).AMOUNT as number).sort((a, b) => a - b);
      t.deepEqual(big, all.filter((n) => n >= 100), 'every order of 100 or more once');
      const totals = new Map<number, number>();
      for (const record of readTopic(log, 'TOTALS')) totals.set(record.key!.readInt32BE(), JSON.parse(record.value!.toString()).N);
      t.deepEqual([...totals].sort(([a], [b]) => a - b), range(0, KEYS).map((k) => [k, all.filter((n) => n % KEYS === k).length]), 'counts kept their state across the kill');
    } finally {
      log.close();
    }
  });
});

test('a statement of the queries file that fails stops the server\'s start: exit code 1 and a message naming the statement', async (t) => {
  await withTempDir(async (dir) => {
    const queriesFile = join(dir, 'queries.sql');
    writeFileSync(queriesFile, `${QUERIES}\nCREATE STREAM LOST AS SELECT * FROM NOWHERE;\n`);
    const error = await t.throwsAsync(startServerProcess(join(dir, 'data'), ['--queries-file', queriesFile]));
    t.true(error!.message.startsWith('the server exited while starting (code 1, signal null)'), error!.message);
    t.true(error!.message.includes(`ksqlite-server: cannot start: Failed to start with the queries file ${queriesFile}: `), error!.message);
    t.regex(error!.message, /NOWHERE.*\nStatement: CREATE STREAM LOST AS SELECT \* FROM NOWHERE;\n/s);
    // The file was validated in a sandbox before anything ran: the statements before the failing one left nothing.
    const log = openEmbeddedBroker({ dataDir: join(dir, 'data') });
    try {
      for (const topic of ['orders', 'BIG', 'TOTALS']) t.false(log.hasTopic(topic), topic);
    } finally {
      log.close();
    }
  });
});
