import test from 'ava';
import { runSql, runSqlOrThrow, useServer } from './helpers.js';
import { eventually } from './stream-helpers.js';

const h = useServer({
  statements: [
    "CREATE STREAM SCORES (ID INT KEY, NAME STRING, PTS INT) WITH (KAFKA_TOPIC='scores', PARTITIONS=2, VALUE_FORMAT='JSON');",
    'CREATE TABLE BEST AS SELECT ID, LATEST_BY_OFFSET(NAME) AS NAME, MAX(PTS) AS TOP FROM SCORES GROUP BY ID;',
    'CREATE TABLE PER_WINDOW AS SELECT ID, COUNT(*) AS N FROM SCORES WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;',
  ],
  afterStart: async (started) => {
    const rows: [number, string | null, number | null, number][] = [
      [1, 'ann', 30, 1000], [2, 'bob', null, 2000], [3, 'cat', 10, 3000], [4, null, 30, 4000], [5, 'dan', 20, 15000],
    ];
    for (const [id, name, pts, ts] of rows) {
      await runSqlOrThrow(started, `INSERT INTO SCORES (ID, NAME, PTS, ROWTIME) VALUES (${id}, ${name === null ? 'NULL' : `'${name}'`}, ${pts ?? 'NULL'}, ${ts});`);
    }
    if (!(await eventually(async () => (await pull('SELECT * FROM BEST;')).rows.length === 5 && (await pull('SELECT * FROM PER_WINDOW;')).rows.length === 5, 20_000))) {
      throw new Error('the tables were not materialized in time');
    }
  },
});

async function pull(sql: string): Promise<{ status: number; rows: unknown[][]; body: any }> {
  const res = await fetch(`${h.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  const body = (await res.json()) as any;
  if (res.status !== 200) return { status: res.status, rows: [], body };
  return { status: res.status, rows: (body as any[]).filter((r) => r.row !== undefined).map((r) => r.row.columns), body };
}

const ids = async (sql: string): Promise<unknown[]> => (await pull(sql)).rows.map((r) => r[0]);

test('ORDER BY sorts a pull query on a table ascending or descending, NULLs last ascending and first descending, ties in read order', async (t) => {
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST ORDER BY TOP, ID;'), [3, 5, 1, 4, 2]);
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST ORDER BY TOP DESC, ID DESC;'), [2, 4, 1, 5, 3]);
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST ORDER BY TOP ASC NULLS FIRST, ID;'), [2, 3, 5, 1, 4]);
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST ORDER BY TOP DESC NULLS LAST, ID;'), [1, 4, 5, 3, 2]);
  t.deepEqual(await ids('SELECT ID, NAME FROM BEST ORDER BY NAME DESC;'), [4, 5, 3, 2, 1]);
  t.deepEqual(await ids('SELECT ID, TOP AS T FROM BEST ORDER BY 2 DESC NULLS LAST, 1 DESC;'), [4, 1, 5, 3, 2]);
});

test('LIMIT and OFFSET page through the sorted rows, and OFFSET works without ORDER BY', async (t) => {
  t.deepEqual(await ids('SELECT ID FROM BEST ORDER BY ID LIMIT 2;'), [1, 2]);
  t.deepEqual(await ids('SELECT ID FROM BEST ORDER BY ID LIMIT 2 OFFSET 2;'), [3, 4]);
  t.deepEqual(await ids('SELECT ID FROM BEST ORDER BY ID LIMIT 2 OFFSET 4;'), [5]);
  t.deepEqual(await ids('SELECT ID FROM BEST ORDER BY ID LIMIT 2 OFFSET 9;'), []);
  t.deepEqual(await ids('SELECT ID FROM BEST ORDER BY ID DESC LIMIT 0;'), []);
  t.is((await pull('SELECT ID FROM BEST LIMIT 10 OFFSET 3;')).rows.length, 2);
  t.is((await pull('SELECT ID FROM BEST WHERE ID IN (1, 2, 3) LIMIT 1 OFFSET 1;')).rows.length, 1);
});

test('key lookups of one shape with other keys and offsets keep their own ORDER BY and OFFSET (the pull-query cache)', async (t) => {
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST WHERE ID IN (1, 3, 5) ORDER BY TOP DESC LIMIT 2 OFFSET 1;'), [5, 3]);
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST WHERE ID IN (1, 2, 5) ORDER BY TOP DESC LIMIT 2 OFFSET 1;'), [1, 5]);
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST WHERE ID IN (1, 2, 5) ORDER BY TOP DESC LIMIT 2 OFFSET 2;'), [5]);
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST WHERE ID IN (1, 2, 5) ORDER BY TOP ASC LIMIT 2 OFFSET 2;'), [2]);
});

test('ORDER BY sorts windowed tables by their window bounds, key lookups, and pull queries on streams', async (t) => {
  const windows = (await pull('SELECT * FROM PER_WINDOW ORDER BY WINDOWSTART DESC, ID LIMIT 2;')).rows;
  t.deepEqual(windows.map((r) => [r[0], r[1]]), [[5, 10000], [1, 0]]);
  t.deepEqual(await ids('SELECT ID, TOP FROM BEST WHERE ID IN (3, 1, 5) ORDER BY TOP DESC;'), [1, 5, 3]);
  t.deepEqual(await ids('SELECT ID, PTS FROM SCORES ORDER BY PTS DESC NULLS LAST, ID LIMIT 3 OFFSET 1;'), [4, 5, 3]);
  const viaStream = await fetch(`${h.url}/query-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT ID FROM SCORES ORDER BY ID DESC LIMIT 2;' }) });
  const lines = (await viaStream.text()).trim().split('\n').map((l) => JSON.parse(l) as unknown);
  t.deepEqual(lines.slice(1), [[5], [4]]);
});

test('ORDER BY and OFFSET are refused on push and persistent queries, and on what is not a sortable result column', async (t) => {
  const push = await pull('SELECT ID FROM SCORES EMIT CHANGES ORDER BY ID;');
  t.is(push.status, 400);
  t.regex(push.body.message, /ORDER BY is only supported in pull queries/);
  const pushOffset = await pull('SELECT ID FROM SCORES EMIT CHANGES LIMIT 1 OFFSET 1;');
  t.regex(pushOffset.body.message, /OFFSET is only supported in pull queries/);
  const persistent = await runSql(h, 'CREATE STREAM SORTED AS SELECT * FROM SCORES ORDER BY PTS;');
  t.is(persistent.status, 400);
  t.regex(persistent.body.message, /ORDER BY is only supported in pull queries/);
  const notSelected = await pull('SELECT ID FROM BEST ORDER BY TOP;');
  t.regex(notSelected.body.message, /ORDER BY in a pull query sorts by columns of its result.*TOP is not one of them \(ID\)/);
  t.regex((await pull('SELECT ID FROM BEST ORDER BY 2;')).body.message, /2 is not one of them/);
  t.regex((await pull('SELECT ID, ARRAY[TOP] AS A FROM BEST ORDER BY A;')).body.message, /cannot sort by A: values of type ARRAY<INTEGER> have no order/);
});

test('ORDER, ASC, DESC, NULLS, FIRST, LAST and OFFSET stay usable as names', async (t) => {
  await runSqlOrThrow(h, "CREATE STREAM ORDER (OFFSET INT KEY, FIRST STRING, LAST STRING, ASC INT, DESC INT, NULLS INT) WITH (KAFKA_TOPIC='order', PARTITIONS=1, VALUE_FORMAT='JSON');");
  await runSqlOrThrow(h, "INSERT INTO ORDER (OFFSET, FIRST, ASC) VALUES (1, 'x', 2);");
  await runSqlOrThrow(h, "INSERT INTO ORDER (OFFSET, FIRST, ASC) VALUES (2, 'y', 1);");
  t.deepEqual((await pull('SELECT OFFSET, FIRST, ASC FROM ORDER ORDER BY ASC LIMIT 5 OFFSET 0;')).rows, [[2, 'y', 1], [1, 'x', 2]]);
  t.deepEqual((await pull('SELECT O.OFFSET FROM ORDER O ORDER BY OFFSET DESC;')).rows, [[2], [1]]);
});
