/**
 * A server on a Kafka cluster reads only the cluster, never its own embedded
 * log: a pull query over a source table scans the table's topic on the
 * cluster, and a stream-stream join keeps one changelog per window store (in
 * Kafka Streams' name and layout) that a server on an empty data directory
 * restores the join from. And a server never shares the command topic of
 * the ksqlite server whose Kafka listener it runs on: that server's internal
 * topics are not writable through its listener, and a server with its
 * service id stops at start saying so. The cluster is ksqlite's own Kafka
 * listener in a separate process (or the Kafka of KSQLITE_TEST_KAFKA).
 */
import test from 'ava';
import { kafkaClient, ksqlOrThrow, query, readCommitted, uniqueServiceId, useKafkaModeCluster } from '../helpers/kafka-mode.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { EXTERNAL_KAFKA, startKafkaTarget, uniqueName } from '../broker/kafka/kafka-target.js';

const cluster = useKafkaModeCluster(test, 'ksqlite-kafka-reads-');

/** The rows of a pull query, sorted; throws with the answer when the server refused it. */
async function pull(server: ServerProcess, sql: string): Promise<unknown[][]> {
  const answer = await query(server, sql);
  if ('error' in answer) throw new Error(`${sql} failed: ${answer.error}`);
  return answer.rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const kafka = (bootstrap = cluster.bootstrap) => kafkaClient(bootstrap, { clientId: 'kafka-reads-test', retries: 2 });

test.serial('on a Kafka cluster a pull query over a source table answers the rows of its topic there, and again after a restart on an empty data dir', async (t) => {
  const serviceId = uniqueServiceId('sourcetable');
  const topic = uniqueName('users');
  let server = await cluster.startServer('source-first', { 'ksql.service.id': serviceId });
  const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await ksqlOrThrow(server, `CREATE SOURCE TABLE USERS (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    const row = (id: string, name: string | null) => ({ key: id, value: name === null ? null : JSON.stringify({ NAME: name }) });
    await producer.send({ topic, acks: -1, messages: [row('u1', 'ann'), row('u2', 'bob'), row('u3', 'cy'), row('u2', null), row('u1', 'anne')] });
    const expected = [['u1', 'anne'], ['u3', 'cy']];
    t.deepEqual(await pull(server, 'SELECT ID, NAME FROM USERS;'), expected, 'a scan answers the latest row of each key, without deleted keys');
    t.deepEqual(await pull(server, "SELECT ID, NAME FROM USERS WHERE ID = 'u3';"), [['u3', 'cy']], 'a key lookup answers its row');

    await server.stop('SIGKILL');
    server = await cluster.startServer('source-second', { 'ksql.service.id': serviceId });
    t.deepEqual(await pull(server, 'SELECT ID, NAME FROM USERS;'), expected, 'a server on an empty data dir answers the same rows');
  } finally {
    await producer.disconnect();
    await server.stop('SIGTERM');
  }
});

test.serial('on a Kafka cluster each window store of a stream-stream join has one changelog, Kafka Streams\'; a restart on an empty data dir restores the join from it', async (t) => {
  const serviceId = uniqueServiceId('joinlog');
  const topics = { left: uniqueName('clicks'), right: uniqueName('views'), joined: uniqueName('joined') };
  // A short session, so the server after the kill takes the killed one's tasks within seconds.
  const properties = { 'ksql.service.id': serviceId, 'ksql.streams.session.timeout.ms': '6000', 'ksql.streams.heartbeat.interval.ms': '500' };
  let server = await cluster.startServer('join-first', properties);
  const admin = kafka().admin();
  await admin.connect();
  try {
    await ksqlOrThrow(server, `CREATE STREAM L (ID STRING KEY, A INT) WITH (KAFKA_TOPIC='${topics.left}', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(server, `CREATE STREAM R (ID STRING KEY, B INT) WITH (KAFKA_TOPIC='${topics.right}', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(server, `CREATE STREAM J WITH (KAFKA_TOPIC='${topics.joined}') AS SELECT L.ID AS ID, A, B FROM L JOIN R WITHIN 1 HOUR ON L.ID = R.ID;`);
    await ksqlOrThrow(server, "INSERT INTO L (ID, A) VALUES ('k1', 1);");
    await ksqlOrThrow(server, "INSERT INTO R (ID, B) VALUES ('k1', 10);");
    await ksqlOrThrow(server, "INSERT INTO L (ID, A) VALUES ('k2', 2);");
    await ksqlOrThrow(server, "INSERT INTO L (ID, A) VALUES ('k1', 5);");
    // Its output tells that the task committed every record before it (one partition).
    const before = await readCommitted(cluster.bootstrap, topics.joined, (records) => records.length >= 2);
    t.is(before.length, 2, JSON.stringify(before));

    const prefix = `_confluent-ksql-${serviceId}query_CSAS_J_0-`;
    const changelogs = (await admin.listTopics()).filter((name) => name.startsWith(prefix) && name.endsWith('-changelog')).map((name) => name.slice(prefix.length));
    const joinChangelogs = changelogs.filter((name) => /Join|JOIN/.test(name)).sort();
    t.is(joinChangelogs.length, 2, `one changelog per join window store: ${changelogs.join(', ')}`);
    t.regex(joinChangelogs[0] ?? '', /^KSTREAM-JOINOTHER-\d{10}-store-changelog$/);
    t.regex(joinChangelogs[1] ?? '', /^KSTREAM-JOINTHIS-\d{10}-store-changelog$/);

    await server.stop('SIGKILL');
    server = await cluster.startServer('join-second', properties);
    await ksqlOrThrow(server, "INSERT INTO R (ID, B) VALUES ('k2', 20);");
    const after = await readCommitted(cluster.bootstrap, topics.joined, (records) => records.length >= 3);
    const values = after.map(([key, value]) => [key, JSON.parse(value!) as { A: number; B: number }]).map(([key, v]) => [key, (v as { A: number }).A, (v as { B: number }).B]);
    t.deepEqual(values, [['k1', 1, 10], ['k1', 5, 10], ['k2', 2, 20]], 'the restored left store joined the right record after the restart, nothing twice');
  } finally {
    await admin.disconnect();
    await server.stop('SIGTERM');
  }
});

test.serial('a ksqlite server\'s internal topics are not writable through its Kafka listener, and a server of the same service id on that listener stops at start saying why', async (t) => {
  if (EXTERNAL_KAFKA !== undefined) {
    t.pass('an external cluster is no ksqlite server');
    return;
  }
  const serviceId = uniqueServiceId('owner');
  const owner = await startKafkaTarget({ 'ksql.service.id': serviceId });
  const commandTopic = `_confluent-ksql-${serviceId}_command_topic`;
  const producer = kafka(owner.bootstrap).producer({ retry: { retries: 0 } });
  try {
    await producer.connect();
    const refused = await t.throwsAsync(producer.send({ topic: commandTopic, acks: -1, messages: [{ key: null, value: '{}' }] }));
    t.regex(JSON.stringify(refused, Object.getOwnPropertyNames(refused)) + String(refused), /TOPIC_AUTHORIZATION_FAILED|Not authorized to access topics/);

    const error = await t.throwsAsync(cluster.startServer('same-service-id', { 'ksql.service.id': serviceId }, owner.bootstrap));
    t.regex(error!.message, /exited while starting \(code 1,/);
    t.regex(error!.message, new RegExp(`cannot write to its command topic '${commandTopic}'`));
    t.regex(error!.message, new RegExp(`ksql\\.service\\.id '${serviceId}'`));
    t.regex(error!.message, /Give this server a ksql\.service\.id of its own/);

    // Another service id shares the cluster without trouble.
    const other = await cluster.startServer('other-service-id', { 'ksql.service.id': `${serviceId}other_` }, owner.bootstrap);
    await ksqlOrThrow(other, `CREATE STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='${uniqueName('other')}', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    await other.stop('SIGTERM');
  } finally {
    await producer.disconnect();
    await owner.stop();
  }
});
