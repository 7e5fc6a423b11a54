/** Beyond ksqlDB: CREATE STREAM ... AS SELECT ... FROM a table EMIT CHANGES, each change with BEFORE and AFTER. */
import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { runSql, runSqlOrThrow, startServer, stopServer, useServer, type Harness } from './helpers.js';
import { postStreamHttp1 } from './stream-helpers.js';

const CREATE_T = "CREATE TABLE T (ID INT PRIMARY KEY, NAME STRING, N INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');";

/** The first `count` rows of `stream` from its start, by /query-stream. */
async function rowsOf(h: Harness, stream: string, count: number): Promise<unknown[]> {
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({
    sql: `SELECT * FROM ${stream} EMIT CHANGES LIMIT ${count};`, properties: { 'auto.offset.reset': 'earliest' },
  }));
  await res.ended;
  return res.text().trim().split('\n').slice(1).map((l) => JSON.parse(l));
}

/** Deletes key `id` of T with a tombstone written to its topic, as a producer would. */
function deleteKey(h: Harness, id: number): void {
  const key = Buffer.alloc(4);
  key.writeInt32BE(id);
  h.server.broker.append('t', [{ key, value: null, timestamp: Date.now() }]);
}

test('each change of the table is a row with the row before and after it, across a restart', async (t) => {
  await withTempDir(async (dataDir) => {
    let h = await startServer(dataDir);
    await runSqlOrThrow(h, CREATE_T);
    await runSqlOrThrow(h, 'CREATE STREAM CH AS SELECT * FROM T EMIT CHANGES;');
    const describe = await runSqlOrThrow(h, 'DESCRIBE CH;');
    t.deepEqual(describe.body[0].sourceDescription.fields.map((f: any) => [f.name, f.schema.type]), [['ID', 'INTEGER'], ['BEFORE', 'STRUCT'], ['AFTER', 'STRUCT']]);
    await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (1, 'a', 1);");
    await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (1, 'b', NULL);");
    await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (2, 'c', 3);");
    deleteKey(h, 1);
    // Deleting a key the table does not hold changes nothing: no row.
    deleteKey(h, 9);
    await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (3, NULL, NULL);");
    t.deepEqual(await rowsOf(h, 'CH', 5), [
      [1, null, { NAME: 'a', N: 1 }],
      [1, { NAME: 'a', N: 1 }, { NAME: 'b', N: null }],
      [2, null, { NAME: 'c', N: 3 }],
      [1, { NAME: 'b', N: null }, null],
      [3, null, { NAME: null, N: null }],
    ]);
    await stopServer(h, false);

    h = await startServer(dataDir);
    await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (2, 'd', 4);");
    t.deepEqual((await rowsOf(h, 'CH', 6)).slice(5), [[2, { NAME: 'c', N: 3 }, { NAME: 'd', N: 4 }]]);
    await stopServer(h);
  });
});

const h = useServer({
  statements: [CREATE_T, "CREATE STREAM EV (ID INT KEY, V INT) WITH (KAFKA_TOPIC='ev', PARTITIONS=1, VALUE_FORMAT='JSON');"],
});

test('a projection and a filter apply to both sides; a row leaving the filter has a NULL AFTER', async (t) => {
  await runSqlOrThrow(h, 'CREATE STREAM BIG AS SELECT ID, N * 10 AS TEN FROM T WHERE N > 1 EMIT CHANGES;');
  await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (5, 'x', 2);");
  await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (5, 'x', 0);");
  await runSqlOrThrow(h, "INSERT INTO T (ID, NAME, N) VALUES (5, 'x', 3);");
  t.deepEqual(await rowsOf(h, 'BIG', 3), [[5, null, { TEN: 20 }], [5, { TEN: 20 }, null], [5, null, { TEN: 30 }]]);
});

test('without EMIT CHANGES a stream from a table is refused as ksqlDB refuses it', async (t) => {
  const res = await runSql(h, 'CREATE STREAM NOPE AS SELECT * FROM T;');
  t.is(res.status, 400);
  t.regex(res.body.message, /Invalid result type\. Your SELECT query produces a TABLE/);
});

test('the changes of an aggregation are refused, with the way to get them', async (t) => {
  const res = await runSql(h, 'CREATE STREAM AGG AS SELECT ID, COUNT(*) AS C FROM EV GROUP BY ID EMIT CHANGES;');
  t.is(res.status, 400);
  t.regex(res.body.message, /reads a table, not an aggregation: create the aggregation as a table first/);
});
