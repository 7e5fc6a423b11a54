import test from 'ava';
import { prepareQuery } from '../../src/engine/push-query.js';
import { isSharedValues } from '../../src/engine/shared-push-outcomes.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';

function withStream(body: (node: EngineNode) => void): void {
  withTempEngine((node) => {
    node.engine.execute("CREATE STREAM S (ID INT KEY, N INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');");
    body(node);
  });
}

/** Starts a push query; its rows are the values arrays it is handed, as they are. */
function subscribe(node: EngineNode, sql: string) {
  const rows: (readonly unknown[])[] = [];
  const query = prepareQuery(node.engine, { sql, properties: {}, variables: new Map() }).start({ row: (values) => rows.push(values), end: () => {} });
  return { rows, query };
}

test('push queries of one shape on a stream each get every row from their own start, the values arrays shared between them', (t) => {
  withStream((node) => {
    const sql = 'SELECT ID, N * 2 AS TWICE FROM S WHERE N > 0 EMIT CHANGES;';
    const first = subscribe(node, sql);
    node.engine.execute('INSERT INTO S (ID, N) VALUES (1, 1);');
    node.scheduler.runUntilIdle();
    const second = subscribe(node, sql);
    node.engine.execute('INSERT INTO S (ID, N) VALUES (2, 2);');
    node.engine.execute('INSERT INTO S (ID, N) VALUES (3, 0);');
    node.engine.execute('INSERT INTO S (ID, N) VALUES (4, 4);');
    node.scheduler.runUntilIdle();
    t.deepEqual(first.rows, [[1, 2], [2, 4], [4, 8]]);
    t.deepEqual(second.rows, [[2, 4], [4, 8]]);
    t.true(first.rows.slice(1).every((values, i) => values === second.rows[i] && isSharedValues(values)));
    // Another shape has its own values.
    const other = subscribe(node, 'SELECT ID, N * 2 AS TWICE FROM S WHERE N > 1 EMIT CHANGES;');
    node.engine.execute('INSERT INTO S (ID, N) VALUES (5, 5);');
    node.scheduler.runUntilIdle();
    t.deepEqual(other.rows, [[5, 10]]);
    t.not(other.rows[0], first.rows[3]);
    for (const q of [first, second, other]) q.query.close();
  });
});

test('push queries calling a non-deterministic function compute their rows each', (t) => {
  withStream((node) => {
    const sql = 'SELECT ID, RANDOM() AS R FROM S EMIT CHANGES;';
    const first = subscribe(node, sql);
    const second = subscribe(node, sql);
    for (let id = 0; id < 5; id++) node.engine.execute(`INSERT INTO S (ID, N) VALUES (${id}, 1);`);
    node.scheduler.runUntilIdle();
    t.is(first.rows.length, 5);
    t.false(first.rows.some(isSharedValues));
    t.notDeepEqual(first.rows.map((r) => r[1]), second.rows.map((r) => r[1]));
    first.query.close();
    second.query.close();
  });
});

test('a record that a shape cannot read is logged by each of its push queries', (t) => {
  withStream((node) => {
    const sql = 'SELECT ID, N FROM S EMIT CHANGES;';
    const queries = [subscribe(node, sql), subscribe(node, sql)];
    node.broker.append('s', [{ key: null, value: Buffer.from('not json') }]);
    node.engine.execute('INSERT INTO S (ID, N) VALUES (1, 1);');
    node.scheduler.runUntilIdle();
    for (const q of queries) t.deepEqual(q.rows, [[1, 1]]);
    const logged = node.broker.read(node.engine.config.processingLogTopic, 0, 0, { maxRecords: 10 })
      .map((r) => (JSON.parse(r.value!.toString()) as { logger: string }).logger);
    t.is(logged.length, 2);
    t.is(new Set(logged).size, 2);
    for (const q of queries) q.query.close();
  });
});
