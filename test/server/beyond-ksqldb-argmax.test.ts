import test from 'ava';
import { runSql, runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';
import { eventually } from './stream-helpers.js';

async function pullRows(h: Harness, sql: string): Promise<unknown[][]> {
  const rows = await pull(h, sql);
  return rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
}

async function pull(h: Harness, sql: string): Promise<unknown[][]> {
  const res = await fetch(`${h.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  const body = (await res.json()) as any[];
  return body.filter((r) => r.row !== undefined).map((r) => r.row.columns as unknown[]);
}

test('ARGMAX, ARGMIN and MIN/MAX over strings and timestamps aggregate over REST, windowed too, and keep their state across a restart', async (t) => {
  let h = await startServer();
  const dataDir = h.dataDir;
  try {
    await runSqlOrThrow(h, "CREATE STREAM BIDS (ITEM STRING KEY, BIDDER STRING, PRICE DECIMAL(6,2), PLACED TIMESTAMP) WITH (KAFKA_TOPIC='bids', PARTITIONS=1, VALUE_FORMAT='JSON');");
    await runSqlOrThrow(h, 'CREATE TABLE BEST AS SELECT ITEM, ARGMAX(BIDDER, PRICE) AS TOP, ARGMIN(BIDDER, PLACED) AS FIRST, MAX(BIDDER) AS LAST_NAME, MIN(PLACED) AS OPENED FROM BIDS GROUP BY ITEM;');
    await runSqlOrThrow(h, 'CREATE TABLE BEST_W AS SELECT ITEM, ARGMAX(BIDDER, PRICE) AS TOP FROM BIDS WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ITEM;');
    const bid = (item: string, bidder: string | null, price: string | null, at: string, ts: number): Promise<unknown> =>
      runSqlOrThrow(h, `INSERT INTO BIDS (ITEM, BIDDER, PRICE, PLACED, ROWTIME) VALUES ('${item}', ${bidder === null ? 'NULL' : `'${bidder}'`}, ${price ?? 'NULL'}, '${at}', ${ts});`);
    await bid('lamp', 'bo', '10.00', '2024-01-01T00:00:05', 1000);
    await bid('lamp', 'al', '12.50', '2024-01-01T00:00:01', 2000);
    await bid('lamp', 'cy', null, '2024-01-01T00:00:09', 3000);
    await bid('lamp', null, '11.00', '2024-01-01T00:00:07', 12000);
    // A TIMESTAMP comes over REST as ksqlDB writes it: text, in UTC.
    const expected = [['lamp', 'al', 'al', 'cy', '2024-01-01T00:00:01.000']];
    t.true(await eventually(async () => JSON.stringify(await pull(h, 'SELECT * FROM BEST;')) === JSON.stringify(expected), 20_000), JSON.stringify(await pull(h, 'SELECT * FROM BEST;')));
    t.true(await eventually(async () => (await pull(h, 'SELECT ITEM, TOP FROM BEST_W;')).length === 2, 20_000));
    t.deepEqual((await pullRows(h, 'SELECT ITEM, WINDOWSTART, TOP FROM BEST_W;')).map((r) => r[2]), ['al', null]);

    await stopServer(h, false);
    h = await startServer(dataDir);
    await bid('lamp', 'di', '12.50', '2024-01-01T00:00:00', 13000);
    await bid('lamp', 'ed', '12.49', '2023-12-31T23:59:59', 14000);
    const after = [['lamp', 'al', 'ed', 'ed', '2023-12-31T23:59:59.000']];
    t.true(await eventually(async () => JSON.stringify(await pull(h, 'SELECT * FROM BEST;')) === JSON.stringify(after), 20_000), JSON.stringify(await pull(h, 'SELECT * FROM BEST;')));
    t.true(await eventually(async () => JSON.stringify((await pullRows(h, 'SELECT ITEM, WINDOWSTART, TOP FROM BEST_W;')).map((r) => r[2])) === '["al","di"]', 20_000));
  } finally {
    await stopServer(h);
  }
});

test('ARGMAX refuses a by column that has no order and a table source, with clear messages', async (t) => {
  const h = await startServer();
  try {
    await runSqlOrThrow(h, "CREATE STREAM S (K STRING KEY, V STRING, M MAP<STRING, INT>) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    await runSqlOrThrow(h, "CREATE TABLE T (K STRING PRIMARY KEY, V STRING, N INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');");
    const noOrder = await runSql(h, 'CREATE TABLE X AS SELECT K, ARGMAX(V, M) FROM S GROUP BY K;');
    t.is(noOrder.status, 400);
    t.regex(noOrder.body.message, /ARGMAX/);
    const onTable = await runSql(h, 'CREATE TABLE Y AS SELECT V, ARGMAX(K, N) FROM T GROUP BY V;');
    t.is(onTable.status, 400);
    t.regex(onTable.body.message, /ARGMAX/);
  } finally {
    await stopServer(h);
  }
});
