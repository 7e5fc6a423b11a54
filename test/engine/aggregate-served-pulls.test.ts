/**
 * A CREATE TABLE AS over an aggregation keeps one store, the aggregate's (as
 * ksqlDB does): pull queries read it through the query's HAVING and
 * projection, by key, by scan and by window bounds, also after a restart on
 * the same data directory. Plans logged before (TableSink version 1) keep
 * writing and reading the sink's materialization.
 */
import test from 'ava';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { prepareQuery } from '../../src/engine/push-query.js';
import type { TransientEnd } from '../../src/runtime/transient-query.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, type EngineNode } from '../helpers/temp-engine.js';

function pull(node: EngineNode, sql: string): unknown[][] {
  const rows: unknown[][] = [];
  let end: TransientEnd | undefined;
  prepareQuery(node.engine, { sql, properties: {}, variables: new Map() }).start({ row: (values) => rows.push([...values]), end: (e) => (end = e) });
  if (end?.kind !== 'complete') throw new Error(`the pull query ended ${JSON.stringify(end)}: ${String((end as { error?: Error } | undefined)?.error?.message)}`);
  return rows;
}

/** The names of the stores of `query` that hold rows. */
function storesWithRows(dir: string, query: string): string[] {
  const db = new Database(join(dir, 'ksqlite.db'), { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('state_kv', 'state_windows', 'state_time_windows')").all() as { name: string }[]).map((t) => t.name);
    const names = new Set<string>();
    for (const table of tables) {
      for (const { name } of db.prepare(`SELECT DISTINCT s.name AS name FROM state_stores s JOIN ${table} t ON t.store = s.id WHERE s.query = ?`).all(query) as { name: string }[]) names.add(name);
    }
    return [...names].sort();
  } finally {
    db.close();
  }
}

const STREAM = "CREATE STREAM CLICKS (ID STRING KEY, N INT) WITH (KAFKA_TOPIC='clicks', PARTITIONS=2, VALUE_FORMAT='JSON');";

function insertClicks(node: EngineNode): void {
  const clicks: [string, number, number][] = [['a', 1, 1000], ['a', 2, 2000], ['b', 5, 3000], ['a', 4, 11000], ['c', 1, 12000], ['b', 1, 21000]];
  for (const [id, n, time] of clicks) node.engine.execute(`INSERT INTO CLICKS (ID, N, ROWTIME) VALUES ('${id}', ${n}, ${time});`);
  node.scheduler.runUntilIdle();
}

/** The pulls of the windowed table W and the plain table P, and what they answer. */
const PULLS: readonly [string, unknown[][]][] = [
  ["SELECT * FROM W WHERE ID = 'a';", [['a', 0n, 10000n, 2n, 'x6'], ['a', 10000n, 20000n, 1n, 'x8']]],
  ["SELECT ID, WINDOWSTART, TOTAL FROM W WHERE ID = 'a' AND WINDOWSTART >= 10000;", [['a', 10000n, 'x8']]],
  ['SELECT ID, WINDOWSTART, C FROM W WHERE WINDOWEND <= 20000 ORDER BY ID, WINDOWSTART;', [['a', 0n, 2n], ['a', 10000n, 1n], ['b', 0n, 1n], ['c', 10000n, 1n]]],
  ["SELECT * FROM W WHERE ID = 'b';", [['b', 0n, 10000n, 1n, 'x10'], ['b', 20000n, 30000n, 1n, 'x2']]],
  // HAVING SUM(N) > 2 leaves c out; the projection doubles the sum.
  ['SELECT * FROM P ORDER BY ID;', [['a', 3n, 14], ['b', 2n, 12]]],
  ["SELECT * FROM P WHERE ID = 'c';", []],
  ["SELECT ID, DOUBLED FROM P WHERE ID IN ('a', 'b') ORDER BY ID;", [['a', 14], ['b', 12]]],
];

test('a windowed and a plain aggregation keep only their aggregate store, and pull queries read it through HAVING and the projection, also after a restart', (t) =>
  withTempDir((dir) => {
    let node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest' } });
    try {
      node.engine.execute(STREAM);
      node.engine.execute("CREATE TABLE W AS SELECT ID, COUNT(*) AS C, 'x' + CAST(SUM(N) * 2 AS STRING) AS TOTAL FROM CLICKS WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;");
      node.engine.execute('CREATE TABLE P AS SELECT ID, COUNT(*) AS C, SUM(N) * 2 AS DOUBLED FROM CLICKS GROUP BY ID HAVING SUM(N) > 2;');
      insertClicks(node);
      for (const [sql, rows] of PULLS) t.deepEqual(pull(node, sql), rows, sql);
    } finally {
      closeEngine(node);
    }
    t.deepEqual(storesWithRows(dir, 'CTAS_W_0'), ['Aggregate-Materialize', 'StreamTime']);
    t.deepEqual(storesWithRows(dir, 'CTAS_P_1'), ['Aggregate-Materialize']);
    node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest' } });
    try {
      node.scheduler.runUntilIdle();
      for (const [sql, rows] of PULLS) t.deepEqual(pull(node, sql), rows, `after the restart: ${sql}`);
    } finally {
      closeEngine(node);
    }
  }));

test('aggregations of a command log written before (TableSink version 1) keep their sink materialization, which pull queries read, also after a restart', (t) =>
  withTempDir((dir) => {
    const file = fileURLToPath(new URL('../../../test/fixtures/command-logs/v2/queries.jsonl', import.meta.url));
    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
    const broker = openEmbeddedBroker({ dataDir: dir });
    for (const topic of ['s', 't', 'BIG', 'COUNTS', 'NAMED', 'PER_MINUTE']) broker.createTopic(topic, { partitions: 2 });
    broker.createTopic('_confluent-ksql-default__command_topic', { partitions: 1, config: { 'retention.ms': -1 } });
    broker.append('_confluent-ksql-default__command_topic', lines.map((line) => ({ key: null, value: Buffer.from(line), partition: 0 })));
    broker.close();
    const expected: [string, unknown[][]][] = [
      ["SELECT * FROM COUNTS WHERE B = 'xa';", [['xa', 2n, 12]]],
      ['SELECT * FROM PER_MINUTE WHERE ID = 1;', [[1, 0n, 60000n, 2n]]],
    ];
    for (const round of ['first run', 'after a restart']) {
      const node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest' } });
      try {
        if (round === 'first run') {
          node.engine.execute("INSERT INTO S (ID, A, B, ROWTIME) VALUES (1, 5, 'xa', 1000); INSERT INTO S (ID, A, B, ROWTIME) VALUES (1, 7, 'xa', 3000);");
        }
        node.scheduler.runUntilIdle();
        for (const [sql, rows] of expected) t.deepEqual(pull(node, sql), rows, `${round}: ${sql}`);
      } finally {
        closeEngine(node);
      }
    }
    t.true(storesWithRows(dir, 'CTAS_COUNTS_1').includes('Sink-Materialize'));
    t.true(storesWithRows(dir, 'CTAS_PER_MINUTE_3').includes('Sink-Materialize'));
  }));
