import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import type { KsqlEngine } from '../../src/engine/engine.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { closeEngine, openEngine, withTempEngine } from '../helpers/temp-engine.js';

const DAY = 86_400_000;
const STATEMENTS =
  "CREATE STREAM S (ID STRING KEY, K STRING, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');" +
  'CREATE TABLE OUT AS SELECT K, SUM(V) AS TOTAL FROM S GROUP BY K;';

function appendInput(broker: EmbeddedBroker, timestamp: number): void {
  const rows = [['1', 'x', 1], ['2', 'y', 10], ['3', 'x', 2], ['4', 'z', 100], ['5', 'y', 20]] as const;
  broker.append('s', rows.map(([id, k, v], i) => ({ key: Buffer.from(id), value: Buffer.from(JSON.stringify({ K: k, V: v })), timestamp: timestamp + i })));
}

/** The latest TOTAL per key written to OUT. */
function totals(broker: EmbeddedBroker): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of broker.describeTopic('OUT').partitions) {
    for (const r of broker.read('OUT', p.partition, p.logStartOffset, { maxRecords: 10_000 })) {
      out[r.key!.toString()] = (JSON.parse(r.value!.toString()) as { TOTAL: number }).TOTAL;
    }
  }
  return out;
}

function theQuery(engine: KsqlEngine) {
  const [query] = engine.listQueries();
  return { query: query!, repartition: query!.internalTopics[0]!, group: `_confluent-ksql-default_query_${query!.id}` };
}

test('records of a repartition topic older than any retention wait for the sub-topology that reads them', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(STATEMENTS);
    const { query, repartition } = theQuery(engine);
    t.is(broker.describeTopic(repartition).config['retention.ms'], -1);
    appendInput(broker, Date.now() - 30 * DAY);
    // Only the first sub-topology runs: the records wait in the repartition topic while maintenance runs.
    for (const task of query.tasks.filter((task) => task.topic === 's')) task.poll(1000);
    t.true(broker.describeTopic(repartition).partitions.some((p) => p.logEndOffset > 0));
    broker.runMaintenance();
    scheduler.runUntilIdle();
    t.deepEqual(totals(broker), { x: 3, y: 30, z: 100 });
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

test('after commits a repartition topic is purged up to the offset its reader committed', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(STATEMENTS);
    const { repartition, group } = theQuery(engine);
    appendInput(broker, Date.now());
    scheduler.runUntilIdle();
    t.deepEqual(totals(broker), { x: 3, y: 30, z: 100 });
    const partitions = broker.describeTopic(repartition).partitions;
    t.is(partitions.reduce((n, p) => n + p.logEndOffset, 0), 5);
    for (const p of partitions) {
      t.is(p.logStartOffset, p.logEndOffset, `partition ${p.partition} keeps nothing its reader committed past`);
      t.is(broker.committedOffset(group, repartition, p.partition), p.logEndOffset);
    }
  }, { properties: { 'auto.offset.reset': 'earliest', 'repartition.purge.interval.ms': 0 } });
});

test('a repartition topic is not purged before the purge interval has passed', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(STATEMENTS);
    const { repartition } = theQuery(engine);
    appendInput(broker, Date.now());
    scheduler.runUntilIdle();
    t.deepEqual(totals(broker), { x: 3, y: 30, z: 100 });
    t.true(broker.describeTopic(repartition).partitions.every((p) => p.logStartOffset === 0));
  }, { properties: { 'auto.offset.reset': 'earliest', 'repartition.purge.interval.ms': 600_000 } });
});

test('a repartition topic made earlier with a finite retention keeps its records forever once its query starts again', (t) => {
  withTempDir((dir) => {
    let node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest' } });
    node.engine.execute(STATEMENTS);
    const { repartition } = theQuery(node.engine);
    // What data directories written before this rule hold.
    node.broker.alterTopicConfig(repartition, { 'retention.ms': 7 * DAY });
    closeEngine(node);
    node = openEngine(dir, { properties: { 'auto.offset.reset': 'earliest' } });
    try {
      t.is(node.broker.describeTopic(repartition).config['retention.ms'], -1);
      t.is(node.broker.describeTopic(repartition).config['cleanup.policy'], 'delete');
    } finally {
      closeEngine(node);
    }
  });
});
