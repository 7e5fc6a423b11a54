import test from 'ava';
import { TestDriver } from '../../src/testing/test-driver.js';
import { prepareQuery } from '../../src/engine/push-query.js';
import { statementError } from '../helpers/statement-error.js';
import { withTempEngine } from '../helpers/temp-engine.js';

function run(t: { teardown: (fn: () => void) => void }, ddl: string): TestDriver {
  const driver = new TestDriver({});
  t.teardown(() => driver.close());
  driver.execute(ddl);
  return driver;
}

test('a stream over a session-windowed topic reads the window from the key and keeps it in its sink', (t) => {
  const driver = run(t,
    "CREATE STREAM I (K STRING KEY, V INT) WITH (KAFKA_TOPIC='i', VALUE_FORMAT='JSON', WINDOW_TYPE='SESSION');" +
      'CREATE STREAM O AS SELECT K, V, WINDOWSTART AS WS, WINDOWEND AS WE FROM I;');
  driver.pipe({ topic: 'i', key: '"k"', value: '{"V":4}', timestamp: 1, headers: [], window: { start: 12, end: 465, type: 'session' } });
  const [out] = driver.read('O');
  t.is(out!.key, '"k"');
  t.deepEqual(JSON.parse(out!.value!), { V: 4, WS: 12, WE: 465 });
  t.deepEqual(out!.window, { start: 12, end: 465, type: 'session' });
});

test('time-windowed keys end one window size after their start', (t) => {
  const driver = run(t,
    "CREATE STREAM I (K INT KEY, V INT) WITH (KAFKA_TOPIC='i', FORMAT='JSON', WINDOW_TYPE='HOPPING', WINDOW_SIZE='10 SECONDS');" +
      'CREATE STREAM O AS SELECT K, WINDOWEND - WINDOWSTART AS LEN FROM I WHERE V > 0;');
  driver.pipe({ topic: 'i', key: '3', value: '{"V":1}', timestamp: 5, headers: [], window: { start: 20_000, end: 30_000, type: 'time' } });
  driver.pipe({ topic: 'i', key: '4', value: '{"V":0}', timestamp: 6, headers: [], window: { start: 20_000, end: 30_000, type: 'time' } });
  const out = driver.read('O');
  t.is(out.length, 1);
  t.is(out[0]!.key, '3');
  t.deepEqual(JSON.parse(out[0]!.value!), { LEN: 10_000 });
  t.deepEqual(out[0]!.window, { start: 20_000, end: 30_000, type: 'time' });
});

test('an aggregate grouped by the key of a windowed stream aggregates each window apart and keeps the window', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM WS (K INT KEY, V INT) WITH (KAFKA_TOPIC='ws', VALUE_FORMAT='JSON', PARTITIONS=1, WINDOW_TYPE='Tumbling', WINDOW_SIZE='1 second');
      CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM WS GROUP BY K;`);
    for (const [start, timestamp] of [[0, 500], [0, 600], [1000, 1500]] as const) {
      driver.pipe({ topic: 'ws', key: '1', value: '{"V":3}', timestamp, headers: [], window: { start, end: start + 1000, type: 'time' } });
    }
    t.deepEqual(driver.read('T').map((r) => [r.value, r.window?.start]), [['{"C":1}', 0], ['{"C":2}', 0], ['{"C":1}', 1000]]);
  } finally {
    driver.close();
  }
});

test('a join of session-windowed streams under a key format from a registry repartitions both sides and keeps their windows', (t) => {
  const driver = run(t,
    "CREATE STREAM A (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='a', KEY_FORMAT='JSON_SR', VALUE_FORMAT='JSON', WINDOW_TYPE='SESSION', PARTITIONS=1);" +
      "CREATE STREAM B (ID INT KEY, W BIGINT) WITH (KAFKA_TOPIC='b', KEY_FORMAT='JSON_SR', VALUE_FORMAT='JSON', WINDOW_TYPE='SESSION', PARTITIONS=1);" +
      'CREATE STREAM O AS SELECT A.ID, V, W FROM A JOIN B WITHIN 1 MINUTE ON A.ID = B.ID;');
  const topics = driver.topics();
  t.true(topics.some((n) => n.endsWith('-Join-left-repartition')));
  t.true(topics.some((n) => n.endsWith('-Join-right-repartition')));
  driver.pipe({ topic: 'a', key: '1', value: '{"V":10}', timestamp: 0, headers: [], window: { start: 0, end: 100, type: 'session' } });
  driver.pipe({ topic: 'b', key: '1', value: '{"W":20}', timestamp: 5, headers: [], window: { start: 0, end: 101, type: 'session' } });
  driver.pipe({ topic: 'b', key: '1', value: '{"W":30}', timestamp: 6, headers: [], window: { start: 0, end: 100, type: 'session' } });
  const out = driver.read('O');
  t.deepEqual(out.map((r) => [JSON.parse(r.value!), r.window]), [[{ V: 10, W: 30 }, { start: 0, end: 100, type: 'session' }]]);
});

test('time-windowed streams of other sizes join under a key format from a registry, in the left side\'s windows; a KAFKA key refuses them', (t) => {
  const ddl = (keyFormat: string) =>
    `CREATE STREAM A (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='a', KEY_FORMAT='${keyFormat}', VALUE_FORMAT='JSON', WINDOW_TYPE='HOPPING', WINDOW_SIZE='5 SECONDS', PARTITIONS=1);` +
    `CREATE STREAM B (ID INT KEY, W BIGINT) WITH (KAFKA_TOPIC='b', KEY_FORMAT='${keyFormat}', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='2 SECONDS', PARTITIONS=1);`;
  const join = 'CREATE STREAM O AS SELECT A.ID, V, W FROM A JOIN B WITHIN 1 MINUTE ON A.ID = B.ID;';
  t.regex(statementError(ddl('KAFKA'), join) ?? '', /Implicit repartitioning of windowed sources is not supported/);
  const driver = run(t, ddl('JSON_SR') + join);
  driver.pipe({ topic: 'a', key: '1', value: '{"V":10}', timestamp: 0, headers: [], window: { start: 0, end: 5000, type: 'time' } });
  driver.pipe({ topic: 'b', key: '1', value: '{"W":20}', timestamp: 0, headers: [], window: { start: 0, end: 2000, type: 'time' } });
  const out = driver.read('O');
  t.deepEqual(out.map((r) => [JSON.parse(r.value!), r.window]), [[{ V: 10, W: 20 }, { start: 0, end: 5000, type: 'time' }]]);
});

test('a push join of windowed tables under a key format from a registry is refused: a windowed table cannot be repartitioned', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(
      "CREATE TABLE A (ID INT PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='a', KEY_FORMAT='AVRO', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='5 SECONDS', PARTITIONS=1);" +
        "CREATE TABLE B (ID INT PRIMARY KEY, W BIGINT) WITH (KAFKA_TOPIC='b', KEY_FORMAT='AVRO', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='5 SECONDS', PARTITIONS=1);");
    t.throws(() => prepareQuery(engine, { sql: 'SELECT A.ID, V, W FROM A JOIN B ON A.ID = B.ID EMIT CHANGES;', properties: {}, variables: new Map() }), {
      message: /does not support joins on windowed sources with Schema-Registry-enabled key formats/,
    });
  }, { schemaRegistry: true });
});
