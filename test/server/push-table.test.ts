import test from 'ava';
import WebSocket from 'ws';
import { runSql, startServer, stopServer, type Harness } from './helpers.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';

let h: Harness;
test.before(async () => {
  h = await startServer();
  for (const sql of [
    "CREATE STREAM EV (ID INT KEY, V INT) WITH (KAFKA_TOPIC='ev', PARTITIONS=1, VALUE_FORMAT='JSON');",
    // A row leaves the table (a tombstone in its topic) once its sum reaches 10.
    'CREATE TABLE TOT AS SELECT ID, SUM(V) AS S FROM EV GROUP BY ID HAVING SUM(V) < 10;',
  ]) {
    const res = await runSql(h, sql);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  }
});
test.after.always(async () => {
  await stopServer(h);
});

const insert = async (id: number, v: number): Promise<void> => {
  const res = await runSql(h, `INSERT INTO EV (ID, V) VALUES (${id}, ${v});`);
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
};

/** The /query response's rows as [columns, tombstone?] once it has ended. */
function legacyRows(text: string): unknown[] {
  const body = JSON.parse(text) as { row?: { columns: unknown[]; tombstone?: boolean } }[];
  return body.filter((m) => m.row !== undefined).map((m) => (m.row!.tombstone === true ? ['tombstone', m.row!.columns] : m.row!.columns));
}

test.serial('/query marks the deletions of a table\'s rows as tombstones that carry the key', async (t) => {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: 'SELECT * FROM TOT EMIT CHANGES LIMIT 3;' }));
  t.is(await res.status, 200);
  t.true(await eventually(() => res.chunks.length > 0));
  // The older endpoint ends a message's line when the next one starts.
  await insert(1, 4);
  await res.lines(1);
  await insert(1, 10);
  await res.lines(2);
  await insert(2, 3);
  await res.ended;
  t.deepEqual(legacyRows(res.text()), [[1, 4], ['tombstone', [1, null]], [2, 3]]);
});

test.serial('a change that does not pass the WHERE clause of a push query on a table is a tombstone', async (t) => {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: 'SELECT S, ID FROM TOT WHERE S > 5 EMIT CHANGES LIMIT 3;' }));
  t.is(await res.status, 200);
  t.true(await eventually(() => res.chunks.length > 0));
  await insert(3, 2);
  await res.lines(1);
  await insert(3, 4);
  await res.lines(2);
  await insert(3, 5);
  await res.ended;
  t.deepEqual(legacyRows(res.text()), [['tombstone', [null, 3]], [6, 3], ['tombstone', [null, 3]]]);
});

test.serial('/query-stream leaves tombstones out, as ksqlDB does', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM TOT EMIT CHANGES LIMIT 3;' }));
  t.is(await res.status, 200);
  await res.lines(1);
  await insert(4, 1);
  await res.lines(2);
  await insert(4, 20);
  await insert(5, 1);
  await res.ended;
  t.deepEqual(res.text().trim().split('\n').slice(1).map((l) => JSON.parse(l)), [[4, 1], [5, 1]]);
});

test.serial('/ws/query sends a tombstone as a row message marked tombstone', async (t) => {
  const url = `ws://127.0.0.1:${h.server.port}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM TOT EMIT CHANGES LIMIT 2;' }))}`;
  const ws = new WebSocket(url);
  const messages: unknown[] = [];
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  await new Promise<void>((resolve) => ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    if (messages.length === 1) resolve();
  }));
  await insert(6, 2);
  await insert(6, 30);
  await closed;
  t.deepEqual(messages.slice(1), [{ row: { columns: [6, 2] } }, { row: { columns: [6, null], tombstone: true } }]);
});
