import test from 'ava';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { brokerCommandTopic, brokerTaskLog, brokerTopicStore, openEmbeddedBroker, type CommitPositions, type EmbeddedBroker, type TaskLog } from '../../src/broker/index.js';
import { KsqlConfig, type PropertyValue } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { committedInputOf } from '../../src/runtime/committed-input.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, type EngineNode } from '../helpers/temp-engine.js';

const STORE = 'T-Source-Materialize';

function sums(broker: EmbeddedBroker): string[] {
  return broker.read('SUMS', 0, 0, { maxRecords: 1000 }).map((r) => `${r.key!.toString()}=${r.value === null ? 'null' : r.value.toString()}`);
}

/** The rows of the table source's store as [key, value hex], read straight from the data directory's SQLite file. */
function storedRows(dir: string, file = 'ksqlite.db'): [string, string][] {
  const db = new Database(join(dir, file), { readonly: true });
  try {
    const rows = db.prepare('SELECT t.key AS key, t.value AS value FROM state_kv t JOIN state_stores s ON s.id = t.store WHERE s.name = ? ORDER BY t.key').all(STORE) as { key: Buffer; value: Buffer }[];
    return rows.map((r) => [r.key.toString(), r.value.toString('hex')]);
  } finally {
    db.close();
  }
}

/** Flips a bit of the last byte (V's low byte) of key `key`'s row in the table source's store, as a bad disk would. */
function flipStoredBit(dir: string, key: string, file = 'ksqlite.db'): void {
  const db = new Database(join(dir, file));
  try {
    const row = db.prepare('SELECT t.store AS store, t.value AS value FROM state_kv t JOIN state_stores s ON s.id = t.store WHERE s.name = ? AND t.key = ?')
      .get(STORE, Buffer.from(key)) as { store: number; value: Buffer };
    const damaged = Buffer.from(row.value);
    damaged[damaged.length - 1]! ^= 0x04;
    db.prepare('UPDATE state_kv SET value = ? WHERE store = ? AND key = ?').run(damaged, row.store, Buffer.from(key));
  } finally {
    db.close();
  }
}

/** Table T and SUMS, a table aggregation over it that takes every replaced row of T out of its old group. */
function start(dir: string, properties: Record<string, PropertyValue>): EngineNode {
  const node = openEngine(dir, { properties });
  node.engine.execute("CREATE TABLE T (ID STRING PRIMARY KEY, G STRING, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');");
  node.engine.execute('CREATE TABLE SUMS AS SELECT G, SUM(V) AS TOTAL FROM T GROUP BY G;');
  return node;
}

function insert(node: EngineNode, id: string, g: string, v: number): void {
  node.engine.execute(`INSERT INTO T (ID, G, V) VALUES ('${id}', '${g}', ${v});`);
  node.scheduler.runUntilIdle();
}

test('a corrupt row of a source table store is rebuilt from the table topic up to the committed offset, and the query goes on right', (t) =>
  withTempDir((dir) => {
    const node = start(dir, { 'auto.offset.reset': 'earliest' });
    insert(node, 'a', 'g1', 3);
    insert(node, 'b', 'g1', 10);
    insert(node, 'c', 'g2', 5);
    insert(node, 'a', 'g1', 4);
    insert(node, 'd', 'g2', 7);
    insert(node, 'd', 'g2', 8);
    closeEngine(node);
    // A record of T that the query never committed: the rebuild must stop short of it.
    const late = openEmbeddedBroker({ dataDir: dir });
    late.append('t', [{ key: Buffer.from('b'), value: Buffer.from('{"G":"g2","V":100}') }]);
    late.close();
    const before = storedRows(dir);
    flipStoredBit(dir, 'a');

    // Without a cache, the late b and the new a (one batch) each emit their updates.
    const again = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': 0 } });
    try {
      insert(again, 'a', 'g2', 1);
      t.deepEqual(sums(again.broker).slice(-5), [
        'g2={"TOTAL":13}', // the last committed result: g1 = 10 + 4, g2 = 5 + 8
        'g1={"TOTAL":4}', // the late b moves its 10 from g1 to g2
        'g2={"TOTAL":113}',
        'g1={"TOTAL":0}', // a moves its 4 (not the corrupt 0) from g1 to g2
        'g2={"TOTAL":114}',
      ]);
    } finally {
      closeEngine(again);
    }
    const after = new Map(storedRows(dir));
    for (const [key, value] of before) if (key !== 'a' && key !== 'b') t.is(after.get(key), value, `row ${key} rebuilt byte for byte`);
    t.deepEqual([...after.keys()], ['a', 'b', 'c', 'd']);
  }));

test('a source table store that the topic cannot rebuild keeps its corruption error: no result is built on the corrupt row', (t) =>
  withTempDir((dir) => {
    // Reading from the latest offset, the query may not have seen the topic from offset 0: its store is not the topic's content.
    const node = start(dir, { 'auto.offset.reset': 'latest' });
    insert(node, 'a', 'g1', 3);
    insert(node, 'a', 'g1', 4);
    const committed = sums(node.broker);
    t.deepEqual(committed, ['g1={"TOTAL":3}', 'g1={"TOTAL":4}']);
    closeEngine(node);
    flipStoredBit(dir, 'a');

    const again = openEngine(dir, { properties: { 'auto.offset.reset': 'latest' } });
    try {
      insert(again, 'a', 'g2', 1);
      t.deepEqual(sums(again.broker), committed);
    } finally {
      closeEngine(again);
    }
  }));

test('committed input is every record from offset 0 below the committed offset, and fails when the topic lost any of them', (t) =>
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
      const record = (key: string, value: string) => ({ key: Buffer.from(key), value: Buffer.from(value), timestamp: 1 });
      broker.append('t', [record('a', '1'), record('b', '2'), record('a', '3')]);
      broker.append('t', [record('c', '4')]);
      broker.commitOffsets('G', [{ topic: 't', partition: 0, offset: 3 }]);
      const input = committedInputOf(brokerTaskLog(broker), 'G', 0);
      t.deepEqual([...input('t')].map((r) => r.offset), [0, 1, 2]);
      t.deepEqual([...committedInputOf(brokerTaskLog(broker), 'other', 0)('t')], [], 'nothing committed, nothing to read');
      broker.runMaintenance(100);
      t.throws(() => [...input('t')], { message: "Topic 't' partition 0 no longer holds every record below the committed offset 3 (offset 0 is gone)." });
    } finally {
      broker.close();
    }
  }));

/**
 * An engine as on a Kafka cluster: the log (topics, command topic, a task log
 * that restores state, as Kafka's) is the broker in `dir`, the engine's own
 * embedded broker an empty one in `dir/local`, the stores a file of their own.
 */
function openClusterLike(dir: string): { node: EngineNode; local: EmbeddedBroker; stores: Database.Database } {
  const broker = openEmbeddedBroker({ dataDir: dir });
  const local = openEmbeddedBroker({ dataDir: join(dir, 'local') });
  const stores = new Database(join(dir, 'state.db'));
  const inner = brokerTaskLog(broker);
  const taskLog: TaskLog = {
    ...inner,
    restoresState: true,
    // As Kafka's: the stores checkpoint after the log committed, with the positions it reached.
    commit(request) {
      let positions: CommitPositions | undefined;
      inner.commit({ ...request, participants: [{ commit: (p) => (positions = p) }] });
      for (const participant of request.participants ?? []) participant.commit(positions!);
    },
  };
  const scheduler = new Scheduler();
  const engine = new KsqlEngine({
    broker: local, scheduler, config: new KsqlConfig({ 'auto.offset.reset': 'earliest' }), functions: createFunctionRegistry(),
    log: { topics: brokerTopicStore(broker), commandTopic: brokerCommandTopic(broker, '_confluent-ksql-default__command_topic'), taskLog },
    stores: openStoreRegistry(stores),
  });
  return { node: { broker, engine, scheduler }, local, stores };
}

async function insertAsync(node: EngineNode, id: string, g: string, v: number): Promise<void> {
  await node.engine.executeAsync(`INSERT INTO T (ID, G, V) VALUES ('${id}', '${g}', ${v});`);
  node.scheduler.runUntilIdle();
}

function closeClusterLike({ node, local, stores }: ReturnType<typeof openClusterLike>): void {
  node.engine.close();
  stores.close();
  local.close();
  node.broker.close();
}

test('on a log that restores state, a corrupt row of a source table store stops the query and its next start restores the store from the table topic', (t) =>
  withTempDir(async (dir) => {
    const first = openClusterLike(dir);
    try {
      await first.node.engine.executeAsync("CREATE TABLE T (ID STRING PRIMARY KEY, G STRING, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');");
      await first.node.engine.executeAsync('CREATE TABLE SUMS AS SELECT G, SUM(V) AS TOTAL FROM T GROUP BY G;');
      await insertAsync(first.node, 'a', 'g1', 3);
      await insertAsync(first.node, 'b', 'g1', 10);
      await insertAsync(first.node, 'c', 'g2', 5);
    } finally {
      closeClusterLike(first);
    }
    flipStoredBit(dir, 'a', 'state.db');

    const second = openClusterLike(dir);
    try {
      await insertAsync(second.node, 'a', 'g2', 1);
      const query = second.node.engine.listQueries().find((q) => q.sinkName === 'SUMS')!;
      t.is(query.state, 'ERROR');
      t.regex(query.errors.map((e) => e.errorMessage).join('\n'), /so the store is restored from topic 't' when the query starts again/);
      t.deepEqual(sums(second.node.broker).slice(-1), ['g2={"TOTAL":5}'], 'nothing was built on the corrupt row');
    } finally {
      closeClusterLike(second);
    }

    const third = openClusterLike(dir);
    try {
      third.node.scheduler.runUntilIdle();
      t.deepEqual(sums(third.node.broker).slice(-2), ['g1={"TOTAL":10}', 'g2={"TOTAL":6}'], 'a moved its 3 from g1 to g2');
    } finally {
      closeClusterLike(third);
    }
  }));
