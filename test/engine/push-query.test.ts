import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig, type PropertyValue } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { prepareQuery } from '../../src/engine/push-query.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import type { TransientEnd } from '../../src/runtime/transient-query.js';
import { Scheduler } from '../../src/runtime/scheduler.js';

interface Node {
  readonly dir: string;
  readonly broker: EmbeddedBroker;
  readonly engine: KsqlEngine;
  readonly scheduler: Scheduler;
}

function open(properties: Record<string, PropertyValue> = {}): Node {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-push-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  const scheduler = new Scheduler();
  const engine = new KsqlEngine({ broker, config: new KsqlConfig(properties), functions: createFunctionRegistry(), scheduler });
  engine.execute("CREATE STREAM S (ID INT KEY, NAME STRING, N INT) WITH (KAFKA_TOPIC='s', PARTITIONS=3, VALUE_FORMAT='JSON');");
  return { dir, broker, engine, scheduler };
}

function close(node: Node): void {
  node.engine.close();
  node.broker.close();
  rmSync(node.dir, { recursive: true, force: true });
}

function run(node: Node, sql: string, properties: Record<string, PropertyValue> = {}) {
  const rows: unknown[][] = [];
  const ends: TransientEnd[] = [];
  const prepared = prepareQuery(node.engine, { sql, properties, variables: new Map() });
  const query = prepared.start({ row: (values) => rows.push([...values]), end: (end) => ends.push(end) });
  return { prepared, query, rows, ends };
}

const insert = (node: Node, id: number, name: string, n: number): void => {
  node.engine.execute(`INSERT INTO S (ID, NAME, N) VALUES (${id}, '${name}', ${n});`);
};

test('a push query delivers the rows appended after it starts, in SELECT order, and ends at its LIMIT', (t) => {
  const node = open();
  try {
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
  } finally {
    close(node);
  }
});

test('a push query writes nothing: no topic of its own appears', (t) => {
  const node = open();
  try {
    const topics = node.broker.listTopics();
    const { query } = run(node, "SELECT * FROM S EMIT CHANGES;", { 'auto.offset.reset': 'earliest' });
    insert(node, 1, 'a', 1);
    node.scheduler.runUntilIdle();
    t.is(query.rowCount, 1);
    t.deepEqual(node.broker.listTopics(), topics);
    query.close();
  } finally {
    close(node);
  }
});

test('a paused query reads nothing until resumed; a closed one ends once', (t) => {
  const node = open();
  try {
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
  } finally {
    close(node);
  }
});

test('a pull query on a stream scans every partition up to its end when it started, then completes', (t) => {
  const node = open();
  try {
    for (let i = 0; i < 9; i++) insert(node, i, `n${i}`, i);
    const { prepared, rows, ends } = run(node, 'SELECT ID FROM S WHERE N >= 3;');
    t.true(prepared.isPull);
    insert(node, 100, 'late', 100);
    node.scheduler.runUntilIdle();
    t.deepEqual(rows.map((r) => r[0]).sort((a, b) => Number(a) - Number(b)), [3, 4, 5, 6, 7, 8]);
    t.deepEqual(ends, [{ kind: 'complete' }]);
  } finally {
    close(node);
  }
});

test('a pull query on an empty stream completes without rows', (t) => {
  const node = open();
  try {
    const { rows, ends } = run(node, 'SELECT * FROM S;');
    node.scheduler.runUntilIdle();
    t.deepEqual(rows, []);
    t.deepEqual(ends, [{ kind: 'complete' }]);
  } finally {
    close(node);
  }
});

test('only one SELECT is accepted', (t) => {
  const node = open();
  try {
    t.throws(() => prepareQuery(node.engine, { sql: 'SHOW STREAMS;', properties: {}, variables: new Map() }), { message: /not a query/ });
    t.throws(() => prepareQuery(node.engine, { sql: 'SELECT * FROM S; SELECT * FROM S;', properties: {}, variables: new Map() }), { message: /exactly one/ });
  } finally {
    close(node);
  }
});

test('push queries past ksql.max.push.queries are refused with 40003; scans are not counted', (t) => {
  const node = open({ 'ksql.max.push.queries': 2 });
  try {
    const first = run(node, 'SELECT * FROM S EMIT CHANGES;');
    run(node, 'SELECT * FROM S EMIT CHANGES;');
    t.notThrows(() => run(node, 'SELECT * FROM S;'));
    const error = t.throws(() => run(node, 'SELECT * FROM S EMIT CHANGES;'));
    t.is((error as { errorCode?: number }).errorCode, 40003);
    first.query.close();
    t.notThrows(() => run(node, 'SELECT * FROM S EMIT CHANGES;'));
  } finally {
    close(node);
  }
});
