import test from 'ava';
import { makeDataDir, request, runSql, runSqlOrThrow, startServer, stopServer, useServer, type Harness } from './helpers.js';
import { eventually, postStreamHttp1 } from './stream-helpers.js';

const h = useServer({
  statements: [
    "CREATE STREAM EVENTS (ID INT KEY, NAME STRING, V BIGINT) WITH (KAFKA_TOPIC='events', PARTITIONS=2, VALUE_FORMAT='JSON');",
    'CREATE TABLE LATEST AS SELECT ID, LATEST_BY_OFFSET(NAME) AS NAME, SUM(V) AS TOTAL FROM EVENTS GROUP BY ID;',
    'CREATE TABLE WINDOWED AS SELECT ID, COUNT(*) AS N FROM EVENTS WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;',
  ],
  afterStart: async (started) => {
    const rows: [number, string, number, number][] = [
      [1, 'a', 10, 1000], [2, 'b', 20, 2000], [3, 'c', 30, 3000], [1, 'a2', 5, 4000], [4, 'd', 40, 15000], [1, 'a3', 1, 25000],
    ];
    for (const [id, name, v, ts] of rows) {
      await runSqlOrThrow(started, `INSERT INTO EVENTS (ID, NAME, V, ROWTIME) VALUES (${id}, '${name}', ${v}, ${ts});`);
    }
    if (!(await eventually(async () => (await pull('SELECT * FROM LATEST;')).rows.length === 4 && (await pull('SELECT * FROM WINDOWED;')).rows.length === 5, 20_000))) {
      throw new Error('the tables were not materialized in time');
    }
  },
});

interface PullResult {
  status: number;
  header: any;
  rows: unknown[][];
  body: any;
}

async function pull(sql: string, harness: Harness = h): Promise<PullResult> {
  const res = await request(`${harness.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  if (res.status !== 200) return { status: res.status, header: undefined, rows: [], body: res.body };
  const [header, ...rest] = res.body as any[];
  return { status: res.status, header: header.header, rows: rest.filter((r) => r.row !== undefined).map((r) => r.row.columns), body: res.body };
}

const byFirst = (rows: unknown[][]): unknown[][] => [...rows].sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1]));

test.serial('a key lookup answers the current row of the key from the materialized table', async (t) => {
  const res = await pull('SELECT * FROM LATEST WHERE ID = 1;');
  t.is(res.status, 200);
  t.is(res.header.schema, '`ID` INTEGER KEY, `NAME` STRING, `TOTAL` BIGINT');
  t.deepEqual(res.rows, [[1, 'a3', 16]]);
  t.deepEqual((await pull('SELECT * FROM LATEST WHERE ID = 99;')).rows, []);
});

test.serial('an IN list looks up each key once, and projection expressions apply to the rows found', async (t) => {
  const res = await pull('SELECT ID, UCASE(NAME) AS UP, TOTAL * 2 AS DOUBLED FROM LATEST WHERE ID IN (2, 3, 2, 7);');
  t.deepEqual(byFirst(res.rows), [[2, 'B', 40], [3, 'C', 60]]);
});

test.serial('range conditions on the key and conditions on values scan the table', async (t) => {
  t.deepEqual(byFirst((await pull('SELECT ID, TOTAL FROM LATEST WHERE ID > 1 AND ID <= 3;')).rows), [[2, 20], [3, 30]]);
  t.deepEqual(byFirst((await pull("SELECT ID FROM LATEST WHERE NAME LIKE 'a%' OR TOTAL >= 40;")).rows), [[1], [4]]);
  t.deepEqual(byFirst((await pull('SELECT ID, TOTAL FROM LATEST;')).rows), [[1, 16], [2, 20], [3, 30], [4, 40]]);
});

test.serial('LIMIT bounds the rows of a pull query', async (t) => {
  t.is((await pull('SELECT * FROM LATEST LIMIT 2;')).rows.length, 2);
  t.is((await pull('SELECT * FROM LATEST WHERE ID IN (1, 2, 3) LIMIT 1;')).rows.length, 1);
});

test.serial('a windowed table answers its windows, bounded by WINDOWSTART and WINDOWEND', async (t) => {
  const all = await pull('SELECT * FROM WINDOWED WHERE ID = 1;');
  t.is(all.header.schema, '`ID` INTEGER KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `N` BIGINT');
  t.deepEqual(byFirst(all.rows), [[1, 0, 10000, 2], [1, 20000, 30000, 1]]);
  const bounded = await pull('SELECT ID, WINDOWSTART, N FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 10000;');
  t.deepEqual(bounded.rows, [[1, 20000, 1]]);
  t.is(bounded.header.schema, '`ID` INTEGER KEY, `WINDOWSTART` BIGINT KEY, `N` BIGINT', 'a window bound selected by name is a key column too');
  const scan = await pull('SELECT ID, N FROM WINDOWED WHERE WINDOWEND <= 10000;');
  t.deepEqual(byFirst(scan.rows), [[1, 2], [2, 1], [3, 1]]);
});

test.serial('a plain CREATE TABLE is not queryable, with ksqlDB\'s advice; a source table answers from its topic', async (t) => {
  await runSql(h, "CREATE TABLE PLAIN_T (ID INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='plain_t', PARTITIONS=1, VALUE_FORMAT='JSON');");
  const res = await pull('SELECT * FROM PLAIN_T;');
  t.is(res.status, 400);
  t.regex(res.body.message, /^The `PLAIN_T` table isn't queryable/);
  const created = await runSql(h, "CREATE SOURCE TABLE SRC_T (ID INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='plain_t', PARTITIONS=1, VALUE_FORMAT='JSON');");
  t.is(created.status, 200, JSON.stringify(created.body));
  for (const [id, v] of [[1, 'x'], [2, 'y'], [1, 'z']] as const) await runSql(h, `INSERT INTO PLAIN_T (ID, V) VALUES (${id}, '${v}');`);
  t.deepEqual(byFirst((await pull('SELECT * FROM SRC_T;')).rows), [[1, 'z'], [2, 'y']]);
  t.deepEqual((await pull('SELECT V FROM SRC_T WHERE ID = 2;')).rows, [['y']]);
});

test.serial("a windowed table's pull query refuses the window bounds ksqlDB cannot read, naming them", async (t) => {
  const refused: [string, string][] = [
    ['SELECT * FROM WINDOWED WHERE WINDOWSTART <> 1;', 'Unsupported WINDOWSTART bounds: NOT_EQUAL. See https://cnfl.io/queries for more info.'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWEND = 1 AND WINDOWEND = 2;', 'Duplicate WINDOWEND bounds on: EQUAL.'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 1 AND 2 < WINDOWSTART;', 'Duplicate WINDOWSTART bounds on: GREATER_THAN.'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND 0 < WINDOWSTART AND WINDOWSTART = 1;', '`(WINDOWSTART = 1)` cannot be combined with other WINDOWSTART bounds.'],
  ];
  for (const [sql, message] of refused) {
    const r = await pull(sql);
    t.is(r.status, 400, sql);
    t.true(String(r.body.message).startsWith(message), `${sql}: ${r.body.message}`);
    t.regex(r.body.message, /limits the time bounds of the windowed table/);
  }
  // A lower and an upper bound on each column are one range each.
  const range = await pull('SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 0 AND WINDOWSTART < 20000 AND WINDOWEND > 0 AND WINDOWEND <= 20000;');
  t.is(range.status, 200);
  t.is(range.rows.length, 1);
});

test.serial('a pull query with table scans disabled needs a key lookup', async (t) => {
  const res = await request(`${h.url}/query`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: 'SELECT * FROM LATEST WHERE TOTAL > 1;', streamsProperties: { 'ksql.query.pull.table.scan.enabled': false } }),
  });
  t.is(res.status, 400);
  t.regex(res.body.message, /table scans can be enabled/);
  t.true(res.body.message.startsWith('WHERE clause missing key column for disjunct: (TOTAL > 1). See https://cnfl.io/queries for more info.\n'), res.body.message);
  // Each disjunct must fix the key by `=`; the message names the first one that does not, or the conjunct at fault.
  const refused: [string, string][] = [
    ['SELECT * FROM LATEST WHERE ID = 1 OR TOTAL > 1;', 'WHERE clause missing key column for disjunct: (TOTAL > 1).'],
    ['SELECT * FROM LATEST WHERE NAME IS NULL AND ID = 1 OR ID = 2;', 'Unsupported expression in WHERE clause: (NAME IS NULL).'],
    ["SELECT * FROM LATEST WHERE ID <> 2;", "Bound on key columns '[`ID` INTEGER KEY]' must currently be '='."],
    ['SELECT * FROM LATEST WHERE ID = TOTAL;', 'A comparison must be between a key column and a resolvable expression.'],
    ['SELECT * FROM LATEST WHERE 1 = 1;', 'A comparison must directly reference a key column.'],
  ];
  for (const [ksql, message] of refused) {
    const r = await request(`${h.url}/query`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ksql, streamsProperties: { 'ksql.query.pull.table.scan.enabled': false } }),
    });
    t.is(r.status, 400, ksql);
    t.true(String(r.body.message).startsWith(message), `${ksql}: ${r.body.message}`);
  }
  const lookup = await request(`${h.url}/query`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ksql: 'SELECT * FROM LATEST WHERE ID = 2;', streamsProperties: { 'ksql.query.pull.table.scan.enabled': false } }),
  });
  t.is(lookup.status, 200);
});

test.serial('a push query on a table streams its changes as they happen', async (t) => {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT ID, TOTAL FROM LATEST WHERE ID = 5 EMIT CHANGES LIMIT 2;' }));
  t.is(await res.status, 200);
  await res.lines(1);
  await runSql(h, "INSERT INTO EVENTS (ID, NAME, V) VALUES (5, 'e', 7);");
  await runSql(h, "INSERT INTO EVENTS (ID, NAME, V) VALUES (5, 'e', 8);");
  await res.ended;
  t.deepEqual(res.text().split('\n').slice(1, -1).map((l) => JSON.parse(l)), [[5, 7], [5, 15]]);
});

test.serial('the materialized store survives a restart: pull queries answer at once', async (t) => {
  const dataDir = makeDataDir();
  let first = await startServer(dataDir);
  await runSql(first, "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=3, VALUE_FORMAT='JSON');");
  await runSql(first, 'CREATE TABLE T AS SELECT K, MAX(V) AS M FROM S GROUP BY K;');
  await runSql(first, "INSERT INTO S (K, V) VALUES ('p', 3);");
  await runSql(first, "INSERT INTO S (K, V) VALUES ('q', 4);");
  t.true(await eventually(async () => (await pull("SELECT * FROM T;", first)).rows.length === 2, 20_000));
  await stopServer(first, false);
  first = await startServer(dataDir);
  try {
    t.deepEqual((await pull("SELECT M FROM T WHERE K = 'q';", first)).rows, [[4]]);
  } finally {
    await stopServer(first);
  }
});

test.serial('a row that leaves the table (a HAVING that stops passing) is deleted from the materialization', async (t) => {
  const created = await runSql(h, 'CREATE TABLE SMALL AS SELECT ID, SUM(V) AS TOTAL FROM EVENTS GROUP BY ID HAVING SUM(V) < 10;');
  t.is(created.status, 200, JSON.stringify(created.body));
  await runSql(h, "INSERT INTO EVENTS (ID, NAME, V) VALUES (6, 'f', 4);");
  t.true(await eventually(async () => (await pull('SELECT * FROM SMALL WHERE ID = 6;')).rows.length === 1));
  await runSql(h, "INSERT INTO EVENTS (ID, NAME, V) VALUES (6, 'f', 10);");
  t.true(await eventually(async () => (await pull('SELECT * FROM SMALL WHERE ID = 6;')).rows.length === 0));
  t.deepEqual((await pull('SELECT * FROM SMALL WHERE ID = 6;')).rows, []);
});
