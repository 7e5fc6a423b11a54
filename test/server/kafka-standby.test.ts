/**
 * Standby replicas and graceful stops of servers on a Kafka cluster, end to
 * end, as kafka-mode.test.ts runs them: the cluster is ksqlite's own Kafka
 * listener in a separate process (or the Kafka of KSQLITE_TEST_KAFKA), each
 * server another process; /metrics tells where the standby stores stand and
 * what the restores read, the groups' committed offsets are read with kafkajs.
 */
import test from 'ava';
import { activePartitions, eventually, kafkaClient, ksqlOrThrow, readCommitted, uniqueServiceId, useKafkaModeCluster } from '../helpers/kafka-mode.js';
import { checkCounts, startServersCounting } from '../helpers/kafka-mode-counts.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { uniqueName } from '../broker/kafka/kafka-target.js';

const cluster = useKafkaModeCluster(test, 'ksqlite-kafka-standby-');

const kafka = () => kafkaClient(cluster.bootstrap, { clientId: 'kafka-standby-test' });

/** The samples of one metric of `server` for `queryId`, as [labels, value]. */
async function metric(server: ServerProcess, name: string, queryId: string): Promise<[string, number][]> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text.split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(`query_id="${queryId}"`))
    .map((line) => {
      const at = line.lastIndexOf(' ');
      return [line.slice(name.length, at), Number(line.slice(at + 1))];
    });
}

const sum = (samples: readonly [string, number][]): number => samples.reduce((total, [, value]) => total + value, 0);

test.serial('with num.standby.replicas=1 each server keeps the other\'s stores caught up; after a SIGKILL the survivor restores only the tail, and nothing is lost or doubled', async (t) => {
  const serviceId = uniqueServiceId('standby');
  const topics = { input: uniqueName('standby-orders'), counts: uniqueName('standby-counts') };
  const properties = {
    'ksql.service.id': serviceId, 'ksql.streams.num.standby.replicas': '1',
    'ksql.streams.session.timeout.ms': '6000', 'ksql.streams.heartbeat.interval.ms': '500',
  };
  const counts = { input: topics.input, partitions: 2, table: 'ORDER_COUNTS', countsTopic: topics.counts };
  const [survivor, other] = await startServersCounting(cluster, ['standby-first', 'standby-second'], properties, counts);
  let killed: ServerProcess | undefined = other;
  try {
    const queryId = 'CTAS_ORDER_COUNTS_0';
    const split = await eventually(async () => {
      const [a, b] = [await activePartitions(survivor, queryId, topics.input), await activePartitions(other, queryId, topics.input)];
      const standbys = [await metric(survivor, 'ksqlite_standby_store_offset_lag', queryId), await metric(other, 'ksqlite_standby_store_offset_lag', queryId)];
      return a.length === 1 && b.length === 1 && standbys.every((s) => s.length > 0) ? [a, b] : undefined;
    });
    t.truthy(split, 'each server runs one task actively and the other\'s as a standby');

    const customers = Array.from({ length: 8 }, (_, i) => `c${i}`);
    for (let id = 0; id < 60; id++) await ksqlOrThrow(survivor, `INSERT INTO ORDERS (CUSTOMER, ID) VALUES ('${customers[id % customers.length]}', ${id});`);
    // Once the inserts stop, the survivor's standby stores reach their changelogs' end.
    const caughtUp = await eventually(async () => {
      const lags = await metric(survivor, 'ksqlite_standby_store_offset_lag', queryId);
      const positions = await metric(survivor, 'ksqlite_standby_store_offset_position', queryId);
      return lags.length > 0 && lags.every(([, lag]) => lag === 0) && sum(positions) > 0 ? positions : undefined;
    });
    t.truthy(caughtUp, 'the standby stores followed their changelogs to the end');
    const restoresBefore = sum(await metric(survivor, 'ksqlite_state_store_restores_total', queryId));
    const recordsBefore = sum(await metric(survivor, 'ksqlite_state_store_restored_records_total', queryId));

    await other.stop('SIGKILL');
    killed = undefined;
    const taken = await eventually(async () => {
      const partitions = await activePartitions(survivor, queryId, topics.input);
      const restores = sum(await metric(survivor, 'ksqlite_state_store_restores_total', queryId));
      return partitions.length === 2 && restores > restoresBefore ? partitions : undefined;
    });
    t.deepEqual(taken, [0, 1], 'the survivor runs both tasks, the one it kept a standby of restored');
    t.deepEqual(await metric(survivor, 'ksqlite_standby_store_offset_lag', queryId), [], 'its standby became the active task');
    const tailRecords = sum(await metric(survivor, 'ksqlite_state_store_restored_records_total', queryId)) - recordsBefore;
    t.is(tailRecords, 0, 'the promoted task restored only the tail: the standby had read everything');

    for (let id = 60; id < 80; id++) await ksqlOrThrow(survivor, `INSERT INTO ORDERS (CUSTOMER, ID) VALUES ('${customers[id % customers.length]}', ${id});`);
    const input = await readCommitted(cluster.bootstrap, topics.input, (records) => records.length >= 80);
    t.is(input.length, 80);
    const expected = new Map<string, number>();
    for (const [customer] of input) expected.set(customer, (expected.get(customer) ?? 0) + 1);
    await checkCounts(t, cluster.bootstrap, topics.counts, expected);
  } finally {
    await killed?.stop('SIGKILL');
    await survivor.stop('SIGTERM');
  }
});

/** Records waiting for the query when it starts: enough that the stop lands while the tasks still work through them. */
const BACKLOG = 50_000;

test.serial('a server stopped with SIGTERM while its tasks work through a backlog commits what they processed before it leaves the group', async (t) => {
  const serviceId = uniqueServiceId('graceful');
  const input = uniqueName('graceful-orders');
  const admin = kafka().admin();
  const producer = kafka().producer();
  await admin.connect();
  await producer.connect();
  try {
    await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }] });
    const messages = Array.from({ length: BACKLOG }, (_, i) => ({ key: `c${i % 50}`, value: JSON.stringify({ ID: i }) }));
    for (let i = 0; i < messages.length; i += 5000) await producer.send({ topic: input, messages: messages.slice(i, i + 5000) });
    const server = await cluster.startServer('graceful', { 'ksql.service.id': serviceId });
    let stopped = false;
    try {
      await ksqlOrThrow(server, `CREATE STREAM ORDERS (CUSTOMER STRING KEY, ID INT) WITH (KAFKA_TOPIC='${input}', VALUE_FORMAT='JSON');`);
      await ksqlOrThrow(server, 'CREATE TABLE ORDER_COUNTS AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS GROUP BY CUSTOMER;');
      const queryId = 'CTAS_ORDER_COUNTS_0';
      // Stopped once the tasks have committed some of the backlog.
      await eventually(async () => (sum(await metric(server, 'ksqlite_query_records_consumed_total', queryId)) > 0 ? true : undefined));
      await server.stop('SIGTERM');
      stopped = true;
      const line = server.log().split('\n').map((text) => {
        try {
          return JSON.parse(text) as { msg?: string; queryId?: string; tasks?: { taskId: string; offsets: { topic: string; partition: number; offset: number }[] }[] };
        } catch {
          return {};
        }
      }).find((entry) => entry.msg === 'query tasks committed what they processed and closed before leaving the group' && entry.queryId === queryId);
      t.truthy(line, 'the stop committed the query\'s tasks');
      const processed = (line?.tasks ?? []).flatMap((task) => task.offsets).filter((o) => o.topic === input);
      t.deepEqual(processed.map((o) => o.partition).sort(), [0, 1]);
      t.true(processed.some((o) => o.offset > 0));
      t.log(`the tasks had processed ${processed.reduce((n, o) => n + o.offset, 0)} of ${BACKLOG} records`);
      const [committed] = await admin.fetchOffsets({ groupId: `_confluent-ksql-${serviceId}query_${queryId}`, topics: [input] });
      t.deepEqual(
        committed!.partitions.map((p) => [p.partition, Number(p.offset)]).sort(([a], [b]) => a! - b!),
        processed.map((o) => [o.partition, o.offset]).sort(([a], [b]) => a! - b!),
        'the group\'s committed offsets are where the tasks stopped',
      );
    } finally {
      if (!stopped) await server.stop('SIGTERM');
    }
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
});
