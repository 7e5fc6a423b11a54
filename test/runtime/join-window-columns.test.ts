import test from 'ava';
import { TestDriver } from '../../src/testing/test-driver.js';

/** Two time-windowed streams keyed by ID, joined on their keys; `select` is the projection. */
const withWindowedJoin = (select: string, body: (driver: TestDriver) => void, keyFormat = 'KAFKA'): void => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S1 (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='left', PARTITIONS=1, KEY_FORMAT='${keyFormat}', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='5 SECONDS');
      CREATE STREAM S2 (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='right', PARTITIONS=1, KEY_FORMAT='${keyFormat}', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='${keyFormat === 'KAFKA' ? 5 : 2} SECONDS');
      CREATE STREAM OUT AS SELECT ${select} FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;`);
    body(driver);
  } finally {
    driver.close();
  }
};

const pipe = (driver: TestDriver, topic: string, v: number, start: number, end: number): void =>
  driver.pipe({ topic, key: '1', value: `{"V":${v}}`, timestamp: start, headers: [], window: { start, end, type: 'time' } });

test('SELECT * of a join of windowed sources lists each side\'s WINDOWSTART and WINDOWEND after its key, as ksqlDB does', (t) => {
  withWindowedJoin('*', (driver) => {
    const out = driver.sources().find((s) => (s as { name: string }).name === 'OUT') as { schema: string };
    t.is(out.schema, '`S1_ID` INTEGER KEY, `S1_WINDOWSTART` BIGINT, `S1_WINDOWEND` BIGINT, `S1_V` BIGINT, `S2_ID` INTEGER, `S2_WINDOWSTART` BIGINT, `S2_WINDOWEND` BIGINT, `S2_V` BIGINT');
    pipe(driver, 'left', 1, 0, 5000);
    pipe(driver, 'right', 4, 0, 5000);
    t.deepEqual(driver.read('OUT').map((r) => JSON.parse(r.value!)),
      [{ S1_WINDOWSTART: 0, S1_WINDOWEND: 5000, S1_V: 1, S2_ID: 1, S2_WINDOWSTART: 0, S2_WINDOWEND: 5000, S2_V: 4 }]);
  });
});

test('a side\'s window bounds read its own record\'s window, also after a repartition into the left side\'s windows', (t) => {
  withWindowedJoin('S1.ID, S1.WINDOWEND AS LEFT_END, S2.WINDOWSTART, S2.WINDOWEND', (driver) => {
    pipe(driver, 'left', 1, 0, 5000);
    pipe(driver, 'right', 4, 0, 2000);
    t.deepEqual(driver.read('OUT').map((r) => JSON.parse(r.value!)), [{ LEFT_END: 5000, S2_WINDOWSTART: 0, S2_WINDOWEND: 2000 }]);
  }, 'JSON_SR');
});
