/**
 * Push queries over joins through the real server: stream-table,
 * stream-stream (WITHIN) and table-table joins over /query-stream, /query
 * and the WebSocket, and the cleanup of their transient internal topics when
 * the client goes, the LIMIT is reached or the server stops.
 */
import test from 'ava';
import WebSocket from 'ws';
import { runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';

let h: Harness;
test.before(async () => {
  h = await startServer();
  for (const sql of [
    "CREATE STREAM ORDERS (ID INT KEY, CUSTOMER STRING, AMOUNT INT) WITH (KAFKA_TOPIC='orders', PARTITIONS=2, VALUE_FORMAT='JSON');",
    "CREATE STREAM SHIPMENTS (ID INT KEY, CARRIER STRING) WITH (KAFKA_TOPIC='shipments', PARTITIONS=2, VALUE_FORMAT='JSON');",
    "CREATE TABLE CUSTOMERS (NAME STRING PRIMARY KEY, CITY STRING) WITH (KAFKA_TOPIC='customers', PARTITIONS=2, VALUE_FORMAT='JSON');",
    "CREATE TABLE ACCOUNTS (NAME STRING PRIMARY KEY, BALANCE INT) WITH (KAFKA_TOPIC='accounts', PARTITIONS=2, VALUE_FORMAT='JSON');",
    "INSERT INTO CUSTOMERS (NAME, CITY) VALUES ('ann', 'Oslo');",
    "INSERT INTO ORDERS (ID, CUSTOMER, AMOUNT) VALUES (1, 'ann', 5);",
  ]) await runSqlOrThrow(h, sql);
});
test.after.always(async () => {
  await stopServer(h);
});

/** The topics of transient queries (their internal topics) now on the server. */
const transientTopics = (): string[] => h.server.broker.listTopics().filter((t) => t.includes('transient_'));

test.serial('/query-stream: a stream-table join from the earliest offsets, its repartition topic deleted when the client closes', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({
    sql: 'SELECT O.ID, C.CITY, O.AMOUNT FROM ORDERS O JOIN CUSTOMERS C ON O.CUSTOMER = C.NAME EMIT CHANGES;',
    properties: { 'auto.offset.reset': 'earliest' },
  }));
  t.is(await res.status, 200);
  const [header, first] = await res.lines(2);
  const { queryId, columnNames } = JSON.parse(header!) as { queryId: string; columnNames: string[] };
  t.deepEqual(columnNames, ['ID', 'CITY', 'AMOUNT']);
  t.deepEqual(JSON.parse(first!), [1, 'Oslo', 5]);
  const internal = transientTopics();
  t.true(internal.some((topic) => topic.startsWith(`_confluent-ksql-default_transient_${queryId}_`) && topic.endsWith('-Join-repartition')), internal.join());
  await runSqlOrThrow(h, "INSERT INTO ORDERS (ID, CUSTOMER, AMOUNT) VALUES (2, 'ann', 7);");
  t.deepEqual(JSON.parse((await res.lines(3))[2]!), [2, 'Oslo', 7]);
  res.close();
  t.true(await eventually(() => transientTopics().length === 0), transientTopics().join());
  t.deepEqual(h.server.engine.listTransientQueries(), []);
});

test.serial('/query: a stream-stream join WITHIN a window, from the latest offsets, ends at its LIMIT and cleans up', async (t) => {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({
    ksql: 'SELECT O.ID, S.CARRIER FROM ORDERS O JOIN SHIPMENTS S WITHIN 1 HOUR ON O.ID = S.ID EMIT CHANGES LIMIT 2;',
  }));
  t.is(await res.status, 200);
  t.true(await eventually(() => res.chunks.length > 0));
  t.true(h.server.engine.stores.listStores().some((s) => s.query.startsWith('transient_')), 'it keeps its window stores');
  // Latest: the order of before the query does not join.
  await runSqlOrThrow(h, "INSERT INTO SHIPMENTS (ID, CARRIER) VALUES (1, 'ups');");
  await runSqlOrThrow(h, "INSERT INTO ORDERS (ID, CUSTOMER, AMOUNT) VALUES (3, 'bob', 1);");
  await runSqlOrThrow(h, "INSERT INTO SHIPMENTS (ID, CARRIER) VALUES (3, 'dhl');");
  await runSqlOrThrow(h, "INSERT INTO SHIPMENTS (ID, CARRIER) VALUES (3, 'fedex');");
  await res.ended;
  const rows = (JSON.parse(res.text()) as { row?: { columns: unknown[] } }[]).filter((m) => m.row !== undefined).map((m) => m.row!.columns);
  t.deepEqual(rows, [[3, 'dhl'], [3, 'fedex']]);
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0));
  t.deepEqual(h.server.engine.stores.listStores().filter((s) => s.query.startsWith('transient_')), [], 'its window stores are dropped');
});

test.serial('/ws/query: a table-table join streams its changes, a deletion as a tombstone', async (t) => {
  const sql = 'SELECT C.NAME, C.CITY, A.BALANCE FROM CUSTOMERS C JOIN ACCOUNTS A ON C.NAME = A.NAME EMIT CHANGES LIMIT 2;';
  const ws = new WebSocket(`ws://127.0.0.1:${h.server.port}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: sql }))}`);
  const messages: { row?: { columns: unknown[]; tombstone?: boolean } }[] = [];
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as never));
  t.true(await eventually(() => messages.length > 0));
  await runSqlOrThrow(h, "INSERT INTO ACCOUNTS (NAME, BALANCE) VALUES ('bob', 3);");
  await runSqlOrThrow(h, "INSERT INTO CUSTOMERS (NAME, CITY) VALUES ('bob', 'Rome');");
  t.true(await eventually(() => messages.length > 1));
  await h.server.broker.append('customers', [{ key: Buffer.from('bob'), value: null, timestamp: Date.now() }]);
  await closed;
  const rows = messages.filter((m) => m.row !== undefined).map((m) => (m.row!.tombstone === true ? ['tombstone', m.row!.columns] : m.row!.columns));
  t.deepEqual(rows, [['bob', 'Rome', 3], ['tombstone', ['bob', null, null]]]);
  t.true(await eventually(() => transientTopics().length === 0), transientTopics().join());
});

test.serial('a push query over a join still running when the server stops leaves no internal topic behind', async (t) => {
  const dataDir = h.dataDir;
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({
    sql: 'SELECT O.ID, C.CITY FROM ORDERS O JOIN CUSTOMERS C ON O.CUSTOMER = C.NAME EMIT CHANGES;',
  }));
  await res.lines(1);
  t.true(transientTopics().length > 0);
  await stopServer(h, false);
  h = await startServer(dataDir);
  t.deepEqual(transientTopics(), []);
});
