import test from 'ava';
import type { ProducerRecord } from '../../src/broker/broker.js';
import type { KsqlEngine } from '../../src/engine/engine.js';
import type { QueryListEntity } from '../../src/engine/entities.js';
import type { QueryDescriptionEntity } from '../../src/engine/explain-query.js';
import type { SourceDescriptionEntity } from '../../src/engine/describe-source.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import type { FunctionRegistry } from '../../src/functions/registry.js';
import { closeEngine, openEngine, type EngineNode } from '../helpers/temp-engine.js';
import { withTempDir } from '../helpers/temp-dir.js';

/** FRAGILE_SUM sums INTEGERs and throws an unexpected error on 13 while `failing.on` holds (a bug in an operator). */
function fragileRegistry(failing: { on: boolean }): FunctionRegistry {
  const registry = createFunctionRegistry();
  registry.registerAggregate({
    name: 'FRAGILE_SUM',
    description: 'Sums integers; fails on 13.',
    variants: [{
      params: 'INTEGER v',
      returns: 'BIGINT',
      create: () => ({
        initialize: () => 0n,
        add: (acc: bigint, [v]: readonly unknown[]) => {
          if (failing.on && v === 13) throw new TypeError('unlucky 13');
          return acc + BigInt((v as number | null) ?? 0);
        },
        merge: (a: bigint, b: bigint) => a + b,
        result: (acc: bigint) => acc,
      }),
    }],
  });
  return registry;
}

const record = (key: string, v: number): ProducerRecord => ({ key: Buffer.from(key), value: Buffer.from(JSON.stringify({ V: v })), timestamp: 1000 });

function showQueries(engine: KsqlEngine): QueryListEntity['queries'] {
  return (engine.execute('SHOW QUERIES;')[0] as QueryListEntity).queries;
}

function explain(engine: KsqlEngine, id: string): QueryDescriptionEntity['queryDescription'] {
  return (engine.execute(`EXPLAIN ${id};`)[0] as QueryDescriptionEntity).queryDescription;
}

function values(node: EngineNode, topic: string): string[] {
  return node.broker.read(topic, 0, 0, { maxRecords: 1000 }).map((r) => (r.value === null ? 'null' : r.value.toString()));
}

/** Runs the scheduler until `check` holds (a retry comes from a timer). */
async function runUntil(node: EngineNode, check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    node.scheduler.runUntilIdle();
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

test('a query whose operator throws goes to ERROR, writes nothing of the batch, and is retried with a growing backoff', async (t) => {
  await withTempDir(async (dir) => {
    const failing = { on: true };
    const node = openEngine(dir, {
      functions: fragileRegistry(failing),
      // Without a cache each row of a batch writes its update, which the test counts.
      properties: { 'auto.offset.reset': 'earliest', 'ksql.query.retry.backoff.initial.ms': 40, 'ksql.query.retry.backoff.max.ms': 80, 'cache.max.bytes.buffering': 0 },
    });
    try {
      const { engine, broker, scheduler } = node;
      engine.execute(`
        CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON');
        CREATE TABLE T AS SELECT K, FRAGILE_SUM(V) AS TOTAL FROM S GROUP BY K;`);
      const id = showQueries(engine)[0]!.id;
      broker.append('in', [record('a', 1), record('a', 2), record('a', 13), record('a', 4)]);
      scheduler.runUntilIdle();

      const [summary] = showQueries(engine);
      t.is(summary!.state, 'ERROR');
      t.deepEqual(summary!.statusCount, { ERROR: 1 });
      const description = explain(engine, id);
      t.is(description.state, 'ERROR');
      t.deepEqual(Object.values(description.ksqlHostQueryStatus), ['ERROR']);
      t.is(description.queryErrors.length, 1);
      const [error] = description.queryErrors;
      t.is(error!.errorMessage, 'StreamsException: Exception caught in process. taskId=0_0, topic=in, partition=0, offset=2: unlucky 13\nCaused by: TypeError: unlucky 13');
      t.is(error!.type, 'UNKNOWN');
      t.true(Math.abs(error!.timestamp - Date.now()) < 60_000);
      const described = (engine.execute('DESCRIBE T EXTENDED;')[0] as SourceDescriptionEntity).sourceDescription;
      t.deepEqual(described.writeQueries.map((q) => q.state), ['ERROR']);
      t.deepEqual(values(node, 'T'), [], 'the rows before the failing one are not written either');
      t.is(broker.committedOffset(`_confluent-ksql-default_query_${id}`, 'in', 0), 0);
      t.deepEqual(values(node, engine.config.processingLogTopic), [], 'a failure is no per-record error');

      // Every retry starts again from the committed offset, fails on 13 again and waits longer.
      t.true(await runUntil(node, () => explain(engine, id).queryErrors.length === 3));
      const times = explain(engine, id).queryErrors.map((e) => e.timestamp);
      t.true(times[1]! - times[0]! >= 39, `first wait ${times[1]! - times[0]!}`);
      t.true(times[2]! - times[1]! >= 79, `second wait ${times[2]! - times[1]!}`);
      t.is(showQueries(engine)[0]!.state, 'ERROR');
      t.deepEqual(values(node, 'T'), []);

      failing.on = false;
      t.true(await runUntil(node, () => showQueries(engine)[0]!.state === 'RUNNING' && values(node, 'T').length === 4));
      t.deepEqual(values(node, 'T'), ['{"TOTAL":1}', '{"TOTAL":3}', '{"TOTAL":16}', '{"TOTAL":20}'], 'each row is written once');
      t.is(explain(engine, id).queryErrors.length, 3, 'EXPLAIN still shows the errors that stopped it');
    } finally {
      closeEngine(node);
    }
  });
});

test('a corrupt batch in front of a query puts it in ERROR with the broker\'s message, without polling it turn after turn, until TERMINATE', async (t) => {
  await withTempDir(async (dir) => {
    const properties = { 'auto.offset.reset': 'earliest' };
    const node = openEngine(dir, { properties });
    let id: string;
    try {
      const { engine, broker, scheduler } = node;
      engine.execute(`
        CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON');
        CREATE STREAM OUT AS SELECT * FROM S;`);
      id = showQueries(engine)[0]!.id;
      broker.append('in', [record('a', 1)]);
      scheduler.runUntilIdle();
      t.deepEqual(values(node, 'OUT'), ['{"V":1}']);
      broker.append('in', [record('b', 2)]);
      broker.append('in', [record('c', 3)]);
      // Flip a bit of the stored batch at offset 1, under the broker.
      const row = broker.database
        .prepare("SELECT b.id, b.payload FROM broker_batches b JOIN broker_partitions p ON p.id = b.tp WHERE p.topic = 'in' AND b.base_offset = 1")
        .get() as { id: number; payload: Buffer };
      const damaged = Buffer.from(row.payload);
      damaged[damaged.length - 2]! ^= 0x01;
      broker.database.prepare('UPDATE broker_batches SET payload = ? WHERE id = ?').run(damaged, row.id);
      scheduler.runUntilIdle();

      t.is(showQueries(engine)[0]!.state, 'ERROR');
      const [error] = explain(engine, id).queryErrors;
      t.true(error!.errorMessage.includes('Corrupt record batch'), error!.errorMessage);
      t.is(error!.type, 'SYSTEM');
      t.deepEqual(values(node, 'OUT'), ['{"V":1}']);
      t.is(scheduler.runOnce(), 0, 'a query in ERROR is not polled turn after turn');
      t.is(explain(engine, id).queryErrors.length, 1);

      engine.execute(`TERMINATE ${id};`);
      t.deepEqual(showQueries(engine), []);
      engine.execute('DROP STREAM OUT;');
    } finally {
      closeEngine(node);
    }
  });
});

test('a query in ERROR starts again normally when the server restarts', async (t) => {
  await withTempDir(async (dir) => {
    const failing = { on: true };
    // Without a cache each row of a batch writes its update, which the test counts.
    const properties = { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': 0 };
    const first = openEngine(dir, { functions: fragileRegistry(failing), properties });
    try {
      first.engine.execute(`
        CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON');
        CREATE TABLE T AS SELECT K, FRAGILE_SUM(V) AS TOTAL FROM S GROUP BY K;`);
      first.broker.append('in', [record('a', 13), record('a', 1)]);
      first.scheduler.runUntilIdle();
      t.is(showQueries(first.engine)[0]!.state, 'ERROR');
    } finally {
      closeEngine(first);
    }
    failing.on = false;
    const second = openEngine(dir, { functions: fragileRegistry(failing), properties });
    try {
      t.is(showQueries(second.engine)[0]!.state, 'RUNNING');
      second.scheduler.runUntilIdle();
      t.deepEqual(values(second, 'T'), ['{"TOTAL":13}', '{"TOTAL":14}']);
      t.deepEqual(explain(second.engine, showQueries(second.engine)[0]!.id).queryErrors, []);
    } finally {
      closeEngine(second);
    }
  });
});
