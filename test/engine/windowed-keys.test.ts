import test from 'ava';
import { TestDriver } from '../../src/testing/test-driver.js';

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
