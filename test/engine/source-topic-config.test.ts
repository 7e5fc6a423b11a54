import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const STREAM = "CREATE STREAM S (ID STRING KEY, K STRING, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');";

function configOf(broker: EmbeddedBroker, topic: string): { policy: string; retention: number } {
  const { config } = broker.describeTopic(topic);
  return { policy: config['cleanup.policy'], retention: config['retention.ms'] };
}

test('CREATE TABLE AS makes a compacted topic, CREATE STREAM AS one that deletes by time', (t) => {
  withTempEngine(({ broker, engine }) => {
    engine.execute(`${STREAM} CREATE TABLE T AS SELECT K, SUM(V) AS TOTAL FROM S GROUP BY K; CREATE STREAM C AS SELECT * FROM S;`);
    t.is(configOf(broker, 'T').policy, 'compact');
    t.deepEqual(configOf(broker, 'C'), { policy: 'delete', retention: WEEK });
  });
});

test('a query sink topic keeps its source topic retention unless RETENTION_MS says otherwise', (t) => {
  withTempEngine(({ broker, engine }) => {
    engine.execute(
      "CREATE STREAM S (ID STRING KEY, K STRING, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON', RETENTION_MS=5000);" +
      "CREATE STREAM C AS SELECT * FROM S; CREATE STREAM D WITH (RETENTION_MS=9000) AS SELECT * FROM S;",
    );
    t.deepEqual(configOf(broker, 's'), { policy: 'delete', retention: 5000 });
    t.deepEqual(configOf(broker, 'C'), { policy: 'delete', retention: 5000 });
    t.deepEqual(configOf(broker, 'D'), { policy: 'delete', retention: 9000 });
  });
});

test('a windowed CREATE TABLE AS topic compacts and deletes, kept for the longer of its retention and the window RETENTION', (t) => {
  withTempEngine(({ broker, engine }) => {
    engine.execute(
      `${STREAM}` +
      'CREATE TABLE W1 AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 30 DAYS) GROUP BY K;' +
      'CREATE TABLE W2 AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY K;' +
      'CREATE TABLE W3 WITH (RETENTION_MS=864000000) AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (1 HOUR, RETENTION 2 DAYS) GROUP BY K;',
    );
    t.deepEqual(configOf(broker, 'W1'), { policy: 'compact,delete', retention: 30 * DAY });
    t.deepEqual(configOf(broker, 'W2'), { policy: 'compact,delete', retention: WEEK });
    t.deepEqual(configOf(broker, 'W3'), { policy: 'compact,delete', retention: 10 * DAY });
  });
});

test('CREATE TABLE with PARTITIONS makes a compacted topic; a topic that exists keeps its configs', (t) => {
  withTempEngine(({ broker, engine }) => {
    broker.createTopic('old', { partitions: 1 });
    engine.execute(
      "CREATE TABLE T (ID STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=3, VALUE_FORMAT='JSON');" +
      "CREATE SOURCE TABLE ST (ID STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='st', PARTITIONS=1, VALUE_FORMAT='JSON');" +
      "CREATE TABLE O (ID STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='old', VALUE_FORMAT='JSON');",
    );
    t.is(configOf(broker, 't').policy, 'compact');
    t.is(broker.describeTopic('t').partitions.length, 3);
    t.is(configOf(broker, 'st').policy, 'compact');
    t.deepEqual(configOf(broker, 'old'), { policy: 'delete', retention: WEEK });
  });
});

test('a table that is not windowed takes no RETENTION_MS', (t) => {
  withTempEngine(({ broker, engine }) => {
    const message = 'Invalid config variable in the WITH clause: RETENTION_MS. Non-windowed tables do not support retention.';
    t.throws(() => engine.execute("CREATE TABLE T (ID STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON', RETENTION_MS=5000);"), { message });
    t.false(broker.hasTopic('t'));
    engine.execute(STREAM);
    t.throws(() => engine.execute('CREATE TABLE T WITH (RETENTION_MS=5000) AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;'), { message });
    t.false(broker.hasTopic('T'));
  });
});

test('a later reader of a table topic finds the latest row of every key after maintenance, however old', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(`${STREAM} CREATE TABLE T AS SELECT K, SUM(V) AS TOTAL FROM S GROUP BY K;`);
    const old = Date.now() - 30 * DAY;
    const rows = [['x', 1], ['y', 10], ['x', 2], ['z', 100], ['y', 20], ['x', 3]] as const;
    broker.append('s', rows.map(([k, v], i) => ({ key: Buffer.from(String(i)), value: Buffer.from(JSON.stringify({ K: k, V: v })), timestamp: old + i })));
    scheduler.runUntilIdle();
    const report = broker.runMaintenance();
    t.true(report.recordsRemoved > 0, 'compaction dropped superseded rows');
    engine.execute('CREATE TABLE LATER AS SELECT * FROM T;');
    scheduler.runUntilIdle();
    const latest: Record<string, number> = {};
    for (const p of broker.describeTopic('LATER').partitions) {
      for (const r of broker.read('LATER', p.partition, p.logStartOffset)) latest[r.key!.toString()] = (JSON.parse(r.value!.toString()) as { TOTAL: number }).TOTAL;
    }
    t.deepEqual(latest, { x: 6, y: 30, z: 100 });
  }, { properties: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': 0 } }); // no cache: every update is written, so some are superseded
});

test('a table row whose key serializes to nothing goes to the processing log as a production error, and the query goes on', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(
      "CREATE TABLE T (ID STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, KEY_FORMAT='JSON', VALUE_FORMAT='JSON');" +
      'CREATE TABLE OUT AS SELECT * FROM T;',
    );
    // A JSON null key reads as a row with a NULL key column, which has no key bytes once written again.
    broker.append('t', [{ key: Buffer.from('null'), value: Buffer.from('{"V":1}'), timestamp: 1 }, { key: Buffer.from('"a"'), value: Buffer.from('{"V":2}'), timestamp: 2 }]);
    scheduler.runUntilIdle();
    t.deepEqual(broker.read('OUT', 0, 0).map((r) => [r.key?.toString(), r.value?.toString()]), [['"a"', '{"V":2}']]);
    const logged = broker.read('default_ksql_processing_log', 0, 0).map((r) => JSON.parse(r.value!.toString()) as { logger: string; message: unknown });
    t.deepEqual(logged.map((e) => [e.logger, e.message]), [
      ['processing.CTAS_OUT_0', { type: 2, productionError: { errorMessage: "Compacted topic 'OUT' cannot accept a record without a key." } }],
    ]);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
