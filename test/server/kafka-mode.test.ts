/**
 * A ksqlite server running on a Kafka cluster (`--kafka-bootstrap`), end to
 * end: the cluster is ksqlite's own Kafka listener in a separate process (or
 * the Kafka of KSQLITE_TEST_KAFKA), the server another process. Sources,
 * sinks and the command topic are the cluster's; a kafkajs read_committed
 * consumer reads the sinks there. Killed with SIGKILL during inserts and
 * started again on an empty data directory, the server gets its metastore
 * back from the command topic and its state from the changelogs: nothing
 * acknowledged is lost, nothing is output twice, and the counts equal a
 * recomputation from the source topic.
 */
import test from 'ava';
import { activePartitions, eventually, kafkaClient, ksql, ksqlOrThrow, OrderInserts, pull, queryStates, readCommitted, uniqueServiceId, useKafkaModeCluster } from '../helpers/kafka-mode.js';
import { checkCounts, startServersCounting } from '../helpers/kafka-mode-counts.js';
import { freePort, type ServerProcess } from '../helpers/server-process.js';
import { uniqueName } from '../broker/kafka/kafka-target.js';

const cluster = useKafkaModeCluster(test, 'ksqlite-kafka-mode-');

test.serial('a server on a Kafka cluster: topics, queries and command topic on the cluster; after a SIGKILL during inserts and a restart on an empty data dir nothing is lost or doubled', async (t) => {
  const serviceId = uniqueServiceId('kafkamode');
  const topics = { input: uniqueName('orders'), filtered: uniqueName('big-orders'), counts: uniqueName('order-counts') };
  const properties = { 'ksql.service.id': serviceId };
  let server = await cluster.startServer('first', properties);
  const admin = kafkaClient(cluster.bootstrap).admin();
  await admin.connect();
  try {
    await ksqlOrThrow(server, `CREATE STREAM ORDERS (CUSTOMER STRING KEY, ID INT, AMOUNT INT) WITH (KAFKA_TOPIC='${topics.input}', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topics.input] })).topics;
    t.is(metadata?.partitions.length, 2, 'CREATE STREAM made the topic on the cluster');
    const clusterTopics = await admin.listTopics();
    t.true(clusterTopics.includes(`_confluent-ksql-${serviceId}_command_topic`), 'the command topic is on the cluster');
    t.true(clusterTopics.includes(`${serviceId}ksql_processing_log`), 'the processing log is on the cluster');
    await ksqlOrThrow(server, `CREATE STREAM BIG_ORDERS WITH (KAFKA_TOPIC='${topics.filtered}') AS SELECT CUSTOMER, ID, AMOUNT FROM ORDERS WHERE AMOUNT >= 50;`);
    await ksqlOrThrow(server, `CREATE TABLE ORDER_COUNTS WITH (KAFKA_TOPIC='${topics.counts}') AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS GROUP BY CUSTOMER;`);

    // Inserts one at a time, acknowledged or not, while the kill lands among them.
    const orders = new OrderInserts();
    const { acknowledged } = orders;
    const killAfter = await orders.killDuringInserts(server);
    t.true(acknowledged.size >= killAfter, 'the inserts before the kill were acknowledged');

    // An empty data directory: the metastore comes from the command topic, the state from the changelogs.
    server = await cluster.startServer('second', properties);
    const streams = (await ksqlOrThrow(server, 'SHOW STREAMS;'))[0].streams.map((s: { name: string }) => s.name).sort();
    t.deepEqual(streams, ['BIG_ORDERS', 'ORDERS']);
    const queries = (await ksqlOrThrow(server, 'SHOW QUERIES;'))[0].queries.map((q: { id: string }) => q.id).sort();
    t.deepEqual(queries, ['CSAS_BIG_ORDERS_0', 'CTAS_ORDER_COUNTS_1']);
    for (let i = 0; i < 30; i++) t.true(await orders.insert(server), 'an insert after the restart is acknowledged');

    // The source topic as committed on the cluster is the truth the outputs must match.
    const input = await readCommitted(cluster.bootstrap, topics.input, (records) => records.length >= acknowledged.size);
    const ids = input.map(([, value]) => (JSON.parse(value!) as { ID: number }).ID);
    t.is(new Set(ids).size, ids.length, 'no input was written twice');
    for (const id of acknowledged) t.true(ids.includes(id), `acknowledged input ${id} is on the source topic`);
    const rows = input.map(([customer, value]) => ({ customer, ...(JSON.parse(value!) as { ID: number; AMOUNT: number }) }));
    const bigIds = rows.filter((r) => r.AMOUNT >= 50).map((r) => r.ID).sort((a, b) => a - b);
    const expectedCounts = new Map<string, number>();
    for (const r of rows) expectedCounts.set(r.customer, (expectedCounts.get(r.customer) ?? 0) + 1);

    const filtered = await readCommitted(cluster.bootstrap, topics.filtered, (records) => records.length >= bigIds.length);
    t.deepEqual(filtered.map(([, value]) => (JSON.parse(value!) as { ID: number }).ID).sort((a, b) => a - b), bigIds, 'the CSAS output each input once');

    await checkCounts(t, cluster.bootstrap, topics.counts, expectedCounts);

    const answered = await eventually(async () => {
      const pulled = await pull(server, 'SELECT CUSTOMER, N FROM ORDER_COUNTS;');
      const asMap = new Map((pulled ?? []).map(([customer, n]) => [String(customer), Number(n)]));
      return [...expectedCounts].every(([customer, n]) => asMap.get(customer) === n) ? asMap : undefined;
    });
    const sorted = (counts: ReadonlyMap<string, number> | undefined): [string, number][] => [...(counts ?? [])].sort(([a], [b]) => a.localeCompare(b));
    t.deepEqual(sorted(answered), sorted(expectedCounts), 'pull queries answer the recomputed counts');
  } finally {
    await admin.disconnect();
    await server.stop('SIGTERM');
  }
});

test.serial('on a Kafka cluster a push query from the latest offset sees the rows inserted after it started, and a pull scan of a stream ends with its rows', async (t) => {
  const server = await cluster.startServer('transient', { 'ksql.service.id': uniqueServiceId('transient') });
  try {
    await ksqlOrThrow(server, `CREATE STREAM EVENTS (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='${uniqueName('events')}', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(server, "INSERT INTO EVENTS (ID, V) VALUES (1, 'before');");
    const push = fetch(`${server.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql: 'SELECT ID, V FROM EVENTS EMIT CHANGES LIMIT 2;', streamsProperties: { 'auto.offset.reset': 'latest' } }),
    }).then(async (res) => ((await res.json()) as { row?: { columns: unknown[] } }[]).filter((l) => l.row !== undefined).map((l) => l.row!.columns));
    // The push query has found where it starts once a row inserted now reaches it; insert until two have.
    let id = 2;
    const inserting = setInterval(() => void ksql(server, `INSERT INTO EVENTS (ID, V) VALUES (${id++}, 'after');`), 300);
    let pushed: unknown[][];
    try {
      pushed = await push;
    } finally {
      clearInterval(inserting);
    }
    t.is(pushed.length, 2);
    t.true(pushed.every(([, v]) => v === 'after'), 'the push query started at the latest offset');
    const scanned = await pull(server, 'SELECT ID, V FROM EVENTS;');
    t.true(scanned !== undefined && scanned.some(([key, v]) => key === 1 && v === 'before') && scanned.length >= 3, JSON.stringify(scanned));
  } finally {
    await server.stop('SIGTERM');
  }
});

test.serial('two servers of one service id share the command topic: each applies the statements the other ran, before and after it started', async (t) => {
  const properties = { 'ksql.service.id': uniqueServiceId('shared') };
  const names = (body: any): string[] => body[0].streams.map((s: { name: string }) => s.name).sort();
  const first = await cluster.startServer('shared-first', properties);
  let second: ServerProcess | undefined;
  try {
    await ksqlOrThrow(first, `CREATE STREAM EARLY (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='${uniqueName('early')}', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    second = await cluster.startServer('shared-second', properties);
    t.deepEqual(names(await ksqlOrThrow(second, 'SHOW STREAMS;')), ['EARLY'], 'the second server replayed what the first wrote');
    await ksqlOrThrow(second, `CREATE STREAM LATER (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='${uniqueName('later')}', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    const seen = await eventually(async () => {
      const streams = names(await ksqlOrThrow(first, 'SHOW STREAMS;'));
      return streams.length === 2 ? streams : undefined;
    }, 20_000);
    t.deepEqual(seen, ['EARLY', 'LATER'], 'the first server applied what the second wrote while it ran');
    t.deepEqual(names(await ksqlOrThrow(second, 'SHOW STREAMS;')), ['EARLY', 'LATER']);
  } finally {
    await second?.stop('SIGTERM');
    await first.stop('SIGTERM');
  }
});

test.serial('a server running a query another server of its service id created sees the topics that server made: the query runs there at once, not in ERROR', async (t) => {
  const properties = { 'ksql.service.id': uniqueServiceId('seen'), 'ksql.streams.session.timeout.ms': '6000', 'ksql.streams.heartbeat.interval.ms': '500' };
  const [first, second] = await Promise.all([cluster.startServer('seen-first', properties), cluster.startServer('seen-second', properties)]);
  try {
    const topic = uniqueName('seen-orders');
    // Both servers run before the topic exists; only the first is asked anything.
    await ksqlOrThrow(first, `CREATE STREAM ORDERS (CUSTOMER STRING KEY, ID INT) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(first, `CREATE TABLE ORDER_COUNTS WITH (KAFKA_TOPIC='${uniqueName('seen-counts')}') AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS GROUP BY CUSTOMER;`);
    const queryId = 'CTAS_ORDER_COUNTS_0';
    const states = await eventually(async () => {
      const listed = (await queryStates(second))[queryId];
      return listed === undefined ? undefined : listed;
    }, 20_000);
    t.deepEqual(states, ['RUNNING'], 'the second server started the query it read from the command topic');
    const spread = await eventually(async () => {
      const held = [await activePartitions(first, queryId, topic), await activePartitions(second, queryId, topic)];
      return held.every((partitions) => partitions.length === 1) ? held : undefined;
    });
    t.truthy(spread, 'the group gave each server one of the two tasks');
  } finally {
    await Promise.all([first.stop('SIGTERM'), second.stop('SIGTERM')]);
  }
});

test.serial('two servers of one service id split a query\'s tasks through its group; after one is killed the other takes its tasks, restores their state, and nothing is lost or doubled', async (t) => {
  const serviceId = uniqueServiceId('spread');
  const topics = { input: uniqueName('spread-orders'), counts: uniqueName('spread-counts') };
  // A short session, so the survivor takes the killed server's tasks within seconds.
  const properties = { 'ksql.service.id': serviceId, 'ksql.streams.session.timeout.ms': '6000', 'ksql.streams.heartbeat.interval.ms': '500' };
  const counts = { input: topics.input, table: 'ORDER_COUNTS', countsTopic: topics.counts };
  const [first, killed] = await startServersCounting(cluster, ['spread-first', 'spread-second'], properties, counts);
  let second: ServerProcess | undefined = killed;
  try {
    const queryId = 'CTAS_ORDER_COUNTS_0';

    const customers = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const acknowledged = new Set<number>();
    let nextId = 0;
    let insertingOn = true;
    const inserting = (async () => {
      while (insertingOn) {
        const id = nextId++;
        const answer = await ksql(first, `INSERT INTO ORDERS (CUSTOMER, ID) VALUES ('${customers[id % customers.length]}', ${id});`);
        if (answer.status === 200) acknowledged.add(id);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      // The group spreads the four tasks over both servers, each task on one.
      const split = await eventually(async () => {
        const [a, b] = [await activePartitions(first, queryId, topics.input), await activePartitions(killed, queryId, topics.input)];
        return a.length > 0 && b.length > 0 && a.length + b.length === 4 ? [a, b] : undefined;
      });
      t.truthy(split, 'both servers run some of the tasks');
      const [onFirst, onSecond] = split ?? [[], []];
      t.deepEqual([...onFirst, ...onSecond].sort(), [0, 1, 2, 3], 'each task runs on exactly one server');
      while (acknowledged.size < 40) await new Promise((r) => setTimeout(r, 50));
      t.deepEqual((await queryStates(first))[queryId], ['RUNNING']);
      t.deepEqual((await queryStates(killed))[queryId], ['RUNNING']);

      await killed.stop('SIGKILL');
      second = undefined;
      const taken = await eventually(async () => {
        const partitions = await activePartitions(first, queryId, topics.input);
        return partitions.length === 4 ? partitions : undefined;
      });
      t.deepEqual(taken, [0, 1, 2, 3], 'the survivor took the killed server\'s tasks');
      const after = acknowledged.size;
      while (acknowledged.size < after + 20) await new Promise((r) => setTimeout(r, 50));
    } finally {
      insertingOn = false;
      await inserting;
    }
    t.deepEqual((await queryStates(first))[queryId], ['RUNNING'], 'the query never went to ERROR');

    const input = await readCommitted(cluster.bootstrap, topics.input, (records) => records.length >= acknowledged.size);
    const expected = new Map<string, number>();
    for (const [customer] of input) expected.set(customer, (expected.get(customer) ?? 0) + 1);
    for (const id of acknowledged) t.true(input.some(([, value]) => (JSON.parse(value!) as { ID: number }).ID === id), `acknowledged input ${id} is on the source topic`);
    await checkCounts(t, cluster.bootstrap, topics.counts, expected);
  } finally {
    await second?.stop('SIGKILL');
    await first.stop('SIGTERM');
  }
});

test.serial('a server whose Kafka cluster cannot be reached does not start: exit code 1 and a line naming the cluster', async (t) => {
  const bootstrap = `127.0.0.1:${await freePort()}`;
  const settings = { retries: '1', 'retry.backoff.ms': '50', 'request.timeout.ms': '1000', 'socket.connection.setup.timeout.ms': '1000' };
  const error = await t.throwsAsync(cluster.startServer('unreachable', settings, bootstrap));
  t.regex(error!.message, /exited while starting \(code 1,/);
  t.regex(error!.message, new RegExp(`cannot start: Cannot connect to the Kafka cluster at ${bootstrap.replace(/\./g, '\\.')}`));
});

test.serial('a bad Kafka client setting is a mistake in the settings: exit code 2 and a line naming it, before any connection', async (t) => {
  const error = await t.throwsAsync(cluster.startServer('bad-setting', { 'security.protocol': 'PLAINTEXTISH' }, '127.0.0.1:1'));
  t.regex(error!.message, /exited while starting \(code 2,/);
  t.regex(error!.message, /Invalid value 'PLAINTEXTISH' for Kafka client setting 'security\.protocol'/);
});
