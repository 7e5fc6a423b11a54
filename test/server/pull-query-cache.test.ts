import test from 'ava';
import { pullQueryCache } from '../../src/engine/pull-query-cache.js';
import { request, runSql, startServer, stopServer, type Harness } from './helpers.js';
import { readTopic } from '../helpers/read-topic.js';

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

let h: Harness;
test.before(async () => {
  h = await startServer();
  for (const sql of [
    "CREATE STREAM EVENTS (ID INT KEY, NAME STRING, V BIGINT) WITH (KAFKA_TOPIC='events', PARTITIONS=2, VALUE_FORMAT='JSON');",
    'CREATE TABLE LATEST AS SELECT ID, LATEST_BY_OFFSET(NAME) AS NAME, SUM(V) AS TOTAL FROM EVENTS GROUP BY ID;',
    'CREATE TABLE BYNAME AS SELECT NAME, COUNT(*) AS N FROM EVENTS GROUP BY NAME;',
    'CREATE TABLE WINDOWED AS SELECT ID, COUNT(*) AS N FROM EVENTS WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;',
    "CREATE TABLE BYTWO WITH (KEY_FORMAT='JSON') AS SELECT ID, NAME, SUM(V) AS TOTAL FROM EVENTS GROUP BY ID, NAME;",
  ]) {
    const res = await runSql(h, sql);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  }
  for (const [id, name, v, ts] of [[1, 'a', 10, 1000], [2, 'b', 20, 2000], [3, 'c', 30, 3000], [1, 'a', 5, 4000], [4, "it's", 40, 15000]] as const) {
    const res = await runSql(h, `INSERT INTO EVENTS (ID, NAME, V, ROWTIME) VALUES (${id}, '${name.replace(/'/g, "''")}', ${v}, ${ts});`);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  }
  const ready = await eventually(async () => (await pull('SELECT * FROM LATEST;')).rows.length === 4
    && (await pull('SELECT * FROM BYNAME;')).rows.length === 4 && (await pull('SELECT * FROM WINDOWED;')).rows.length === 4
    && (await pull('SELECT * FROM BYTWO;')).rows.length === 4);
  if (!ready) throw new Error('the tables were not materialized in time');
});
test.after.always(async () => {
  await stopServer(h);
});

interface Answer {
  status: number;
  schema?: string;
  rows: unknown[][];
  error?: unknown;
}

async function pull(sql: string, properties: Record<string, unknown> = {}): Promise<Answer> {
  const res = await request(`${h.url}/query`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql, streamsProperties: properties }),
  });
  if (res.status !== 200) return { status: res.status, rows: [], error: res.body };
  const [header, ...rest] = res.body as any[];
  return { status: res.status, schema: header.header.schema, rows: rest.filter((r) => r.row !== undefined).map((r) => r.row.columns) };
}

const cache = () => pullQueryCache(h.server.engine);

/** What `probe` answers on its own, and after `first` has left its shape in the cache: they must agree. */
async function compare(first: string, probe: string): Promise<{ fresh: Answer; cached: Answer }> {
  cache().clear();
  const fresh = await pull(probe);
  cache().clear();
  await pull(first);
  const cached = await pull(probe);
  return { fresh, cached };
}

test.serial('a cached shape answers each statement with its own literals', async (t) => {
  cache().clear();
  const before = cache().hits;
  t.deepEqual((await pull('SELECT * FROM LATEST WHERE ID = 1;')).rows, [[1, 'a', 15]]);
  t.deepEqual((await pull('SELECT * FROM LATEST WHERE ID = 2;')).rows, [[2, 'b', 20]]);
  t.deepEqual((await pull('SELECT * FROM LATEST WHERE ID = 9;')).rows, []);
  t.deepEqual((await pull("SELECT N FROM BYNAME WHERE NAME = 'a';")).rows, [[2]]);
  t.deepEqual((await pull("SELECT N FROM BYNAME WHERE NAME = 'it''s';")).rows, [[1]]);
  t.deepEqual((await pull('SELECT ID, TOTAL FROM LATEST WHERE ID IN (3, 1, 3);')).rows.sort(), [[1, 15], [3, 30]]);
  t.deepEqual((await pull('SELECT ID, TOTAL FROM LATEST WHERE ID IN (2, 4, 2);')).rows.sort(), [[2, 20], [4, 40]]);
  t.is(cache().hits - before, 4);
});

test.serial('a cached shape gives the same answers and errors as the full path', async (t) => {
  const pairs: [string, string][] = [
    ['SELECT * FROM LATEST WHERE ID = 1;', 'SELECT * FROM LATEST WHERE ID = 3;'],
    ['SELECT * FROM LATEST WHERE ID = 1;', 'SELECT * FROM LATEST WHERE ID = 5000000000;'],
    ['SELECT * FROM LATEST WHERE ID = 1;', "SELECT * FROM LATEST WHERE ID = '2';"],
    ['SELECT * FROM LATEST WHERE ID = 1;', 'SELECT * FROM LATEST WHERE ID = 99999999999999999999;'],
    ['SELECT * FROM LATEST WHERE ID = 1;', 'SELECT * FROM LATEST WHERE ID = 2.0;'],
    ['SELECT * FROM LATEST WHERE ID = 1 AND ID = 2;', 'SELECT * FROM LATEST WHERE ID = 2 AND ID = 2;'],
    ['SELECT * FROM LATEST WHERE ID = 1 LIMIT 1;', 'SELECT * FROM LATEST WHERE ID = 1 LIMIT 0;'],
    ['SELECT ID, TOTAL + 1 AS T FROM LATEST WHERE ID = 1;', 'SELECT ID, TOTAL + 2 AS T FROM LATEST WHERE ID = 3;'],
    ['SELECT * FROM WINDOWED WHERE ID = 1;', 'SELECT * FROM WINDOWED WHERE ID = 4;'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 0;', 'SELECT * FROM WINDOWED WHERE ID = 4 AND WINDOWSTART >= 10000;'],
    ['SELECT * FROM LATEST WHERE ID = 1 AND TOTAL > 1;', 'SELECT * FROM LATEST WHERE ID = 2 AND TOTAL > 100;'],
    ["SELECT * FROM BYNAME WHERE NAME = 'a';", "SELECT * FROM BYNAME WHERE NAME = 'zz';"],
    ['SELECT * FROM LATEST WHERE ID = 1;', 'SELECT * FROM LATEST WHERE ID = 1; SELECT * FROM LATEST WHERE ID = 2;'],
    ['SELECT * FROM LATEST WHERE ID = 1;', 'SELECT * FROM LATEST WHERE ID = 1 EMIT;'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 0;', 'SELECT * FROM WINDOWED WHERE ID = 4 AND 10000 >= WINDOWSTART;'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 0;', 'SELECT * FROM WINDOWED WHERE ID = 4 AND WINDOWSTART >= 5000000000;'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWEND = 10000;', 'SELECT * FROM WINDOWED WHERE ID = 4 AND WINDOWEND = 20000;'],
    ['SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWEND < 10000;', 'SELECT * FROM WINDOWED WHERE ID = 4 AND WINDOWEND < 20001;'],
    // One key column of two is no key lookup: the restriction stays a filter.
    ['SELECT * FROM BYTWO WHERE ID = 1;', 'SELECT * FROM BYTWO WHERE ID = 3;'],
    ["SELECT * FROM BYTWO WHERE ID = 1 AND NAME = 'a';", "SELECT * FROM BYTWO WHERE ID = 3 AND NAME = 'c';"],
  ];
  for (const [first, probe] of pairs) {
    const { fresh, cached } = await compare(first, probe);
    t.deepEqual(cached, fresh, `${probe} after ${first}`);
  }
  // The probes really ran from a template where they could.
  cache().clear();
  await pull('SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 0;');
  const hits = cache().hits;
  t.deepEqual((await pull('SELECT * FROM WINDOWED WHERE ID = 4 AND WINDOWSTART >= 0;')).rows, [[4, 10000, 20000, 1]]);
  t.is(cache().hits, hits + 1);
});

test.serial('window bounds compared with integers are parameters of a cached shape', async (t) => {
  cache().clear();
  await pull('SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 0 AND WINDOWEND <= 10000;');
  const hits = cache().hits;
  t.deepEqual((await pull('SELECT * FROM WINDOWED WHERE ID = 4 AND WINDOWSTART >= 10000 AND WINDOWEND <= 20000;')).rows, [[4, 10000, 20000, 1]]);
  t.deepEqual((await pull('SELECT * FROM WINDOWED WHERE ID = 4 AND WINDOWSTART >= 10001 AND WINDOWEND <= 20000;')).rows, []);
  t.deepEqual((await pull('SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 0 AND WINDOWEND <= 10000;')).rows, [[1, 0, 10000, 2]]);
  t.is(cache().hits, hits + 3);
});

test.serial('window start bounds of a cached shape read the windows they allow, from tumbling, hopping and session tables alike', async (t) => {
  await runSql(h, "CREATE STREAM SPREAD (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='spread', PARTITIONS=2, VALUE_FORMAT='JSON');");
  const tables = ['WINDOW TUMBLING (SIZE 10 SECONDS)', 'WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 10 SECONDS)', 'WINDOW SESSION (5 SECONDS)'];
  for (const [i, window] of tables.entries()) {
    t.is((await runSql(h, `CREATE TABLE SPREAD_${i} AS SELECT ID, COUNT(*) AS N FROM SPREAD ${window} GROUP BY ID;`)).status, 200);
  }
  // Key 1 in the windows starting at 0, 10000, 20000 and 30000 (tumbling and hopping: none starts before 0), in four sessions; key 2 in the first.
  for (const [id, ts] of [[1, 500], [1, 10500], [1, 20500], [1, 30500], [2, 600]]) {
    t.is((await runSql(h, `INSERT INTO SPREAD (ID, V, ROWTIME) VALUES (${id}, 1, ${ts});`)).status, 200);
  }
  t.true(await eventually(async () => {
    for (const i of tables.keys()) if ((await pull(`SELECT * FROM SPREAD_${i} WHERE ID = 1;`)).rows.length !== 4) return false;
    return true;
  }));
  // The window starts each WHERE gives, in the tumbling, hopping and session table.
  const cases: [string, number[], number[], number[]][] = [
    ['WINDOWSTART >= 10000', [10000, 20000, 30000], [10000, 20000, 30000], [10500, 20500, 30500]],
    ['WINDOWSTART > 10000', [20000, 30000], [20000, 30000], [10500, 20500, 30500]],
    ['WINDOWSTART < 20000', [0, 10000], [0, 10000], [500, 10500]],
    ['WINDOWSTART <= 20000', [0, 10000, 20000], [0, 10000, 20000], [500, 10500]],
    ['WINDOWSTART = 20000', [20000], [20000], []],
    ['WINDOWSTART = 20500', [], [], [20500]],
    ['WINDOWSTART >= 10000 AND WINDOWSTART < 30000', [10000, 20000], [10000, 20000], [10500, 20500]],
    ['WINDOWSTART > 10001 AND WINDOWSTART <= 30000', [20000, 30000], [20000, 30000], [10500, 20500]],
    ['WINDOWSTART >= 30000 AND WINDOWSTART < 10000', [], [], []],
    ['10000 < WINDOWSTART AND WINDOWEND <= 40000', [20000, 30000], [20000], [10500, 20500, 30500]],
  ];
  for (const i of tables.keys()) {
    for (const [where, ...expected] of cases) {
      const probe = `SELECT * FROM SPREAD_${i} WHERE ID = 1 AND ${where};`;
      const { fresh, cached } = await compare(probe.replace('ID = 1', 'ID = 2'), probe);
      t.deepEqual(cached, fresh, probe);
      t.deepEqual(cached.rows.map((r) => r[1]), expected[i], probe);
    }
  }
});

test.serial('queries of one cached shape log processing errors under their own ids', async (t) => {
  cache().clear();
  const logTopic = h.server.engine.config.processingLogTopic;
  const loggers = (): string[] => (h.server.broker.hasTopic(logTopic) ? readTopic(h.server.broker, logTopic) : [])
    .map((r) => JSON.parse(String(r.value)).logger as string).filter((l) => l.includes('Project'));
  const before = loggers().length;
  t.deepEqual((await pull('SELECT ID, TOTAL / 0 AS Q FROM LATEST WHERE ID = 1;')).rows, [[1, null]]);
  t.deepEqual((await pull('SELECT ID, TOTAL / 0 AS Q FROM LATEST WHERE ID = 2;')).rows, [[2, null]]);
  const names = loggers().slice(before);
  t.is(names.length, 2);
  t.not(names[0], names[1]);
  t.true(cache().hits >= 1);
});

test.serial('the same statement with different session variables answers each', async (t) => {
  cache().clear();
  const withVariable = async (id: number): Promise<unknown[][]> => {
    const res = await request(`${h.url}/query-stream`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ sql: 'SELECT * FROM LATEST WHERE ID = ${id};', sessionVariables: { id } }),
    });
    return (res.body as unknown[][]).slice(1);
  };
  t.deepEqual(await withVariable(1), [[1, 'a', 15]]);
  t.deepEqual(await withVariable(3), [[3, 'c', 30]]);
});

test.serial('a DROP and CREATE between two statements of one shape is seen', async (t) => {
  await runSql(h, "CREATE STREAM OTHER (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='other', PARTITIONS=2, VALUE_FORMAT='JSON');");
  const earliest = { streamsProperties: { 'auto.offset.reset': 'earliest' } };
  t.is((await runSql(h, 'CREATE TABLE SWAPPED AS SELECT ID, SUM(V) AS X FROM EVENTS GROUP BY ID;', earliest)).status, 200);
  t.true(await eventually(async () => (await pull('SELECT * FROM SWAPPED WHERE ID = 1;')).rows.length === 1));
  t.deepEqual((await pull('SELECT * FROM SWAPPED WHERE ID = 1;')).rows, [[1, 15]]);
  const queryId = h.server.engine.metastore.getSource('SWAPPED')!.writerQueryId!;
  t.is((await runSql(h, `TERMINATE ${queryId};`)).status, 200);
  t.is((await runSql(h, 'DROP TABLE SWAPPED;')).status, 200);
  const gone = await pull('SELECT * FROM SWAPPED WHERE ID = 2;');
  t.is(gone.status, 400);
  const created = await runSql(h, 'CREATE TABLE SWAPPED AS SELECT ID, COUNT(*) AS X FROM OTHER GROUP BY ID;');
  t.is(created.status, 200, JSON.stringify(created.body));
  t.is((await runSql(h, 'INSERT INTO OTHER (ID, V) VALUES (2, 7);')).status, 200);
  t.true(await eventually(async () => (await pull('SELECT * FROM SWAPPED WHERE ID = 2;')).rows.length === 1));
  t.deepEqual((await pull('SELECT * FROM SWAPPED WHERE ID = 2;')).rows, [[2, 1]]);
  t.deepEqual((await pull('SELECT * FROM SWAPPED WHERE ID = 1;')).rows, []);
});

test.serial('the same statement with different properties is planned for each', async (t) => {
  cache().clear();
  const scan = 'SELECT * FROM LATEST WHERE TOTAL > 25;';
  t.deepEqual((await pull(scan)).rows.sort(), [[3, 'c', 30], [4, "it's", 40]]);
  const refused = await pull(scan, { 'ksql.query.pull.table.scan.enabled': false });
  t.is(refused.status, 400);
  t.regex(String((refused.error as any).message), /table scans can be enabled/);
  t.deepEqual((await pull(scan)).rows.sort(), [[3, 'c', 30], [4, "it's", 40]]);
});

test.serial('the cache holds a bounded number of shapes', async (t) => {
  cache().clear();
  for (let i = 0; i < 1100; i++) await pull(`SELECT ID AS C${i} FROM LATEST WHERE ID = 1;`);
  t.true(cache().size <= 1000);
  t.true(cache().size >= 900);
});
