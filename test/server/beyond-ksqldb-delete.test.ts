import test from 'ava';
import { runSql, runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';
import { eventually } from './stream-helpers.js';

async function pull(h: Harness, sql: string): Promise<unknown[][]> {
  const res = await fetch(`${h.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  const body = (await res.json()) as any[];
  return body.filter((r) => r.row !== undefined).map((r) => r.row.columns as unknown[]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const same = async (h: Harness, sql: string, expected: unknown[][]): Promise<boolean> =>
  eventually(async () => JSON.stringify(await pull(h, sql)) === JSON.stringify(expected), 20_000);

test('DELETE FROM writes a tombstone of the key to the table topic: the row leaves the table and the tables derived from it, and stays gone after a restart', async (t) => {
  let h = await startServer();
  const dataDir = h.dataDir;
  try {
    await runSqlOrThrow(h, "CREATE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='users', PARTITIONS=2, VALUE_FORMAT='JSON');");
    await runSqlOrThrow(h, 'CREATE TABLE NAMES AS SELECT ID, UCASE(NAME) AS UP FROM USERS;');
    for (const [id, name] of [[1, 'ann'], [2, 'bob'], [3, 'cy']] as const) await runSqlOrThrow(h, `INSERT INTO USERS (ID, NAME) VALUES (${id}, '${name}');`);
    t.true(await same(h, 'SELECT * FROM NAMES;', [[1, 'ANN'], [2, 'BOB'], [3, 'CY']]));

    const res = await runSql(h, 'DELETE FROM USERS WHERE ID = 2;');
    t.is(res.status, 200, JSON.stringify(res.body));
    t.true(await same(h, 'SELECT * FROM NAMES;', [[1, 'ANN'], [3, 'CY']]));
    await runSqlOrThrow(h, 'DELETE FROM USERS WHERE 99 = ID;');

    const records = [0, 1].flatMap((p) => h.server.broker.read('users', p, 0));
    const tombstones = records.filter((r) => r.value === null);
    t.is(tombstones.length, 2);
    const bobKey = records.find((r) => r.value !== null && r.value.toString().includes('bob'))!.key!;
    t.true(tombstones.some((r) => r.key!.equals(bobKey) && r.partition === records.find((x) => x.key!.equals(bobKey))!.partition));

    await stopServer(h, false);
    h = await startServer(dataDir);
    await runSqlOrThrow(h, "INSERT INTO USERS (ID, NAME) VALUES (4, 'di');");
    t.true(await same(h, 'SELECT * FROM NAMES;', [[1, 'ANN'], [3, 'CY'], [4, 'DI']]));
    await runSqlOrThrow(h, "INSERT INTO USERS (ID, NAME) VALUES (2, 'bo');");
    t.true(await same(h, 'SELECT * FROM NAMES;', [[1, 'ANN'], [2, 'BO'], [3, 'CY'], [4, 'DI']]));
  } finally {
    await stopServer(h);
  }
});

test('DELETE FROM a table with a multi-column key needs every key column, in the key format of the table', async (t) => {
  const h = await startServer();
  try {
    await runSqlOrThrow(h, "CREATE TABLE SEATS (ROW_NO INT PRIMARY KEY, SEAT STRING PRIMARY KEY, WHO STRING) WITH (KAFKA_TOPIC='seats', PARTITIONS=1, FORMAT='JSON');");
    await runSqlOrThrow(h, 'CREATE TABLE SEATS_Q AS SELECT * FROM SEATS;');
    await runSqlOrThrow(h, "INSERT INTO SEATS (ROW_NO, SEAT, WHO) VALUES (1, 'A', 'x');");
    await runSqlOrThrow(h, "INSERT INTO SEATS (ROW_NO, SEAT, WHO) VALUES (1, 'B', 'y');");
    t.true(await same(h, 'SELECT ROW_NO, SEAT, WHO FROM SEATS_Q;', [[1, 'A', 'x'], [1, 'B', 'y']]));
    const partial = await runSql(h, 'DELETE FROM SEATS WHERE ROW_NO = 1;');
    t.is(partial.status, 400);
    t.regex(partial.body.message, /must name one key with an equality for each key column, and nothing else: WHERE ROW_NO = <value> AND SEAT = <value>/);
    await runSqlOrThrow(h, "DELETE FROM SEATS WHERE SEAT = 'B' AND ROW_NO = 1;");
    t.true(await same(h, 'SELECT WHO FROM SEATS_Q;', [['x']]));
  } finally {
    await stopServer(h);
  }
});

test('DELETE FROM is refused on streams, tables written by queries, source and windowed tables, and with a WHERE that is not key equalities', async (t) => {
  const h = await startServer();
  try {
    await runSqlOrThrow(h, "CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    await runSqlOrThrow(h, "CREATE TABLE T (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');");
    await runSqlOrThrow(h, 'CREATE TABLE COUNTS AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;');
    await runSqlOrThrow(h, "CREATE SOURCE TABLE RO (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='ro', PARTITIONS=1, VALUE_FORMAT='JSON');");
    await runSqlOrThrow(h, "CREATE TABLE W (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='w', PARTITIONS=1, VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 MINUTE');");
    const refused = async (sql: string, message: RegExp): Promise<void> => {
      const res = await runSql(h, sql);
      t.is(res.status, 400, sql);
      t.regex(res.body.message, message, sql);
    };
    await refused('DELETE FROM S WHERE ID = 1;', /DELETE FROM works on tables only: S is a stream/);
    await refused('DELETE FROM COUNTS WHERE ID = 1;', /Cannot delete from table COUNTS: it is written by query CTAS_COUNTS_\d+/);
    await refused('DELETE FROM RO WHERE ID = 1;', /Cannot delete from read-only table: RO/);
    await refused('DELETE FROM W WHERE ID = 1;', /Cannot delete from windowed table W/);
    await refused('DELETE FROM NOPE WHERE ID = 1;', /Cannot delete from an unknown table: `NOPE`/);
    const usage = /DELETE FROM T must name one key with an equality for each key column, and nothing else: WHERE ID = <value>/;
    await refused('DELETE FROM T WHERE V = 1;', usage);
    await refused('DELETE FROM T WHERE ID = 1 OR ID = 2;', usage);
    await refused('DELETE FROM T WHERE ID > 1;', usage);
    await refused('DELETE FROM T WHERE ID = 1 AND ID = 2;', usage);
    await refused('DELETE FROM T WHERE ID = 1 AND V = 2;', usage);
    await refused('DELETE FROM T WHERE ID = V;', usage);
    await refused('DELETE FROM T WHERE ID = NULL;', /key column ID cannot be NULL/);
    await refused("DELETE FROM T WHERE ID = 'x';", /Failed to delete from 'T'\. Expected type INTEGER for field ID but got STRING\(x\)/);
    t.deepEqual(h.server.broker.read('t', 0, 0), []);
  } finally {
    await stopServer(h);
  }
});
