import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

const intKey = (n: number): Buffer => Buffer.from(String(n));

test('a record without a value gets a NULL key from PARTITION BY expressions that read the value, and keeps key-only ones', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');");
    engine.execute('CREATE STREAM BY_VALUE AS SELECT * FROM S PARTITION BY (NAME IS NULL);');
    engine.execute('CREATE STREAM BY_KEY AS SELECT * FROM S PARTITION BY ID + 1;');
    broker.append('s', [
      { key: intKey(1), value: null, timestamp: 1 },
      { key: intKey(2), value: Buffer.from('{"NAME":null}'), timestamp: 2 },
    ]);
    scheduler.runUntilIdle();
    const read = (topic: string) => broker.read(topic, 0, 0).map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null]);
    t.deepEqual(read('BY_VALUE'), [[null, null], ['true', '{"NAME":null,"ID":2}']]);
    t.deepEqual(read('BY_KEY').map(([key]) => key), ['2', '3']);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

test('PARTITION BY several columns writes a key of NULL columns, not a NULL key; a NULL source key passes through as NULL', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (ID INT KEY, ID2 INT KEY, A INT, B STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');");
    engine.execute('CREATE STREAM BY_AB AS SELECT * FROM S PARTITION BY A, B;');
    engine.execute('CREATE STREAM SAME AS SELECT * FROM S;');
    broker.append('s', [
      { key: Buffer.from('{"ID":1,"ID2":2}'), value: Buffer.from('{"A":null,"B":null}'), timestamp: 1 },
      { key: null, value: Buffer.from('{"A":3,"B":null}'), timestamp: 2 },
    ]);
    scheduler.runUntilIdle();
    const keys = (topic: string) => broker.read(topic, 0, 0).map((r) => r.key?.toString() ?? null);
    t.deepEqual(keys('BY_AB'), ['{"A":null,"B":null}', '{"A":3,"B":null}']);
    t.deepEqual(keys('SAME'), ['{"ID":1,"ID2":2}', null]);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
