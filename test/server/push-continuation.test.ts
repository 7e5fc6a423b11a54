/** Beyond ksqlDB: a push query's continuation token, in a response header and in /query-stream lines, resumes it. */
import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';
import { postStreamHttp1 } from './stream-helpers.js';

const TOKEN = 'request.ksql.query.push.continuation.token';
const LINES = 'ksql.query.push.v2.continuation.tokens.enabled';

async function setUp(h: Harness): Promise<void> {
  await runSqlOrThrow(h, "CREATE STREAM EV (ID INT KEY, V INT) WITH (KAFKA_TOPIC='ev', PARTITIONS=2, VALUE_FORMAT='JSON');");
  await runSqlOrThrow(h, "CREATE STREAM OTHER (ID INT KEY, V INT) WITH (KAFKA_TOPIC='other', PARTITIONS=2, VALUE_FORMAT='JSON');");
}

async function insert(h: Harness, ids: readonly number[]): Promise<void> {
  for (const id of ids) await runSqlOrThrow(h, `INSERT INTO EV (ID, V) VALUES (${id}, ${id === 3 ? 'NULL' : id * 10});`);
}

interface Answer {
  readonly status: number;
  readonly header: string | null;
  readonly rows: unknown[];
  readonly tokens: string[];
  readonly body: string;
}

async function query(h: Harness, sql: string, properties: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${h.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql, properties }), headers: { 'content-type': 'application/json' } });
  const body = await res.text();
  const lines = body.trim().split('\n').slice(1).map((l) => JSON.parse(l));
  return {
    status: res.status,
    header: res.headers.get('ksql-continuation-token'),
    rows: lines.filter((l) => Array.isArray(l)),
    tokens: lines.filter((l) => !Array.isArray(l) && typeof l.continuationToken === 'string').map((l) => l.continuationToken as string),
    body,
  };
}

test('a client resumes after the last row it saw, each row once, also after a restart', async (t) => {
  await withTempDir(async (dataDir) => {
    let h = await startServer(dataDir);
    await setUp(h);
    await insert(h, [1, 2, 3, 4, 5, 6]);
    const first = await query(h, 'SELECT * FROM EV EMIT CHANGES LIMIT 4;', { 'auto.offset.reset': 'earliest', [LINES]: true });
    t.is(first.status, 200);
    t.is(first.rows.length, 4);
    // A token after each row, and a last one at the end.
    t.is(first.tokens.length, 5);
    t.truthy(first.header);
    // A client that read only two rows resumes after them.
    const afterTwo = first.tokens[1]!;
    const resumed = await query(h, 'SELECT * FROM EV EMIT CHANGES LIMIT 4;', { [TOKEN]: afterTwo });
    t.deepEqual(resumed.tokens, [], 'no token lines unless asked for');
    const all = (rows: unknown[]): string[] => rows.map((r) => JSON.stringify(r)).sort();
    t.deepEqual(all([...first.rows.slice(0, 2), ...resumed.rows]), all([[1, 10], [2, 20], [3, null], [4, 40], [5, 50], [6, 60]]));
    await stopServer(h, false);

    h = await startServer(dataDir);
    await insert(h, [7]);
    const last = await query(h, 'SELECT * FROM EV EMIT CHANGES LIMIT 1;', { [TOKEN]: first.tokens[4]!, [LINES]: true });
    const fromLast = all(last.rows);
    const seen = new Set(all(first.rows));
    t.true(fromLast.every((r) => !seen.has(r)), 'nothing the first query delivered comes again');
    await stopServer(h);
  });
});

test('the header token of a query that saw no rows resumes from where it started; bad tokens are refused', async (t) => {
  await withTempDir(async (dataDir) => {
    const h = await startServer(dataDir);
    await setUp(h);
    await insert(h, [1]);
    const started = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM EV EMIT CHANGES;', properties: { 'auto.offset.reset': 'latest' } }));
    t.is(await started.status, 200);
    const header = (await started.headers)['ksql-continuation-token'] as string;
    await started.lines(1);
    started.close();
    await insert(h, [8, 9]);
    const resumed = await query(h, 'SELECT * FROM EV EMIT CHANGES LIMIT 2;', { [TOKEN]: header });
    t.deepEqual(resumed.rows.map((r) => JSON.stringify(r)).sort(), ['[8,80]', '[9,90]']);

    const other = await query(h, 'SELECT * FROM OTHER EMIT CHANGES LIMIT 1;', { [TOKEN]: header });
    t.is(other.status, 400);
    t.regex(other.body, /continuation token is for a query reading topic 'ev', but this query reads 'other'/);
    const garbage = await query(h, 'SELECT * FROM EV EMIT CHANGES LIMIT 1;', { [TOKEN]: 'not-a-token' });
    t.is(garbage.status, 400);
    t.regex(garbage.body, /Invalid continuation token 'not-a-token'/);
    const pull = await query(h, 'SELECT * FROM EV;', { [TOKEN]: header });
    t.is(pull.status, 400);
    t.regex(pull.body, /A continuation token resumes a push query/);
    await stopServer(h);
  });
});
