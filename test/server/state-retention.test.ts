/** Beyond ksqlDB: RETENTION on a CREATE TABLE AS aggregation expires idle keys with tombstones, across restarts. */
import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { runSql, runSqlOrThrow, startServer, stopServer, useServer, type Harness } from './helpers.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';

const CREATE_EV = "CREATE STREAM EV (ID INT KEY, V INT) WITH (KAFKA_TOPIC='ev', PARTITIONS=1, VALUE_FORMAT='JSON');";

async function insert(h: Harness, rowtime: number, id: number, v: number | null): Promise<void> {
  await runSqlOrThrow(h, `INSERT INTO EV (ROWTIME, ID, V) VALUES (${rowtime}, ${id}, ${v === null ? 'NULL' : v});`);
}

/** The table's rows by a pull query, sorted by key. */
async function tableRows(h: Harness, table: string): Promise<unknown[][]> {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: `SELECT * FROM ${table};` }));
  await res.ended;
  return (JSON.parse(res.text()) as { row?: { columns: unknown[] } }[]).filter((m) => m.row !== undefined).map((m) => m.row!.columns)
    .sort((a, b) => (a[0] as number) - (b[0] as number));
}

/** The sink topic's changes from the start, tombstones marked, read by /query. */
async function changes(h: Harness, table: string, count: number): Promise<unknown[]> {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({
    ksql: `SELECT * FROM ${table} EMIT CHANGES LIMIT ${count};`, streamsProperties: { 'auto.offset.reset': 'earliest' },
  }));
  await res.ended;
  const body = JSON.parse(res.text()) as { row?: { columns: unknown[]; tombstone?: boolean } }[];
  return body.filter((m) => m.row !== undefined).map((m) => (m.row!.tombstone === true ? ['tombstone', m.row!.columns] : m.row!.columns));
}

test('keys idle longer than RETENTION by stream time leave the table with a tombstone, also after a restart', async (t) => {
  await withTempDir(async (dataDir) => {
    let h = await startServer(dataDir);
    await runSqlOrThrow(h, CREATE_EV);
    await runSqlOrThrow(h, "CREATE TABLE TOT WITH (RETENTION='10 SECONDS') AS SELECT ID, SUM(V) AS S, COUNT(*) AS N FROM EV GROUP BY ID;");
    await insert(h, 0, 1, 1);
    await insert(h, 1000, 2, null);
    await insert(h, 5000, 1, 2);
    // Stream time 12 s: key 2 (last seen at 1 s) is idle for 11 s, key 1 (5 s) for 7 s.
    await insert(h, 12_000, 3, 4);
    t.true(await eventually(async () => (await tableRows(h, 'TOT')).length === 2));
    t.deepEqual(await tableRows(h, 'TOT'), [[1, 3, 2], [3, 4, 1]]);
    t.deepEqual(await changes(h, 'TOT', 5), [[1, 1, 1], [2, 0, 1], [1, 3, 2], [3, 4, 1], ['tombstone', [2, null, null]]]);
    await stopServer(h, false);

    h = await startServer(dataDir);
    // Stream time 16 s after the restart: key 1 expires; key 2 starts over as a new key.
    await insert(h, 16_000, 2, 5);
    t.true(await eventually(async () => (await tableRows(h, 'TOT')).length === 2 && (await tableRows(h, 'TOT'))[0]![0] === 2));
    t.deepEqual(await tableRows(h, 'TOT'), [[2, 5, 1], [3, 4, 1]]);
    t.deepEqual((await changes(h, 'TOT', 7)).slice(5), [[2, 5, 1], ['tombstone', [1, null, null]]]);
    await stopServer(h);
  });
});

const h = useServer({ statements: [CREATE_EV, 'CREATE TABLE T AS SELECT ID, COUNT(*) AS N FROM EV GROUP BY ID;'] });

const refusals: [string, string][] = [
  ["CREATE STREAM S WITH (RETENTION='1 DAY') AS SELECT * FROM EV;", 'this query does not aggregate'],
  ["CREATE TABLE C WITH (RETENTION='1 DAY') AS SELECT * FROM T;", 'this query does not aggregate'],
  ["CREATE TABLE W WITH (RETENTION='1 DAY') AS SELECT ID, COUNT(*) FROM EV WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY ID;",
    'a windowed aggregation takes RETENTION inside its WINDOW clause'],
  ["CREATE TABLE A WITH (RETENTION='1 DAY') AS SELECT N, COUNT(*) AS C FROM T GROUP BY N;",
    'the aggregation of a table must keep every group'],
];

for (const [sql, reason] of refusals) {
  test(`refused: ${sql}`, async (t) => {
    const res = await runSql(h, sql);
    t.is(res.status, 400);
    t.true(String(res.body.message).includes(reason), res.body.message);
  });
}

test('a RETENTION that is not a duration is refused as a WITH property', async (t) => {
  const res = await runSql(h, "CREATE TABLE B WITH (RETENTION='soon') AS SELECT ID, COUNT(*) FROM EV GROUP BY ID;");
  t.is(res.status, 400);
  t.regex(res.body.message, /RETENTION is invalid: Invalid duration: 'soon'/);
});

test('a windowed stream cannot take RETENTION', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM WS (ID INT KEY, V INT) WITH (KAFKA_TOPIC='ws', PARTITIONS=1, VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 HOUR');");
  const res = await runSql(h, "CREATE TABLE WW WITH (RETENTION='1 DAY') AS SELECT ID, COUNT(*) AS C FROM WS GROUP BY ID;");
  t.is(res.status, 400);
  t.true(String(res.body.message).includes('WS is windowed, and its windows expire by their own retention'), res.body.message);
});
