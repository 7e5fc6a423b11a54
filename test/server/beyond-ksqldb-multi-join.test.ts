import test from 'ava';
import { runSql, runSqlOrThrow, startServer, stopServer, useServer } from './helpers.js';
import { eventually } from './stream-helpers.js';

const EARLIEST = { streamsProperties: { 'auto.offset.reset': 'earliest' } };

const h = useServer({
  statements: [
    "CREATE STREAM CLICKS (ID INT KEY, USER_ID INT, REGION STRING, N INT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=2, FORMAT='JSON');",
    "CREATE STREAM BUYS (ID INT KEY, USER_ID INT, REGION STRING, M INT) WITH (KAFKA_TOPIC='buys', PARTITIONS=2, FORMAT='JSON');",
    "CREATE TABLE USERS (USER_ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='users', PARTITIONS=2, FORMAT='JSON');",
  ],
});

async function sinkRows(name: string, expected: number): Promise<unknown[][]> {
  let rows: unknown[][] = [];
  await eventually(async () => {
    const res = await fetch(`${h.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: `SELECT * FROM ${name};` }) });
    const body = (await res.json()) as any[];
    rows = Array.isArray(body) ? body.filter((r) => r.row !== undefined).map((r) => r.row.columns) : [];
    return rows.length >= expected;
  }, 20_000);
  return rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

test.serial('a stream-stream join on several conditions joins on all of them at once, NULLs never matching', async (t) => {
  await runSqlOrThrow(h, 'CREATE STREAM MATCHED AS SELECT ROWKEY AS K, C.N, B.M FROM CLICKS C JOIN BUYS B WITHIN 1 HOUR ON C.USER_ID = B.USER_ID AND B.REGION = C.REGION;', EARLIEST);
  const rows: [string, number, number, string | null, number, number][] = [
    ['CLICKS', 1, 7, 'eu', 1, 1000], ['CLICKS', 2, 7, 'us', 2, 1000], ['CLICKS', 3, 8, 'eu', 3, 1000], ['CLICKS', 4, 9, null, 4, 1000],
    ['BUYS', 10, 7, 'eu', 10, 2000], ['BUYS', 11, 8, 'us', 11, 2000], ['BUYS', 12, 9, null, 12, 2000],
  ];
  for (const [stream, id, user, region, v, ts] of rows) {
    const column = stream === 'CLICKS' ? 'N' : 'M';
    await runSqlOrThrow(h, `INSERT INTO ${stream} (ID, USER_ID, REGION, ${column}, ROWTIME) VALUES (${id}, ${user}, ${region === null ? 'NULL' : `'${region}'`}, ${v}, ${ts});`);
  }
  await runSqlOrThrow(h, 'CREATE TABLE SEEN AS SELECT N, COUNT(*) AS C, LATEST_BY_OFFSET(M) AS M FROM MATCHED GROUP BY N;', EARLIEST);
  t.deepEqual(await sinkRows('SEEN', 1), [[1, 1, 10]]);
  const described = await runSql(h, 'DESCRIBE MATCHED;');
  const key = described.body[0].sourceDescription.fields[0];
  t.deepEqual([key.name, key.type, key.schema.type, key.schema.fields.map((f: any) => `${f.name} ${f.schema.type}`)], ['K', 'KEY', 'STRUCT', ['USER_ID INTEGER', 'REGION STRING']]);
});

test.serial('a join on expressions of both sides repartitions both by them', async (t) => {
  await runSqlOrThrow(h, 'CREATE STREAM SHIFTED AS SELECT ROWKEY AS K, C.N, B.M FROM CLICKS C JOIN BUYS B WITHIN 1 HOUR ON C.USER_ID + 1 = B.USER_ID * 1;', EARLIEST);
  await runSqlOrThrow(h, 'CREATE TABLE SHIFT_SEEN AS SELECT N, LATEST_BY_OFFSET(M) AS M FROM SHIFTED GROUP BY N;', EARLIEST);
  t.deepEqual(await sinkRows('SHIFT_SEEN', 3), [[1, 11], [2, 11], [3, 12]]);
});

test.serial('a left column in two conditions names its second field by position', async (t) => {
  await runSqlOrThrow(h, 'CREATE STREAM TWICE AS SELECT ROWKEY AS K, C.N, B.M FROM CLICKS C JOIN BUYS B WITHIN 1 HOUR ON C.USER_ID = B.USER_ID AND C.USER_ID = B.ID - 3;', EARLIEST);
  const key = (await runSql(h, 'DESCRIBE TWICE;')).body[0].sourceDescription.fields[0];
  t.deepEqual(key.schema.fields.map((f: any) => f.name), ['USER_ID', 'KSQL_COL_1']);
  await runSqlOrThrow(h, 'CREATE TABLE TWICE_SEEN AS SELECT N, LATEST_BY_OFFSET(M) AS M FROM TWICE GROUP BY N;', EARLIEST);
  t.deepEqual(await sinkRows('TWICE_SEEN', 4), [[1, 10], [2, 10], [3, 11], [4, 12]]);
});

test.serial('several conditions are refused with a table side, with OR, when repeated, and when their types differ', async (t) => {
  const refused = async (sql: string, message: RegExp): Promise<void> => {
    const res = await runSql(h, sql);
    t.is(res.status, 400, sql);
    t.regex(res.body.message, message, sql);
  };
  await refused('CREATE STREAM X1 AS SELECT * FROM CLICKS C JOIN USERS U ON C.USER_ID = U.USER_ID AND C.REGION = U.NAME;',
    /joins on several conditions are supported between two streams only/);
  await refused('CREATE STREAM X2 AS SELECT ROWKEY, C.N FROM CLICKS C JOIN BUYS B WITHIN 1 HOUR ON C.USER_ID = B.USER_ID OR C.REGION = B.REGION;',
    /Conditions may be joined by AND, not OR/);
  await refused('CREATE STREAM X3 AS SELECT ROWKEY, C.N FROM CLICKS C JOIN BUYS B WITHIN 1 HOUR ON C.USER_ID = B.USER_ID AND B.USER_ID = C.USER_ID;',
    /C.USER_ID = B.USER_ID is repeated/);
  await refused('CREATE STREAM X4 AS SELECT ROWKEY, C.N FROM CLICKS C JOIN BUYS B WITHIN 1 HOUR ON C.USER_ID = B.USER_ID AND C.REGION = B.M;',
    /types don't match. Got C.REGION\{STRING\} = B.M\{INTEGER\}/);
  await refused('CREATE STREAM X5 AS SELECT ROWKEY, C.N FROM CLICKS C JOIN BUYS B WITHIN 1 HOUR ON C.USER_ID = B.USER_ID AND C.REGION = 0;',
    /Invalid comparison expression '0' in join '\(C.REGION = 0\)'/);
  await runSqlOrThrow(h, "CREATE STREAM MK1 (K INT KEY, K2 INT KEY, V INT) WITH (KAFKA_TOPIC='mk1', PARTITIONS=1, FORMAT='JSON');");
  await runSqlOrThrow(h, "CREATE STREAM MK2 (K INT KEY, K2 INT KEY, V INT) WITH (KAFKA_TOPIC='mk2', PARTITIONS=1, FORMAT='JSON');");
  await refused('CREATE STREAM X7 AS SELECT * FROM MK1 JOIN MK2 WITHIN 1 DAY ON MK1.K = MK2.K AND MK1.K2 = MK2.K2;',
    /A join of multi-column keys on their key columns is refused, as ksqlDB refuses it/);
  // The combined key is a STRUCT, written in the join's key format: KAFKA keys cannot hold it.
  await runSqlOrThrow(h, "CREATE STREAM KA (ID INT KEY, X INT, Y STRING) WITH (KAFKA_TOPIC='ka', PARTITIONS=1, VALUE_FORMAT='JSON');");
  await runSqlOrThrow(h, "CREATE STREAM KB (ID INT KEY, X INT, Y STRING) WITH (KAFKA_TOPIC='kb', PARTITIONS=1, VALUE_FORMAT='JSON');");
  await refused('CREATE STREAM X6 AS SELECT ROWKEY, KA.ID FROM KA JOIN KB WITHIN 1 HOUR ON KA.X = KB.X AND KA.Y = KB.Y;',
    /The 'KAFKA' format does not support type 'STRUCT'/);
});

test('a join on several conditions keeps its window stores across a restart', async (t) => {
  let server = await startServer();
  const dataDir = server.dataDir;
  try {
    await runSqlOrThrow(server, "CREATE STREAM RL (ID INT KEY, A INT, B STRING, V INT) WITH (KAFKA_TOPIC='rl', PARTITIONS=1, FORMAT='JSON');");
    await runSqlOrThrow(server, "CREATE STREAM RR (ID INT KEY, A INT, B STRING, W INT) WITH (KAFKA_TOPIC='rr', PARTITIONS=1, FORMAT='JSON');");
    await runSqlOrThrow(server, 'CREATE STREAM RJ AS SELECT ROWKEY AS K, RL.V, RR.W FROM RL JOIN RR WITHIN 1 HOUR ON RL.A = RR.A AND RL.B = RR.B;');
    await runSqlOrThrow(server, 'CREATE TABLE RJ_SEEN AS SELECT V, LATEST_BY_OFFSET(W) AS W FROM RJ GROUP BY V;');
    await runSqlOrThrow(server, "INSERT INTO RL (ID, A, B, V, ROWTIME) VALUES (1, 5, 'x', 100, 1000);");
    await runSqlOrThrow(server, "INSERT INTO RL (ID, A, B, V, ROWTIME) VALUES (2, 5, 'y', 200, 1000);");
    await stopServer(server, false);
    server = await startServer(dataDir);
    await runSqlOrThrow(server, "INSERT INTO RR (ID, A, B, W, ROWTIME) VALUES (3, 5, 'y', 7, 2000);");
    let rows: unknown[][] = [];
    await eventually(async () => {
      const res = await fetch(`${server.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: 'SELECT * FROM RJ_SEEN;' }) });
      const body = (await res.json()) as any[];
      rows = Array.isArray(body) ? body.filter((r) => r.row !== undefined).map((r) => r.row.columns) : [];
      return rows.length > 0;
    }, 20_000);
    t.deepEqual(rows, [[200, 7]]);
  } finally {
    await stopServer(server);
  }
});
