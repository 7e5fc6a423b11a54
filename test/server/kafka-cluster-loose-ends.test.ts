/**
 * Servers on a Kafka cluster (ksqlite's own Kafka listener in a separate
 * process, the servers more processes), where a single server's shortcuts
 * used to show: a push query over a join waits for the internal topics it
 * creates; a pull query over the WebSocket is routed across the servers as
 * /query's are; /healthcheck asks the cluster, not the local log; and a pull
 * query reads a standby's store when the active server of a key's partition
 * died and its group has not moved the task yet.
 */
import test from 'ava';
import WebSocket from 'ws';
import { clusterStatus, hostKey, LAG_REPORTING, ksqlOrThrow, query, settles, uniqueServiceId, useKafkaModeCluster, type QueryAnswer } from '../helpers/kafka-mode.js';
import { insertOrders, startServersCounting } from '../helpers/kafka-mode-counts.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { startKafkaTarget, uniqueName, EXTERNAL_KAFKA } from '../broker/kafka/kafka-target.js';

const cluster = useKafkaModeCluster(test, 'ksqlite-kafka-loose-ends-');

/** The rows of a query over the WebSocket, or how the socket closed when it failed. */
function wsQuery(server: ServerProcess, sql: string): Promise<QueryAnswer> {
  const request = encodeURIComponent(JSON.stringify({ ksql: sql, streamsProperties: {} }));
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/query?request=${request}`);
  const messages: string[] = [];
  ws.on('message', (m) => messages.push(String(m)));
  ws.on('error', () => {});
  return new Promise((resolve) => ws.once('close', (code, reason) => {
    if (code !== 1000) resolve({ error: `${code} ${String(reason)}` });
    else resolve({ rows: messages.slice(1).map((m) => (JSON.parse(m) as { row: { columns: unknown[] } }).row.columns) });
  }));
}

/** Whether `servers` split the four partitions of `input` between them (each running some), as each of them says. */
async function splitBetween(servers: readonly ServerProcess[], queryId: string, input: string): Promise<string | undefined> {
  for (const server of servers) {
    const status = await clusterStatus(server);
    const partitions = servers.map((s) => (status[hostKey(s)]?.activeStandbyPerQuery[queryId]?.activePartitions ?? [])
      .filter((p) => p.topic === input).map((p) => p.partition));
    if (partitions.some((p) => p.length === 0) || JSON.stringify(partitions.flat().sort()) !== '[0,1,2,3]') {
      return `${hostKey(server)} sees partitions ${JSON.stringify(partitions)}`;
    }
  }
  return undefined;
}

/** What is wrong with the answers to a pull by key for every customer, or undefined. */
async function wrongCounts(ask: (sql: string) => Promise<QueryAnswer>, expected: ReadonlyMap<string, number>): Promise<string | undefined> {
  const wrong: string[] = [];
  for (const [customer, n] of expected) {
    const answer = await ask(`SELECT CUSTOMER, N FROM COUNTS WHERE CUSTOMER = '${customer}';`);
    if ('error' in answer) wrong.push(`${customer}: ${answer.error}`);
    else if (JSON.stringify(answer.rows) !== JSON.stringify([[customer, n]])) wrong.push(`${customer}: ${JSON.stringify(answer.rows)}`);
  }
  return wrong.length === 0 ? undefined : wrong.join('; ');
}

test.serial('a push query over a stream-table join on a Kafka cluster waits for the internal topics it creates and returns the joined rows', async (t) => {
  const server = await cluster.startServer('push-join', { 'ksql.service.id': uniqueServiceId('pushjoin') });
  try {
    await ksqlOrThrow(server, `CREATE TABLE USERS (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='${uniqueName('users')}', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(server, `CREATE STREAM CLICKS (USER_ID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='${uniqueName('clicks')}', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(server, "INSERT INTO USERS (ID, NAME) VALUES ('u1', 'Ann');");
    await ksqlOrThrow(server, "INSERT INTO USERS (ID, NAME) VALUES ('u2', 'Bob');");
    // The table's rows are in before the clicks, by their timestamps as well.
    await new Promise((r) => setTimeout(r, 50));
    await ksqlOrThrow(server, "INSERT INTO CLICKS (USER_ID, PAGE) VALUES ('u1', 'home');");
    await ksqlOrThrow(server, "INSERT INTO CLICKS (USER_ID, PAGE) VALUES ('u2', 'cart');");
    const answer = await query(server, 'SELECT C.USER_ID, U.NAME, C.PAGE FROM CLICKS C JOIN USERS U ON C.USER_ID = U.ID EMIT CHANGES LIMIT 2;',
      { 'auto.offset.reset': 'earliest' });
    if ('error' in answer) t.fail(answer.error);
    else t.deepEqual(answer.rows.map((r) => JSON.stringify(r)).sort(), [['u1', 'Ann', 'home'], ['u2', 'Bob', 'cart']].map((r) => JSON.stringify(r)));
  } finally {
    await server.stop('SIGTERM');
  }
});

test.serial('a pull query over the WebSocket is routed to the server that runs the key\'s partition, as /query\'s are', async (t) => {
  const input = uniqueName('ws-orders');
  const properties = { 'ksql.service.id': uniqueServiceId('wspull'), 'ksql.streams.session.timeout.ms': '6000', 'ksql.streams.heartbeat.interval.ms': '500' };
  const servers = await startServersCounting(cluster, ['ws-first', 'ws-second'], properties, { input });
  const [first, second] = servers;
  try {
    const expected = await insertOrders(first, 8);
    t.is(await settles(() => splitBetween(servers, 'CTAS_COUNTS_0', input)), undefined, 'the servers split the tasks');
    for (const server of servers) t.is(await settles(() => wrongCounts((sql) => query(server, sql), expected)), undefined, `${hostKey(server)} answers every key on /query`);
    // Each server holds only some keys: every key answered on each means the others were forwarded.
    for (const server of servers) t.is(await wrongCounts((sql) => wsQuery(server, sql), expected), undefined, `${hostKey(server)} answers every key over the WebSocket`);
  } finally {
    await second.stop('SIGKILL');
    await first.stop('SIGTERM');
  }
});

test.serial('a pull query reads the survivor\'s standby store when the active server of the key\'s partition was killed, only with standby reads on', async (t) => {
  const input = uniqueName('standby-orders');
  const properties = {
    'ksql.service.id': uniqueServiceId('standbyreads'),
    'ksql.streams.num.standby.replicas': '1',
    // A long session: the group does not move the killed server's tasks while the test runs.
    'ksql.streams.session.timeout.ms': '120000',
    'ksql.streams.heartbeat.interval.ms': '1000',
    // The servers' lag reports ride on their heartbeats.
    ...LAG_REPORTING,
  };
  const servers = await startServersCounting(cluster, ['standby-first', 'standby-second'], properties, { input });
  const [first] = servers;
  let second: ServerProcess | undefined = servers[1];
  try {
    const expected = await insertOrders(first, 8);
    const queryId = 'CTAS_COUNTS_0';
    t.is(await settles(() => splitBetween(servers, queryId, input)), undefined, 'the servers split the tasks');
    t.is(await settles(() => wrongCounts((sql) => query(first, sql), expected)), undefined, 'every key is answered while both run');
    // Each server has committed what it processed, and the first server's standbys have read their changelogs
    // to the end: it holds every partition, none behind.
    t.is(await settles(async () => {
      const status = await clusterStatus(first);
      const held = status[hostKey(first)]!.activeStandbyPerQuery[queryId];
      const partitions = [...(held?.activePartitions ?? []), ...(held?.standByPartitions ?? [])].filter((p) => p.topic === input).map((p) => p.partition);
      if (JSON.stringify([...new Set(partitions)].sort()) !== '[0,1,2,3]') return `the first server holds ${JSON.stringify(partitions)}`;
      for (const server of servers) {
        const stores = Object.entries(status[hostKey(server)]!.hostStoreLags.stateStoreLags).filter(([name]) => name.includes(queryId));
        const lags = stores.flatMap(([, store]) => Object.entries(store.lagByPartition));
        const lagging = lags.some(([, lag]) => lag.offsetLag !== 0) || new Set(lags.map(([p]) => p)).size !== 4;
        if (lagging) return `${hostKey(server)}'s lags: ${JSON.stringify(Object.fromEntries(stores))}`;
      }
      return undefined;
    }), undefined, 'the first server holds every partition, every store caught up');

    await second.stop('SIGKILL');
    second = undefined;
    const failed = await query(first, 'SELECT CUSTOMER, N FROM COUNTS;');
    t.true('error' in failed, 'without standby reads, the killed server\'s partitions cannot be read');
    if ('error' in failed) t.regex(failed.error, /Unable to execute pull query/);
    t.is(await settles(() => wrongCounts((sql) => query(first, sql, { 'ksql.query.pull.enable.standby.reads': true }), expected), 30_000), undefined,
      'with standby reads, every key is answered, those of the killed server from the standby stores');
    const status = await clusterStatus(first);
    t.true(status[hostKey(servers[1]!)]!.activeStandbyPerQuery[queryId]!.activePartitions.length > 0, 'the group has not moved the killed server\'s tasks yet');
  } finally {
    await second?.stop('SIGKILL');
    await first.stop('SIGTERM');
  }
});

test.serial('on a Kafka cluster /healthcheck asks the cluster: with the cluster down it answers isHealthy false, kafka unhealthy (status 200, as ksqlDB\'s)', async (t) => {
  // A cluster of its own, to stop.
  if (EXTERNAL_KAFKA !== undefined) {
    t.pass('an external cluster is not stopped by the tests');
    return;
  }
  const own = await startKafkaTarget();
  const server = await cluster.startServer('health', { 'ksql.service.id': uniqueServiceId('health') }, own.bootstrap);
  try {
    const healthy = await fetch(`${server.url}/healthcheck`);
    t.is(healthy.status, 200);
    t.like(await healthy.json(), { isHealthy: true, details: { kafka: { isHealthy: true } } });
    await own.kill();
    const down = await fetch(`${server.url}/healthcheck`);
    const body = await down.json() as { isHealthy: boolean; details: { metastore: { isHealthy: boolean }; kafka: { isHealthy: boolean } } };
    t.is(down.status, 200);
    t.false(body.isHealthy);
    t.false(body.details.kafka.isHealthy);
    t.true(body.details.metastore.isHealthy);
  } finally {
    await server.stop('SIGKILL');
    await own.stop().catch(() => undefined);
  }
});
