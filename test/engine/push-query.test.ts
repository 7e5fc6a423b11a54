import test from 'ava';
import type { PropertyValue } from '../../src/engine/config.js';
import { prepareQuery } from '../../src/engine/push-query.js';
import type { TransientEnd } from '../../src/runtime/transient-query.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';

/** Runs `body` on a fresh engine that has stream S, keyed by ID over three partitions. */
function withStream(body: (node: EngineNode) => void, properties: Record<string, PropertyValue> = {}): void {
  withTempEngine(
    (node) => {
      node.engine.execute("CREATE STREAM S (ID INT KEY, NAME STRING, N INT) WITH (KAFKA_TOPIC='s', PARTITIONS=3, VALUE_FORMAT='JSON');");
      body(node);
    },
    { properties },
  );
}

function run(node: EngineNode, sql: string, properties: Record<string, PropertyValue> = {}) {
  const rows: unknown[][] = [];
  const ends: TransientEnd[] = [];
  const prepared = prepareQuery(node.engine, { sql, properties, variables: new Map() });
  const query = prepared.start({ row: (values) => rows.push([...values]), end: (end) => ends.push(end) });
  return { prepared, query, rows, ends };
}

const insert = (node: EngineNode, id: number, name: string, n: number): void => {
  node.engine.execute(`INSERT INTO S (ID, NAME, N) VALUES (${id}, '${name}', ${n});`);
};

test('a push query delivers the rows appended after it starts, in SELECT order, and ends at its LIMIT', (t) => {
  withStream((node) => {
    insert(node, 1, 'old', 1);
    const { prepared, rows, ends } = run(node, 'SELECT NAME, N * 2 AS TWICE, ID FROM S WHERE N > 0 EMIT CHANGES LIMIT 2;');
    t.regex(prepared.id, /^transient_S_\d+$/);
    t.deepEqual(prepared.columns.map((c) => c.name), ['NAME', 'TWICE', 'ID']);
    node.scheduler.runUntilIdle();
    t.deepEqual(rows, []);
    insert(node, 2, 'skip', 0);
    insert(node, 3, 'a', 5);
    node.scheduler.runUntilIdle();
    t.deepEqual(rows, [['a', 10, 3]]);
    insert(node, 4, 'b', 6);
    insert(node, 5, 'c', 7);
    node.scheduler.runUntilIdle();
    t.is(rows.length, 2);
    t.deepEqual(ends, [{ kind: 'limit' }]);
    t.deepEqual(node.engine.listTransientQueries(), []);
  });
});

test('a push query writes nothing: no topic of its own appears', (t) => {
  withStream((node) => {
    const topics = node.broker.listTopics();
    const { query } = run(node, "SELECT * FROM S EMIT CHANGES;", { 'auto.offset.reset': 'earliest' });
    insert(node, 1, 'a', 1);
    node.scheduler.runUntilIdle();
    t.is(query.rowCount, 1);
    t.deepEqual(node.broker.listTopics(), topics);
    query.close();
  });
});

test('a paused query reads nothing until resumed; a closed one ends once', (t) => {
  withStream((node) => {
    const { query, rows, ends } = run(node, 'SELECT ID FROM S EMIT CHANGES;');
    query.pause();
    insert(node, 1, 'a', 1);
    node.scheduler.runUntilIdle();
    t.deepEqual(rows, []);
    query.resume();
    node.scheduler.runUntilIdle();
    t.deepEqual(rows, [[1]]);
    query.close();
    query.close();
    t.deepEqual(ends, [{ kind: 'closed' }]);
  });
});

test('a pull query on a stream scans every partition up to its end when it started, then completes', (t) => {
  withStream((node) => {
    for (let i = 0; i < 9; i++) insert(node, i, `n${i}`, i);
    const { prepared, rows, ends } = run(node, 'SELECT ID FROM S WHERE N >= 3;');
    t.true(prepared.isPull);
    insert(node, 100, 'late', 100);
    node.scheduler.runUntilIdle();
    t.deepEqual(rows.map((r) => r[0]).sort((a, b) => Number(a) - Number(b)), [3, 4, 5, 6, 7, 8]);
    t.deepEqual(ends, [{ kind: 'complete' }]);
  });
});

test('a pull query on an empty stream completes without rows', (t) => {
  withStream((node) => {
    const { rows, ends } = run(node, 'SELECT * FROM S;');
    node.scheduler.runUntilIdle();
    t.deepEqual(rows, []);
    t.deepEqual(ends, [{ kind: 'complete' }]);
  });
});

test('only one SELECT is accepted', (t) => {
  withStream((node) => {
    t.throws(() => prepareQuery(node.engine, { sql: 'SHOW STREAMS;', properties: {}, variables: new Map() }), { message: /not a query/ });
    t.throws(() => prepareQuery(node.engine, { sql: 'SELECT * FROM S; SELECT * FROM S;', properties: {}, variables: new Map() }), { message: /exactly one/ });
  });
});

test('push queries past ksql.max.push.queries are refused with 40003; scans are not counted', (t) => {
  withStream((node) => {
    const first = run(node, 'SELECT * FROM S EMIT CHANGES;');
    run(node, 'SELECT * FROM S EMIT CHANGES;');
    t.notThrows(() => run(node, 'SELECT * FROM S;'));
    const error = t.throws(() => run(node, 'SELECT * FROM S EMIT CHANGES;'));
    t.is((error as { errorCode?: number }).errorCode, 40003);
    first.query.close();
    t.notThrows(() => run(node, 'SELECT * FROM S EMIT CHANGES;'));
  }, { 'ksql.max.push.queries': 2 });
});

test('a push query over a join runs its whole topology: a repartition of the stream side, the table in a store, rows to the client', (t) => {
  withStream((node) => {
    node.engine.execute("CREATE TABLE T (LABEL STRING PRIMARY KEY, WEIGHT INT) WITH (KAFKA_TOPIC='t', PARTITIONS=3, VALUE_FORMAT='JSON');");
    node.engine.execute("INSERT INTO T (LABEL, WEIGHT) VALUES ('a', 10);");
    const before = node.broker.listTopics();
    const { prepared, rows, ends } = run(node, 'SELECT S.ID, T.LABEL, N * WEIGHT AS W FROM S JOIN T ON S.NAME = T.LABEL EMIT CHANGES LIMIT 3;',
      { 'auto.offset.reset': 'earliest' });
    t.regex(prepared.id, /^transient_S_\d+$/);
    t.deepEqual(prepared.columns.map((c) => c.name), ['ID', 'LABEL', 'W']);
    node.scheduler.runUntilIdle();
    const internal = node.broker.listTopics().filter((topic) => !before.includes(topic));
    t.true(internal.length > 0 && internal.every((topic) => topic.startsWith(`_confluent-ksql-${node.engine.config.serviceId}transient_${prepared.id}_`)), internal.join());
    t.true(internal.some((topic) => topic.endsWith('-Join-repartition')), internal.join());
    insert(node, 1, 'a', 2);
    insert(node, 2, 'b', 3);
    node.scheduler.runUntilIdle();
    node.engine.execute("INSERT INTO T (LABEL, WEIGHT) VALUES ('b', 100);");
    node.scheduler.runUntilIdle();
    insert(node, 3, 'b', 1);
    insert(node, 4, 'a', 1);
    node.scheduler.runUntilIdle();
    t.deepEqual(rows.map((r) => r.join()).sort(), ['1,a,20', '3,b,100', '4,a,10']);
    t.deepEqual(ends, [{ kind: 'limit' }]);
    t.deepEqual(node.engine.listTransientQueries(), []);
    t.deepEqual(node.broker.listTopics(), before, 'its internal topics are deleted once it ends');
  });
});

test('a push query over a foreign-key join of tables with different partition counts runs through its own subscription topics, partitioned as the plan says', (t) => {
  withStream((node) => {
    node.engine.execute(`CREATE TABLE L (L_ID INT PRIMARY KEY, FK STRING, NAME STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=3, VALUE_FORMAT='JSON');
      CREATE TABLE R (R_ID STRING PRIMARY KEY, CITY STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=2, VALUE_FORMAT='JSON');`);
    const before = node.broker.listTopics();
    const { prepared, rows, ends } = run(node, 'SELECT L_ID, NAME, CITY FROM L JOIN R ON FK = R_ID EMIT CHANGES LIMIT 3;', { 'auto.offset.reset': 'earliest' });
    node.scheduler.runUntilIdle();
    const partitions = (kind: string): number[] => node.broker.listTopics()
      .filter((topic) => topic.includes(`transient_${prepared.id}_`) && topic.endsWith(`-KTABLE-FK-JOIN-SUBSCRIPTION-${kind}-0000000000-topic`))
      .map((topic) => node.broker.describeTopic(topic).partitions.length);
    t.deepEqual(partitions('REGISTRATION'), [2], 'as the right table');
    t.deepEqual(partitions('RESPONSE'), [3], 'as the left table');
    for (const k of ['a', 'b', 'c']) node.engine.execute(`INSERT INTO R (R_ID, CITY) VALUES ('${k}', 'city-${k}');`);
    ['a', 'b', 'c'].forEach((k, i) => node.engine.execute(`INSERT INTO L (L_ID, FK, NAME) VALUES (${i}, '${k}', 'n${i}');`));
    node.scheduler.runUntilIdle();
    t.deepEqual(rows.map((r) => r.join()).sort(), ['0,n0,city-a', '1,n1,city-b', '2,n2,city-c']);
    t.deepEqual(ends, [{ kind: 'limit' }]);
    t.deepEqual(node.broker.listTopics(), before, 'its internal topics are deleted once it ends');
  });
});
