import test from 'ava';
import type { ProducerRecord } from '../../src/broker/broker.js';
import { brokerTaskLog } from '../../src/broker/index.js';
import type { SourceDescription, SourceDescriptionEntity } from '../../src/engine/describe-source.js';
import type { QueryDescription, QueryDescriptionEntity, QueryDescriptionListEntity } from '../../src/engine/explain-query.js';
import type { KsqlEngine } from '../../src/engine/engine.js';
import { prepareQuery } from '../../src/engine/push-query.js';
import { ActivityCounter } from '../../src/runtime/query-statistics.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';

const json = (value: unknown, timestamp = 1000): ProducerRecord => ({ key: null, value: Buffer.from(JSON.stringify(value)), timestamp });
const garbage: ProducerRecord = { key: null, value: Buffer.from('{not json'), timestamp: 1000 };

function describe(engine: KsqlEngine, name: string): SourceDescription {
  return (engine.execute(`DESCRIBE ${name} EXTENDED;`)[0] as SourceDescriptionEntity).sourceDescription;
}

function explain(engine: KsqlEngine, id: string): QueryDescription {
  return (engine.execute(`EXPLAIN ${id};`)[0] as QueryDescriptionEntity).queryDescription;
}

/** A stream on a 2-partition topic and a query copying it; returns the query id. */
function setUp({ engine }: EngineNode): string {
  engine.execute("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');");
  const [created] = engine.execute("CREATE STREAM OUT WITH (KAFKA_TOPIC='out') AS SELECT V * 2 AS W FROM S;", {
    properties: { 'auto.offset.reset': 'earliest' }, variables: new Map(),
  });
  return (created as { commandStatus: { queryId: string } }).commandStatus.queryId;
}

test('DESCRIBE EXTENDED shows the statistics of what queries consumed and produced on the topic', (t) => {
  withTempEngine((node) => {
    const { engine, broker, scheduler } = node;
    setUp(node);
    t.is(describe(engine, 'S').statistics, '', 'nothing consumed yet');
    broker.append('s', [json({ V: 1 }), json({ V: 2 }), json({ V: 3 })]);
    scheduler.runUntilIdle();
    const source = describe(engine, 'S');
    t.regex(source.statistics, /^consumer-messages-per-sec: +0\.\d\d consumer-total-messages: +3 +last-message: \d{4}-\d\d-\d\dT[\d:.]+Z$/);
    t.is(source.errorStats, '');
    t.like(source.clusterStatistics.find((s) => s.name === 'consumer-total-messages'), { value: 3 });
    const sink = describe(engine, 'OUT');
    t.regex(sink.statistics, /^messages-per-sec: +0\.\d\d +total-messages: +3 +last-message: /);
  });
});

test('DESCRIBE EXTENDED counts the records that went to the processing log as failed messages', (t) => {
  withTempEngine((node) => {
    const { engine, broker, scheduler } = node;
    setUp(node);
    broker.append('s', [json({ V: 1 }), garbage, garbage]);
    scheduler.runUntilIdle();
    const source = describe(engine, 'S');
    t.regex(source.errorStats, /^consumer-failed-messages: +2 consumer-failed-messages-per-sec: +0\.\d\d +last-failed: \d{4}-/);
    t.regex(source.statistics, /consumer-total-messages: +3 /, 'a failed record was consumed too');
    t.deepEqual(source.clusterErrorStats.map((s) => s.name), ['consumer-failed-messages', 'consumer-failed-messages-per-sec']);
    t.is(describe(engine, 'OUT').errorStats, '', 'failures count against the topic they were read from');
  });
});

test('DESCRIBE EXTENDED of a sink lists its writer\'s consumer offsets and lag per partition', (t) => {
  withTempEngine((node) => {
    const { engine, broker, scheduler } = node;
    const id = setUp(node);
    broker.append('s', [json({ V: 1 }), json({ V: 2 })]);
    const before = describe(engine, 'OUT').queryOffsetSummaries;
    t.is(before.length, 1);
    t.is(before[0]!.groupId, engine.queryGroup(id));
    const lag = (summaries: typeof before): number =>
      summaries[0]!.topicSummaries.flatMap((s) => s.offsets).reduce((sum, o) => sum + o.logEndOffset - o.consumerOffset, 0);
    t.deepEqual(before[0]!.topicSummaries.map((s) => s.kafkaTopic), ['s']);
    t.deepEqual(before[0]!.topicSummaries[0]!.offsets.map((o) => o.partition), [0, 1]);
    t.is(lag(before), 2);
    scheduler.runUntilIdle();
    t.is(lag(describe(engine, 'OUT').queryOffsetSummaries), 0);
    t.deepEqual(describe(engine, 'S').queryOffsetSummaries, [], 'no query writes the source');
  });
});

test('the end offsets DESCRIBE EXTENDED and EXPLAIN report are asked of the log, not of a task log that knows an end only after a fetch (Kafka)', (t) => {
  // A task log that has fetched nothing yet answers "past any read" for the end, as the Kafka one does.
  const unknowing = (broker: Parameters<typeof brokerTaskLog>[0]) => ({ ...brokerTaskLog(broker), latestOffset: () => Number.MAX_SAFE_INTEGER });
  withTempEngine((node) => {
    const { engine, broker } = node;
    const id = setUp(node);
    broker.append('s', [json({ V: 1 }), json({ V: 2 })]);
    const summaries = describe(engine, 'OUT').queryOffsetSummaries;
    t.deepEqual(summaries[0]!.topicSummaries[0]!.offsets.map((o) => [o.partition, o.logStartOffset, o.logEndOffset, o.consumerOffset]), [[0, 0, 2, 0], [1, 0, 0, 0]]);
    const tasks = explain(engine, id).tasksMetadata;
    t.deepEqual(tasks.flatMap((task) => task.topicOffsets.map((o) => o.endOffset)), [2, 0]);
  }, { taskLog: unknowing });
});

test('EXPLAIN shows the query\'s own statistics, its group and its tasks\' committed and end offsets', (t) => {
  withTempEngine((node) => {
    const { engine, broker, scheduler } = node;
    const id = setUp(node);
    broker.append('s', [json({ V: 1 }), garbage]);
    const waiting = explain(engine, id);
    t.is(waiting.statistics, '');
    t.is(waiting.consumerGroupId, engine.queryGroup(id));
    const offsets = (d: QueryDescription): number[][] =>
      d.tasksMetadata.flatMap((task) => task.topicOffsets.map((o) => [o.topicPartitionEntity.partition, o.committedOffset, o.endOffset]));
    t.deepEqual(waiting.tasksMetadata.map((task) => task.taskId), ['0_0', '0_1']);
    t.deepEqual(offsets(waiting), [[0, 0, 2], [1, 0, 0]], 'unkeyed records go to partition 0; nothing read yet');
    scheduler.runUntilIdle();
    const done = explain(engine, id);
    t.deepEqual(offsets(done), [[0, 2, 2], [1, 0, 0]]);
    t.regex(done.statistics, /consumer-messages-per-sec: +0\.\d\d consumer-total-messages: +2 +messages-per-sec: +0\.\d\d +total-messages: +1 +last-message: /);
    t.regex(done.errorStats, /^consumer-failed-messages: +1 /);
  });
});

test('SHOW QUERIES EXTENDED answers a queryDescriptionList of every persistent query', (t) => {
  withTempEngine((node) => {
    const { engine } = node;
    const id = setUp(node);
    const [entity] = engine.execute('SHOW QUERIES EXTENDED;') as [QueryDescriptionListEntity];
    t.is(entity['@type'], 'queryDescriptionList');
    t.is(entity.statementText, 'SHOW QUERIES EXTENDED;');
    t.deepEqual(entity.queryDescriptions.map((d) => [d.id, d.queryType, d.state, d.sinks]), [[id, 'PERSISTENT', 'RUNNING', ['OUT']]]);
    t.deepEqual(entity.queryDescriptions[0], explain(engine, id));
    t.is((engine.execute('SHOW QUERIES;')[0] as { '@type': string })['@type'], 'queries');
  });
});

test('SHOW QUERIES EXTENDED describes a running push query too, as ksqlDB describes a transient query', (t) => {
  withTempEngine((node) => {
    const { engine } = node;
    setUp(node);
    const prepared = prepareQuery(engine, { sql: 'SELECT V FROM S EMIT CHANGES;', properties: {}, variables: new Map() });
    const running = prepared.start({ row: () => {}, end: () => {} });
    const [entity] = engine.execute('SHOW QUERIES EXTENDED;') as [QueryDescriptionListEntity];
    const push = entity.queryDescriptions.find((d) => d.queryType === 'PUSH');
    t.like(push, { id: prepared.id, statementText: 'SELECT V FROM S EMIT CHANGES;', sources: ['S'], sinks: [], state: 'RUNNING' });
    t.deepEqual(push?.fields.map((f) => [f.name, f.schema.type]), [['V', 'INTEGER']]);
    running.close();
    t.false((engine.execute('SHOW QUERIES EXTENDED;')[0] as QueryDescriptionListEntity).queryDescriptions.some((d) => d.queryType === 'PUSH'));
  });
});

test('a rate counts the last 100 seconds over at least 99 of them, as Kafka\'s Rate does', (t) => {
  const counter = new ActivityCounter();
  const start = 1_000_000;
  counter.add(99, start);
  t.is(counter.ratePerSecond(start), 1);
  counter.add(99, start + 150_000);
  t.is(counter.ratePerSecond(start + 150_000), 1, 'the first sample has expired');
  t.is(counter.total, 198);
  t.is(counter.lastMs, start + 150_000);
  t.is(counter.ratePerSecond(start + 300_000), 0);
});
