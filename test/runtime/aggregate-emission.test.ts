import test from 'ava';
import type { PropertyValue } from '../../src/engine/config.js';
import { withTempEngine } from '../helpers/temp-engine.js';

/**
 * ksqlDB aggregates over Kafka Streams' caching stores: with a cache (the
 * default), the updates of one key (and window) that one commit covers leave
 * as one result, the latest, with the old value of the previous commit's; with
 * `cache.max.bytes.buffering` 0 every update leaves. Each `batch` is appended
 * at once and drained by one poll, so it is one commit.
 */
function outputs(statements: string, batches: readonly (readonly [string, number, number])[][], properties: Record<string, PropertyValue> = {}): string[] {
  let out: string[] = [];
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute(statements);
    scheduler.runUntilIdle();
    for (const batch of batches) {
      broker.append('s', batch.map(([id, v, time]) => ({ key: Buffer.from(id), value: Buffer.from(JSON.stringify({ V: v })), timestamp: time })));
      scheduler.runUntilIdle();
    }
    out = broker.read('OUT', 0, 0, { maxRecords: 1000 }).map((r) => `${r.key?.toString('latin1').slice(0, 1)}=${r.value?.toString() ?? 'null'}@${r.timestamp}`);
  }, { properties: { 'auto.offset.reset': 'earliest', ...properties } });
  return out;
}

const NO_CACHE = { 'cache.max.bytes.buffering': 0 };

test('a GROUP BY emits the latest result of each key once per commit, at its latest input\'s time, in the order of last updates', (t) => {
  const query = 'CREATE TABLE OUT AS SELECT ID, COUNT(*) AS N, SUM(V) AS T FROM S GROUP BY ID;';
  const batches = [[['a', 1, 1], ['b', 2, 2], ['a', 3, 3], ['b', 4, 5], ['a', 5, 4]], [['b', 6, 6]]] as const;
  t.deepEqual(outputs(query, batches.map((b) => [...b])), ['b={"N":2,"T":6}@5', 'a={"N":3,"T":9}@4', 'b={"N":3,"T":12}@6']);
  t.deepEqual(outputs(query, batches.map((b) => [...b]), NO_CACHE), [
    'a={"N":1,"T":1}@1', 'b={"N":1,"T":2}@2', 'a={"N":2,"T":4}@3', 'b={"N":2,"T":6}@5', 'a={"N":3,"T":9}@4', 'b={"N":3,"T":12}@6',
  ]);
});

test('a windowed GROUP BY emits the latest result of each key and window once per commit', (t) => {
  const query = 'CREATE TABLE OUT AS SELECT ID, COUNT(*) AS N FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY ID;';
  const batch: [string, number, number][] = [['a', 1, 6_000], ['a', 1, 7_000], ['a', 1, 11_000]];
  // Windows [0, 10 s) and [5 s, 15 s) hold the first two; [5 s, 15 s) and [10 s, 20 s) the third.
  t.deepEqual(outputs(query, [batch]), ['a={"N":2}@7000', 'a={"N":3}@11000', 'a={"N":1}@11000']);
  t.is(outputs(query, [batch], NO_CACHE).length, 6);
});

test('the old value beside a flushed result is the previous commit\'s result: a HAVING filter drops or deletes by it', (t) => {
  const query = 'CREATE TABLE OUT AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID HAVING COUNT(*) < 3;';
  const batches: [string, number, number][][] = [[['a', 0, 1], ['b', 0, 2], ['b', 0, 3], ['b', 0, 4]], [['a', 0, 5], ['a', 0, 6]]];
  // b reaches 3 within the first commit: nothing of it ever passed, so nothing is deleted; a passed at 1 and is deleted.
  t.deepEqual(outputs(query, batches), ['a={"N":1}@1', 'a=null@6']);
  t.deepEqual(outputs(query, batches, NO_CACHE), ['a={"N":1}@1', 'b={"N":1}@2', 'b={"N":2}@3', 'b=null@4', 'a={"N":2}@5', 'a=null@6']);
});

test('a session GROUP BY emits the latest session once per commit, and no tombstone for a session that came and went within it', (t) => {
  const query = 'CREATE TABLE OUT AS SELECT ID, COUNT(*) AS N FROM S WINDOW SESSION (10 SECONDS) GROUP BY ID;';
  const batches: [string, number, number][][] = [[['a', 0, 1_000], ['a', 0, 5_000]], [['a', 0, 9_000]]];
  t.deepEqual(outputs(query, batches), ['a={"N":2}@5000', 'a=null@5000', 'a={"N":3}@9000']);
  t.deepEqual(outputs(query, batches, NO_CACHE), ['a={"N":1}@1000', 'a=null@1000', 'a={"N":2}@5000', 'a=null@5000', 'a={"N":3}@9000']);
});

test('a table aggregation downstream of an aggregate takes each flushed result out of its group as it adds the next', (t) => {
  const queries = 'CREATE TABLE COUNTS AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;'
    + ' CREATE TABLE OUT AS SELECT N, COUNT(*) AS KEYS FROM COUNTS GROUP BY N;';
  const batches: [string, number, number][][] = [[['a', 0, 1], ['b', 0, 2], ['a', 0, 3]], [['a', 0, 4], ['b', 0, 5]]];
  let final = new Map<string, string>();
  for (const properties of [{}, NO_CACHE]) {
    withTempEngine(({ broker, engine, scheduler }) => {
      engine.execute("CREATE STREAM S (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
      engine.execute(queries);
      for (const batch of batches) {
        broker.append('s', batch.map(([id, v, time]) => ({ key: Buffer.from(id), value: Buffer.from(JSON.stringify({ V: v })), timestamp: time })));
        scheduler.runUntilIdle();
      }
      // The latest count of keys per N: a = 3 and b = 2 in the end.
      final = new Map(broker.read('OUT', 0, 0, { maxRecords: 1000 }).map((r) => [r.key!.readBigInt64BE().toString(), r.value!.toString()]));
    }, { properties: { 'auto.offset.reset': 'earliest', ...properties } });
    t.deepEqual(Object.fromEntries(final), { 1: '{"KEYS":0}', 2: '{"KEYS":1}', 3: '{"KEYS":1}' });
  }
});

test('a flushed result of a key of several columns, or of a windowed source grouped by its key, keeps its key and window', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');"
      + " CREATE TABLE PAIRS WITH (KEY_FORMAT='JSON') AS SELECT ID, V, COUNT(*) AS N FROM S GROUP BY ID, V;"
      + " CREATE STREAM WS (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='ws', PARTITIONS=1, VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='10 SECONDS');"
      + ' CREATE TABLE OUT AS SELECT ID, COUNT(*) AS N FROM WS GROUP BY ID;');
    const rows: [string, number, number][] = [['a', 1, 1_000], ['a', 1, 2_000], ['b', 2, 3_000], ['a', 2, 11_000]];
    broker.append('s', rows.map(([id, v, time]) => ({ key: Buffer.from(id), value: Buffer.from(JSON.stringify({ V: v })), timestamp: time })));
    const windowed = (id: string, start: number): Buffer => {
      const key = Buffer.alloc(id.length + 8);
      key.write(id);
      key.writeBigInt64BE(BigInt(start), id.length);
      return key;
    };
    broker.append('ws', rows.map(([id, v, time]) => ({ key: windowed(id, time - (time % 10_000)), value: Buffer.from(JSON.stringify({ V: v })), timestamp: time })));
    scheduler.runUntilIdle();
    const pairs = broker.read('PAIRS', 0, 0, { maxRecords: 100 }).map((r) => `${r.key!.toString()}=${r.value!.toString()}`);
    t.deepEqual(pairs, ['{"ID":"a","V":1}={"N":2}', '{"ID":"b","V":2}={"N":1}', '{"ID":"a","V":2}={"N":1}']);
    const counts = broker.read('OUT', 0, 0, { maxRecords: 100 }).map((r) => `${r.key!.subarray(0, 1).toString()}@${r.key!.readBigInt64BE(1)}=${r.value!.toString()}`);
    t.deepEqual(counts, ['a@0={"N":2}', 'b@0={"N":1}', 'a@10000={"N":1}']);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
