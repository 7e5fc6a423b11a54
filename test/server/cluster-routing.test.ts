/**
 * Three servers over separate embedded logs, with the same table, each
 * holding rows of its own (V names the server), and an injected cluster view
 * that says which server holds each partition: pull queries are answered
 * where the view says, heartbeats tell dead servers from live ones, and lag
 * reports reach /clusterStatus.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { partitionForKey } from '../../src/broker/index.js';
import type { ClusterView, HostInfo, StateStoreLags } from '../../src/server/cluster-view.js';
import { singleServerView } from '../../src/server/single-server-view.js';
import { decodeInternalRows, INTERNAL_ROWS_CONTENT_TYPE } from '../../src/server/internal-pull.js';
import { KsqlServer } from '../../src/server/ksql-server.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { makeDataDir } from './helpers.js';

const NAMES = ['A', 'B', 'C'] as const;
type Name = (typeof NAMES)[number] | 'D';

const dir = makeTempDir('ksqlite-cluster-');
const usersFile = join(dir, 'password-file');
writeFileSync(usersFile, 'fred: letmein,admin\n');
const FRED = `Basic ${Buffer.from('fred:letmein').toString('base64')}`;
const PROPERTIES = {
  'authentication.method': 'BASIC',
  'authentication.roles': 'admin',
  'authentication.basic.users.file': usersFile,
  'authentication.skip.paths': '/heartbeat,/lag',
  'ksql.heartbeat.enable': 'true',
  'ksql.heartbeat.send.interval.ms': '100',
  'ksql.heartbeat.check.interval.ms': '100',
  'ksql.heartbeat.window.ms': '2000',
  'ksql.heartbeat.missed.threshold.ms': '10',
  'ksql.heartbeat.discover.interval.ms': '100',
  'ksql.lag.reporting.enable': 'true',
  'ksql.lag.reporting.send.interval.ms': '200',
};

const servers = new Map<Name, { server: KsqlServer; dataDir: string }>();
const ports = new Map<Name, number>();
/** Per partition of the table's query: the active server and the standbys. */
const layout = new Map<number, { active: Name; standbys: Name[] }>();
let queryId = '';
/** Store lags a server reports instead of its own (a standby behind, say). */
const reportedLags = new Map<Name, StateStoreLags>();

const hostOf = (name: Name): HostInfo => ({ host: '127.0.0.1', port: ports.get(name)! });

function viewOf(name: Name): (engine: Parameters<typeof singleServerView>[0], self: HostInfo) => ClusterView {
  return (engine, self) => {
    const alone = singleServerView(engine, self);
    return {
      self,
      otherHosts: () => NAMES.filter((n) => n !== name && ports.has(n)).map(hostOf),
      owners: (_query, partition) => {
        // Before a test lays the partitions out, each server holds all it has.
        const placed = layout.get(partition);
        if (placed === undefined) return { active: self, standbys: [] };
        return { active: hostOf(placed.active), standbys: placed.standbys.map(hostOf) };
      },
      activeStandbyPerQuery: (host) => alone.activeStandbyPerQuery(host),
      localStoreLags: () => reportedLags.get(name) ?? alone.localStoreLags(),
    };
  };
}

async function start(name: Name, dataDir = makeDataDir()): Promise<void> {
  const server = await KsqlServer.start({
    host: '127.0.0.1', port: ports.get(name) ?? 0, dataDir, properties: PROPERTIES, clusterView: viewOf(name),
  });
  servers.set(name, { server, dataDir });
  ports.set(name, server.port);
}

const url = (name: Name, path: string): string => `http://127.0.0.1:${ports.get(name)}${path}`;

async function ksql(name: Name, sql: string): Promise<any> {
  const res = await fetch(url(name, '/ksql'), { method: 'POST', headers: { 'content-type': 'application/json', authorization: FRED }, body: JSON.stringify({ ksql: sql }) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${sql} on ${name}: ${JSON.stringify(body)}`);
  return body;
}

/** A pull query on `name`'s /query-stream (JSON): its rows, or its error. */
async function pull(name: Name, sql: string, properties: Record<string, unknown> = {}, authorization = FRED): Promise<{ status: number; rows: unknown[][]; message?: string }> {
  const res = await fetch(url(name, '/query-stream'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
    body: JSON.stringify({ sql, properties }),
  });
  const body = await res.json() as any;
  if (res.status !== 200) return { status: res.status, rows: [], message: body.message };
  return { status: 200, rows: (body as unknown[]).slice(1) as unknown[][] };
}

/** What `name` holds itself of `partitions`, asked as another server asks. */
async function internalRows(name: Name, partitions: string): Promise<unknown[][]> {
  const res = await fetch(url(name, '/query'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: FRED },
    body: JSON.stringify({ ksql: 'SELECT * FROM T;', requestProperties: { 'request.ksql.internal.request': true, 'request.ksql.query.pull.partition': partitions } }),
  });
  if (res.status !== 200 || res.headers.get('content-type') !== INTERNAL_ROWS_CONTENT_TYPE) throw new Error(`internal request to ${name}: ${res.status} ${await res.text()}`);
  return decodeInternalRows(Buffer.from(await res.arrayBuffer()));
}

async function clusterStatus(name: Name): Promise<any> {
  const res = await fetch(url(name, '/clusterStatus'), { headers: { authorization: FRED } });
  return ((await res.json()) as any).clusterStatus;
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Keys 1..8, by the partition (of 2) Kafka's partitioner gives their KAFKA-format bytes. */
const KEYS = [1, 2, 3, 4, 5, 6, 7, 8];
const partitionOf = (key: number): number => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(key);
  return partitionForKey(bytes, 2);
};
const keysIn = (partition: number): number[] => KEYS.filter((k) => partitionOf(k) === partition);

test.before(async () => {
  // A port nothing listens on: server D of the layouts that name an unreachable server.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  ports.set('D', (probe.address() as { port: number }).port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  for (const name of NAMES) await start(name);
  for (const name of NAMES) {
    await ksql(name, "CREATE STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');");
    const created = await ksql(name, 'CREATE TABLE T AS SELECT ID, LATEST_BY_OFFSET(V) AS V FROM S GROUP BY ID;');
    queryId = created[0].commandStatus.queryId;
    await ksql(name, KEYS.map((k) => `INSERT INTO S (ID, V) VALUES (${k}, 'from-${name}');`).join('\n'));
  }
  for (const name of NAMES) await eventually(`${name} has materialized its rows`, async () => (await internalRows(name, '0,1')).length === KEYS.length);
});

test.after.always(async () => {
  for (const { server, dataDir } of servers.values()) {
    await server.stop();
    removeDir(dataDir);
  }
  removeDir(dir);
});

test.beforeEach(() => {
  layout.set(0, { active: 'A', standbys: ['C'] });
  layout.set(1, { active: 'B', standbys: ['C'] });
});

test.serial('the test keys fall in both partitions, and every server runs the same query', (t) => {
  t.true(keysIn(0).length > 0 && keysIn(1).length > 0);
  t.regex(queryId, /^CTAS_T_/);
});

test.serial('a lookup of a key another server holds returns that server\'s row, asked with the caller\'s credentials', async (t) => {
  const [remote] = keysIn(1);
  const [local] = keysIn(0);
  t.deepEqual((await pull('A', `SELECT * FROM T WHERE ID = ${remote};`)).rows, [[remote, 'from-B']]);
  t.deepEqual((await pull('A', `SELECT * FROM T WHERE ID = ${local};`)).rows, [[local, 'from-A']]);
  // Both keys at once: each partition where it lives.
  const both = await pull('A', `SELECT V FROM T WHERE ID IN (${remote}, ${local});`);
  t.deepEqual(both.rows, [['from-A'], ['from-B']]);
});

test.serial('a scan reads every partition from its owner and merges them in partition order, behind ORDER BY and LIMIT', async (t) => {
  const all = await pull('A', 'SELECT ID, V FROM T;');
  t.deepEqual(all.rows.map((r) => r[1]), [...keysIn(0).map(() => 'from-A'), ...keysIn(1).map(() => 'from-B')]);
  t.deepEqual(all.rows.map((r) => r[0]).sort(), [...KEYS].sort());
  const top = await pull('C', 'SELECT ID, V FROM T ORDER BY ID DESC LIMIT 3;');
  t.deepEqual(top.rows, [8, 7, 6].map((k) => [k, partitionOf(k) === 0 ? 'from-A' : 'from-B']));
  const limited = await pull('C', 'SELECT ID FROM T LIMIT 2;');
  t.is(limited.rows.length, 2);
});

test.serial('an unreachable active server: a standby answers when standby reads are on, else the query fails clearly', async (t) => {
  layout.set(1, { active: 'D', standbys: ['C'] });
  const [key] = keysIn(1);
  const refused = await pull('A', `SELECT * FROM T WHERE ID = ${key};`);
  t.is(refused.status, 500);
  t.regex(refused.message!, /^Unable to execute pull query: Exhausted standby hosts to try\. Partition 1: Forwarding pull query request to 127\.0\.0\.1:\d+ failed/);
  const standby = await pull('A', `SELECT * FROM T WHERE ID = ${key};`, { 'ksql.query.pull.enable.standby.reads': true });
  t.deepEqual(standby.rows, [[key, 'from-C']]);
});

test.serial('a standby whose reported lag exceeds ksql.query.pull.max.allowed.offset.lag is not read', async (t) => {
  const store = `_confluent-ksql-default_query_${queryId}#Aggregate-Materialize`;
  const c = `127.0.0.1:${ports.get('C')}`;
  layout.set(1, { active: 'D', standbys: ['C'] });
  reportedLags.set('C', { [store]: { lagByPartition: { '1': { currentOffsetPosition: 2, endOffsetPosition: 7, offsetLag: 5 } }, size: 1 } });
  try {
    await eventually('A has C\'s lag', async () => (await clusterStatus('A'))[c]?.hostStoreLags.stateStoreLags[store]?.lagByPartition['1']?.offsetLag === 5);
    const [key] = keysIn(1);
    const sql = `SELECT * FROM T WHERE ID = ${key};`;
    const within = await pull('A', sql, { 'ksql.query.pull.enable.standby.reads': true, 'ksql.query.pull.max.allowed.offset.lag': 5 });
    t.deepEqual(within.rows, [[key, 'from-C']]);
    const beyond = await pull('A', sql, { 'ksql.query.pull.enable.standby.reads': true, 'ksql.query.pull.max.allowed.offset.lag': 4 });
    t.is(beyond.status, 500);
    t.regex(beyond.message!, /^Unable to execute pull query: Exhausted standby hosts to try\. Partition 1: Forwarding pull query request to 127\.0\.0\.1:\d+ failed/);
  } finally {
    reportedLags.delete('C');
  }
});

test.serial('a forwarded request is answered from the server\'s own stores, never forwarded again; a server that does not hold the partition refuses it', async (t) => {
  // B's view says A holds partition 0 and B a standby of it; asked as a server asks, B reads its own.
  layout.set(0, { active: 'A', standbys: ['B'] });
  const rows = await internalRows('B', '0');
  t.deepEqual(rows.map((r) => r[1]), keysIn(0).map(() => 'from-B'));
  // C holds it neither way (it moved, say): a server error, so the server asking tries the partition's next host.
  const error = await t.throwsAsync(internalRows('C', '0'));
  t.regex(error!.message, /internal request to C: 500 .*Partition 0 of query CTAS_T_0 is not available on 127\.0\.0\.1:\d+/);
});

test.serial('the owner checks the credentials of the caller: a forward without them would be refused', async (t) => {
  const res = await fetch(url('B', '/query'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: 'SELECT * FROM T;', requestProperties: { 'request.ksql.internal.request': true, 'request.ksql.query.pull.partition': '1' } }),
  });
  t.is(res.status, 401);
});

test.serial('lag reports of the other servers\' stores appear per store and partition in /clusterStatus', async (t) => {
  const store = `_confluent-ksql-default_query_${queryId}#Aggregate-Materialize`;
  await eventually('A has B\'s lags', async () => (await clusterStatus('A'))[`127.0.0.1:${ports.get('B')}`]?.hostStoreLags.stateStoreLags[store] !== undefined);
  const status = await clusterStatus('A');
  const b = status[`127.0.0.1:${ports.get('B')}`];
  t.true(b.hostAlive);
  t.is(b.hostStoreLags.stateStoreLags[store].size, 2);
  t.deepEqual(Object.keys(b.hostStoreLags.stateStoreLags[store].lagByPartition).sort(), ['0', '1']);
  for (const lag of Object.values<any>(b.hostStoreLags.stateStoreLags[store].lagByPartition)) {
    t.is(lag.offsetLag, lag.endOffsetPosition - lag.currentOffsetPosition);
  }
  t.true(b.hostStoreLags.updateTimeMs > 0);
  const self = status[`127.0.0.1:${ports.get('A')}`];
  t.deepEqual(self.activeStandbyPerQuery[queryId].activePartitions, [{ topic: 's', partition: 0 }, { topic: 's', partition: 1 }]);
});

test.serial('heartbeats mark a stopped server dead, so pull queries skip it, and alive again when it returns', async (t) => {
  layout.set(1, { active: 'C', standbys: ['B'] });
  const [key] = keysIn(1);
  const c = `127.0.0.1:${ports.get('C')}`;
  await eventually('A sees C alive', async () => (await clusterStatus('A'))[c]?.hostAlive === true);
  const { server, dataDir } = servers.get('C')!;
  await server.stop();
  servers.delete('C');
  await eventually('A marks C dead', async () => (await clusterStatus('A'))[c].hostAlive === false);
  t.deepEqual((await clusterStatus('A'))[c].hostStoreLags, { stateStoreLags: {}, updateTimeMs: 0 });
  const refused = await pull('A', `SELECT * FROM T WHERE ID = ${key};`);
  t.is(refused.message, `Unable to execute pull query. [Partition 1 failed to find valid host. Hosts scanned: [${c}, 127.0.0.1:${ports.get('B')}]]`);
  t.deepEqual((await pull('A', `SELECT * FROM T WHERE ID = ${key};`, { 'ksql.query.pull.enable.standby.reads': true })).rows, [[key, 'from-B']]);
  await start('C', dataDir);
  await eventually('A sees C alive again', async () => (await clusterStatus('A'))[c].hostAlive === true);
  t.deepEqual((await pull('A', `SELECT * FROM T WHERE ID = ${key};`)).rows, [[key, 'from-C']]);
});
