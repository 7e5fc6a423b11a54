/** Beyond ksqlDB: TUMBLING and HOPPING windows with a TIMEZONE run from local midnight to local midnight. */
import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { runSql, runSqlOrThrow, startServer, stopServer, useServer, type Harness } from './helpers.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';

const CREATE_EV = "CREATE STREAM EV (ID INT KEY, V INT) WITH (KAFKA_TOPIC='ev', PARTITIONS=1, VALUE_FORMAT='JSON');";
const ms = (iso: string): number => Date.parse(iso);

async function insert(h: Harness, iso: string, id: number): Promise<void> {
  await runSqlOrThrow(h, `INSERT INTO EV (ROWTIME, ID, V) VALUES (${ms(iso)}, ${id}, 1);`);
}

/** A pull query's rows over /query. */
async function pull(h: Harness, sql: string): Promise<unknown[][]> {
  const res = postStreamHttp1(h.url, '/query', JSON.stringify({ ksql: sql }));
  await res.ended;
  return (JSON.parse(res.text()) as { row?: { columns: unknown[] } }[]).filter((m) => m.row !== undefined).map((m) => m.row!.columns);
}

/** The table's topic from the start, read back through its windowed keys: [ID, WINDOWSTART, WINDOWEND, N]. */
async function changes(h: Harness, table: string, count: number): Promise<unknown[]> {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({
    sql: `SELECT ID, WINDOWSTART, WINDOWEND, N FROM ${table} EMIT CHANGES LIMIT ${count};`, properties: { 'auto.offset.reset': 'earliest' },
  }));
  await res.ended;
  return res.text().trim().split('\n').slice(1).map((l) => JSON.parse(l));
}

test('daily windows in Europe/Paris: 23 hours on the spring DST day, 25 on the autumn one, kept across a restart', async (t) => {
  await withTempDir(async (dataDir) => {
    let h = await startServer(dataDir);
    await runSqlOrThrow(h, CREATE_EV);
    await runSqlOrThrow(h, "CREATE TABLE DAILY AS SELECT ID, COUNT(*) AS N FROM EV WINDOW TUMBLING (SIZE 1 DAY, TIMEZONE='Europe/Paris') GROUP BY ID;");
    await insert(h, '2024-03-30T22:59:00Z', 1); // 23:59 on 30 March in Paris (CET)
    await insert(h, '2024-03-30T23:30:00Z', 1); // 00:30 on 31 March
    await insert(h, '2024-03-31T21:59:00Z', 1); // 23:59 on 31 March (CEST)
    await insert(h, '2024-03-31T22:00:00Z', 1); // midnight, 1 April
    const expected = [
      [1, ms('2024-03-29T23:00:00Z'), ms('2024-03-30T23:00:00Z'), 1],
      [1, ms('2024-03-30T23:00:00Z'), ms('2024-03-31T22:00:00Z'), 1],
      [1, ms('2024-03-30T23:00:00Z'), ms('2024-03-31T22:00:00Z'), 2],
      [1, ms('2024-03-31T22:00:00Z'), ms('2024-04-01T22:00:00Z'), 1],
    ];
    t.deepEqual(await changes(h, 'DAILY', 4), expected);
    t.true(await eventually(async () => (await pull(h, 'SELECT ID, WINDOWSTART, WINDOWEND, N FROM DAILY WHERE ID = 1;')).length === 3));
    t.deepEqual(await pull(h, 'SELECT ID, WINDOWSTART, WINDOWEND, N FROM DAILY WHERE ID = 1;'), [expected[0], expected[2], expected[3]]);
    await stopServer(h, false);

    h = await startServer(dataDir);
    await insert(h, '2024-10-27T12:00:00Z', 2); // 27 October, the day Paris goes back to CET
    t.deepEqual(await changes(h, 'DAILY', 5), [...expected, [2, ms('2024-10-26T22:00:00Z'), ms('2024-10-27T23:00:00Z'), 1]]);
    await stopServer(h);
  });
});

const h = useServer({ statements: [CREATE_EV] });

test('hopping windows with a TIMEZONE hop from local midnight', async (t) => {
  await runSqlOrThrow(h, "CREATE TABLE TWO_DAYS AS SELECT ID, COUNT(*) AS N FROM EV WINDOW HOPPING (SIZE 2 DAYS, ADVANCE BY 1 DAY, TIMEZONE='Europe/Paris') GROUP BY ID;");
  await insert(h, '2024-03-31T12:00:00Z', 7);
  t.deepEqual(await changes(h, 'TWO_DAYS', 2), [
    [7, ms('2024-03-29T23:00:00Z'), ms('2024-03-31T22:00:00Z'), 1],
    [7, ms('2024-03-30T23:00:00Z'), ms('2024-04-01T22:00:00Z'), 1],
  ]);
});

const refusals: [string, RegExp][] = [
  ["WINDOW SESSION (1 DAY, TIMEZONE='Europe/Paris')", /a SESSION window has no boundaries to align/],
  ["WINDOW TUMBLING (SIZE 1 DAY, TIMEZONE='Mars/Olympus')", /Unknown time-zone ID: Mars\/Olympus/],
  ["WINDOW TUMBLING (SIZE 1 HOUR, TIMEZONE='Europe/Paris')", /must be a multiple of 1 DAY/],
  ["WINDOW HOPPING (SIZE 2 DAYS, ADVANCE BY 12 HOURS, TIMEZONE='Europe/Paris')", /must be a multiple of 1 DAY/],
];

for (const [window, message] of refusals) {
  test(`refused: ${window}`, async (t) => {
    const res = await runSql(h, `CREATE TABLE R AS SELECT ID, COUNT(*) AS N FROM EV ${window} GROUP BY ID;`);
    t.is(res.status, 400);
    t.regex(res.body.message, message);
  });
}

test('EMIT FINAL is refused on windows with a TIMEZONE', async (t) => {
  const res = await runSql(h, "CREATE TABLE F AS SELECT ID, COUNT(*) AS N FROM EV WINDOW TUMBLING (SIZE 1 DAY, TIMEZONE='UTC') GROUP BY ID EMIT FINAL;");
  t.is(res.status, 400);
  t.regex(res.body.message, /EMIT FINAL is not supported on windows with a TIMEZONE/);
});
