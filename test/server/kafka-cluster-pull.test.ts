/**
 * Pull queries and /clusterStatus across the servers of one service id on a
 * Kafka cluster (the cluster is ksqlite's own Kafka listener in a separate
 * process, the servers two more). The group of a CTAS spreads its four tasks
 * over both servers, so each holds only some keys' counts: a pull query by
 * key on either server is answered by the server running the key's
 * partition, a scan gathers every partition from its owners, and each
 * server's /clusterStatus names both, alive, with what each runs and the lags
 * of its stores read from the cluster. After one server is killed, the
 * survivor takes its tasks and answers every key itself.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { startKafkaTarget, uniqueName, type KafkaTarget } from '../broker/kafka/kafka-target.js';

let target: KafkaTarget;
let dir: string;

test.before(async () => {
  target = await startKafkaTarget();
  dir = makeTempDir('ksqlite-kafka-cluster-pull-');
});

test.after.always(async () => {
  await target?.stop();
  if (dir !== undefined) removeDir(dir);
});

function startKafkaModeServer(name: string, properties: Readonly<Record<string, string>>): Promise<ServerProcess> {
  const config = join(dir, `${name}.properties`);
  writeFileSync(config, Object.entries(properties).map(([key, value]) => `${key}=${value}\n`).join(''));
  return startServerProcess(join(dir, name), ['--kafka-bootstrap', target.bootstrap, '--config', config]);
}

async function ksqlOrThrow(server: ServerProcess, statement: string): Promise<any> {
  const res = await fetch(`${server.url}/ksql`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksql.v1+json' },
    body: JSON.stringify({ ksql: statement, streamsProperties: { 'auto.offset.reset': 'earliest' } }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${statement} failed: ${JSON.stringify(body)}`);
  return body;
}

/** The rows of a pull query, or its error message. */
async function pull(server: ServerProcess, query: string): Promise<{ rows: unknown[][] } | { error: string }> {
  const res = await fetch(`${server.url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.ksql.v1+json' },
    body: JSON.stringify({ ksql: query }),
  });
  const body = await res.json() as { row?: { columns: unknown[] } }[] | { message: string };
  if (res.status !== 200 || !Array.isArray(body)) return { error: `${res.status} ${JSON.stringify(body)}` };
  return { rows: body.filter((l) => l.row !== undefined).map((l) => l.row!.columns) };
}

/** What is wrong with `server`'s answers for every key (by key and in a scan), or undefined when each is right. */
async function wrongAnswers(server: ServerProcess, expected: ReadonlyMap<string, number>): Promise<string | undefined> {
  const wrong: string[] = [];
  for (const [customer, n] of expected) {
    const answer = await pull(server, `SELECT CUSTOMER, N FROM COUNTS WHERE CUSTOMER = '${customer}';`);
    if ('error' in answer) wrong.push(`${customer}: ${answer.error}`);
    else if (JSON.stringify(answer.rows) !== JSON.stringify([[customer, n]])) wrong.push(`${customer}: ${JSON.stringify(answer.rows)}`);
  }
  const scan = await pull(server, 'SELECT CUSTOMER, N FROM COUNTS;');
  if ('error' in scan) {
    wrong.push(`scan: ${scan.error}`);
  } else {
    const sorted = scan.rows.map(([c, n]) => `${String(c)}=${String(n)}`).sort();
    const want = [...expected].map(([c, n]) => `${c}=${n}`).sort();
    if (JSON.stringify(sorted) !== JSON.stringify(want)) wrong.push(`scan: ${sorted.join(',')}`);
  }
  return wrong.length === 0 ? undefined : wrong.join('; ');
}

/** Polls until `check` answers undefined (nothing wrong); the last complaint when it never does. */
async function settles(check: () => Promise<string | undefined>, timeoutMs = 60_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const wrong = await check();
    if (wrong === undefined || Date.now() >= deadline) return wrong;
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface HostStatus {
  hostAlive: boolean;
  activeStandbyPerQuery: Record<string, { activeStores: string[]; activePartitions: { topic: string; partition: number }[] }>;
  hostStoreLags: { stateStoreLags: Record<string, { lagByPartition: Record<string, { currentOffsetPosition: number; endOffsetPosition: number; offsetLag: number }> }> };
}

async function clusterStatus(server: ServerProcess): Promise<Record<string, HostStatus>> {
  const res = await fetch(`${server.url}/clusterStatus`);
  return ((await res.json()) as { clusterStatus: Record<string, HostStatus> }).clusterStatus;
}

/** `host:port` of a server, as /clusterStatus names it. */
const hostKey = (server: ServerProcess): string => new URL(server.url).host;

test('servers sharing a query\'s tasks answer pull queries by key and scans for every key from each of them, list each other in /clusterStatus, and the survivor of a kill answers alone', async (t) => {
  const serviceId = `${uniqueName('pullspread').replace(/-/g, '_')}_`;
  const input = uniqueName('pull-orders');
  const properties = {
    'ksql.service.id': serviceId,
    // A short session, so the survivor takes the killed server's tasks within seconds.
    'ksql.streams.session.timeout.ms': '6000',
    'ksql.streams.heartbeat.interval.ms': '500',
    'ksql.heartbeat.enable': 'true',
    'ksql.lag.reporting.enable': 'true',
    'ksql.lag.reporting.send.interval.ms': '300',
  };
  const first = await startKafkaModeServer('first', properties);
  let second: ServerProcess | undefined;
  try {
    await ksqlOrThrow(first, `CREATE STREAM ORDERS (CUSTOMER STRING KEY, ID INT) WITH (KAFKA_TOPIC='${input}', PARTITIONS=4, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(first, 'CREATE TABLE COUNTS AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS GROUP BY CUSTOMER;');
    const queryId = 'CTAS_COUNTS_0';
    second = await startKafkaModeServer('second', properties);
    const servers = [first, second];

    // Customer c<i> ordered i + 1 times, spread over the four partitions.
    const expected = new Map<string, number>();
    let id = 0;
    for (let i = 0; i < 12; i++) {
      for (let k = 0; k <= i; k++) await ksqlOrThrow(first, `INSERT INTO ORDERS (CUSTOMER, ID) VALUES ('c${i}', ${id++});`);
      expected.set(`c${i}`, i + 1);
    }

    // Both servers run some of the four tasks, each task on one, and say so alike.
    const split = await settles(async () => {
      for (const server of servers) {
        const status = await clusterStatus(server);
        const keys = Object.keys(status).sort();
        if (JSON.stringify(keys) !== JSON.stringify(servers.map(hostKey).sort())) return `${hostKey(server)} lists ${keys.join(', ')}`;
        const partitions = servers.map((s) => (status[hostKey(s)]!.activeStandbyPerQuery[queryId]?.activePartitions ?? [])
          .filter((p) => p.topic === input).map((p) => p.partition));
        if (partitions.some((p) => p.length === 0) || JSON.stringify(partitions.flat().sort()) !== '[0,1,2,3]') {
          return `${hostKey(server)} sees partitions ${JSON.stringify(partitions)}`;
        }
        if (servers.some((s) => !status[hostKey(s)]!.hostAlive)) return `${hostKey(server)} sees a server dead`;
      }
      return undefined;
    });
    t.is(split, undefined, 'each server lists both, alive, with the four tasks split between them');

    for (const server of servers) t.is(await settles(() => wrongAnswers(server, expected)), undefined, `${hostKey(server)} answers every key`);

    // Each server's lags come from the cluster: its stores have read all of their partitions' input.
    const lags = await settles(async () => {
      const status = await clusterStatus(first);
      let end = 0;
      for (const server of servers) {
        const stores = Object.entries(status[hostKey(server)]!.hostStoreLags.stateStoreLags).filter(([name]) => name.includes(queryId));
        if (stores.length === 0) return `no store lags of ${hostKey(server)}`;
        const [, materialized] = stores.find(([name]) => name.endsWith('#Sink-Materialize')) ?? stores[0]!;
        for (const lag of Object.values(materialized.lagByPartition)) {
          if (lag.offsetLag !== 0) return `${hostKey(server)} lags: ${JSON.stringify(materialized)}`;
          end += lag.endOffsetPosition;
        }
      }
      return end === id ? undefined : `the store partitions' input ends add up to ${end}, not ${id}`;
    });
    t.is(lags, undefined, 'every store partition reports its input read to the end, on the server that runs it');

    await second.stop('SIGKILL');
    second = undefined;
    t.is(await settles(() => wrongAnswers(first, expected)), undefined, 'the survivor answers every key once it has taken the tasks');
    const status = await clusterStatus(first);
    t.deepEqual(status[hostKey(first)]!.activeStandbyPerQuery[queryId]!.activePartitions.filter((p) => p.topic === input).map((p) => p.partition).sort(), [0, 1, 2, 3]);
    t.is(await settles(async () => ((await clusterStatus(first))[hostKey(servers[1]!)]?.hostAlive === false ? undefined : 'alive')),
      undefined, 'the killed server shows dead');
  } finally {
    await second?.stop('SIGKILL');
    await first.stop('SIGTERM');
  }
});
