/**
 * A server on a Kafka cluster with ksql.streams.processing.guarantee
 * at_least_once: its tasks produce their outputs and changelogs without
 * transactions, then commit the input offsets. Killed with SIGKILL during
 * inserts and started again on an empty data directory, nothing acknowledged
 * is lost: every acknowledged input is in the CSAS output at least once, and
 * each count reaches at least its recomputation (input whose offsets the kill
 * left uncommitted is processed again: duplicates are allowed). A guarantee
 * Kafka Streams does not know is refused.
 */
import test from 'ava';
import { kafkaClient, ksql, ksqlOrThrow, OrderInserts, readCommitted, startKafkaModeServer, uniqueServiceId } from '../helpers/kafka-mode.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { startKafkaTarget, uniqueName, type KafkaTarget } from '../broker/kafka/kafka-target.js';

let target: KafkaTarget;
let dir: string;

test.before(async () => {
  target = await startKafkaTarget();
  dir = makeTempDir('ksqlite-kafka-alos-');
});

test.after.always(async () => {
  await target?.stop();
  if (dir !== undefined) removeDir(dir);
});

test.serial('at_least_once on a Kafka cluster: after a SIGKILL during inserts and a restart on an empty data dir nothing acknowledged is lost', async (t) => {
  const serviceId = uniqueServiceId('alos');
  const topics = { input: uniqueName('orders'), filtered: uniqueName('big-orders'), counts: uniqueName('order-counts') };
  const properties = { 'ksql.service.id': serviceId, 'ksql.streams.processing.guarantee': 'at_least_once' };
  let server = await startKafkaModeServer(target.bootstrap, dir, 'first', properties);
  const admin = kafkaClient(target.bootstrap).admin();
  await admin.connect();
  try {
    await ksqlOrThrow(server, `CREATE STREAM ORDERS (CUSTOMER STRING KEY, ID INT, AMOUNT INT) WITH (KAFKA_TOPIC='${topics.input}', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    await ksqlOrThrow(server, `CREATE STREAM BIG_ORDERS WITH (KAFKA_TOPIC='${topics.filtered}') AS SELECT CUSTOMER, ID, AMOUNT FROM ORDERS WHERE AMOUNT >= 50;`);
    await ksqlOrThrow(server, `CREATE TABLE ORDER_COUNTS WITH (KAFKA_TOPIC='${topics.counts}') AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS GROUP BY CUSTOMER;`);

    const orders = new OrderInserts();
    const { acknowledged } = orders;
    await orders.killDuringInserts(server);

    server = await startKafkaModeServer(target.bootstrap, dir, 'second', properties);
    for (let i = 0; i < 30; i++) t.true(await orders.insert(server), 'an insert after the restart is acknowledged');

    const input = await readCommitted(target.bootstrap, topics.input, (records) => records.length >= acknowledged.size);
    const rows = input.map(([customer, value]) => ({ customer, ...(JSON.parse(value!) as { ID: number; AMOUNT: number }) }));
    for (const id of acknowledged) t.true(rows.some((r) => r.ID === id), `acknowledged input ${id} is on the source topic`);
    const bigIds = new Set(rows.filter((r) => r.AMOUNT >= 50).map((r) => r.ID));
    const expectedCounts = new Map<string, number>();
    for (const r of rows) expectedCounts.set(r.customer, (expectedCounts.get(r.customer) ?? 0) + 1);

    const seenBig = new Set<number>();
    await readCommitted(target.bootstrap, topics.filtered, (records) => {
      for (const [, value] of records) seenBig.add((JSON.parse(value!) as { ID: number }).ID);
      return [...bigIds].every((id) => seenBig.has(id));
    });
    t.deepEqual([...seenBig].sort((a, b) => a - b), [...bigIds].sort((a, b) => a - b), 'the CSAS output holds every input at least once, and nothing else');

    const latest = new Map<string, number>();
    await readCommitted(target.bootstrap, topics.counts, (records) => {
      for (const [customer, value] of records) latest.set(customer, (JSON.parse(value!) as { N: number }).N);
      return [...expectedCounts].every(([customer, n]) => (latest.get(customer) ?? 0) >= n);
    });
    for (const [customer, n] of expectedCounts) t.true(latest.get(customer)! >= n, `the count of ${customer} (${latest.get(customer)}) reaches its recomputation ${n}`);
  } finally {
    await admin.disconnect();
    await server.stop('SIGTERM');
  }
});

test.serial('a processing.guarantee Kafka Streams does not know is refused', async (t) => {
  const server = await startKafkaModeServer(target.bootstrap, dir, 'refusing', { 'ksql.service.id': uniqueServiceId('badguarantee') });
  try {
    const answer = await ksql(server, "SET 'processing.guarantee' = 'exactly_twice';");
    t.is(answer.status, 400, JSON.stringify(answer.body));
    t.regex(JSON.stringify(answer.body), /Invalid value exactly_twice for configuration processing.guarantee: String must be one of: at_least_once, exactly_once, exactly_once_beta, exactly_once_v2/);
  } finally {
    await server.stop('SIGTERM');
  }
});
