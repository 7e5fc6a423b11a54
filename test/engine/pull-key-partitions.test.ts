/**
 * A pull query's key lookup reads the key's partition by Kafka's default
 * partitioner (murmur2 of the serialized key), as ksqlDB does, and only when
 * the key has no row there the other partitions, where a producer with
 * another partitioner may have put it: a key present in both answers its
 * default partition's row only; a key found only elsewhere is still
 * answered; an absent key answers nothing. For plain and windowed tables,
 * single keys and IN lists, through the full path and the shape cache.
 */
import test from 'ava';
import { partitionForKey } from '../../src/broker/index.js';
import { prepareQuery } from '../../src/engine/push-query.js';
import type { TransientEnd } from '../../src/runtime/transient-query.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';

const PARTITIONS = 4;

function pull(node: EngineNode, sql: string): unknown[][] {
  const rows: unknown[][] = [];
  let end: TransientEnd | undefined;
  prepareQuery(node.engine, { sql, properties: {}, variables: new Map() }).start({ row: (values) => rows.push([...values]), end: (e) => (end = e) });
  if (end?.kind !== 'complete') throw new Error(`the pull query ended ${JSON.stringify(end)}`);
  return rows;
}

const keyBytes = (id: number): Buffer => {
  const key = Buffer.alloc(4);
  key.writeInt32BE(id);
  return key;
};

const home = (id: number): number => partitionForKey(keyBytes(id), PARTITIONS);
const elsewhere = (id: number): number => (home(id) + 1) % PARTITIONS;

/**
 * Key 1 in its default partition (V 'home', at times 0 and 10 s) and in
 * another one (V 'stray', at 20 s); key 2 only in a partition not its own.
 */
function fill(node: EngineNode): void {
  node.engine.execute(`CREATE STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=${PARTITIONS}, KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');`);
  node.engine.execute('CREATE TABLE LATEST AS SELECT ID, LATEST_BY_OFFSET(V) AS V FROM S GROUP BY ID;');
  node.engine.execute('CREATE TABLE WINDOWED AS SELECT ID, LATEST_BY_OFFSET(V) AS V FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;');
  const record = (id: number, partition: number, v: string, timestamp: number) => ({ key: keyBytes(id), value: Buffer.from(JSON.stringify({ V: v })), partition, timestamp });
  node.broker.append('s', [
    record(1, home(1), 'home', 0),
    record(1, home(1), 'home', 10_000),
    record(1, elsewhere(1), 'stray', 20_000),
    record(2, elsewhere(2), 'only', 0),
  ]);
  node.scheduler.runUntilIdle();
}

const options = { properties: { 'auto.offset.reset': 'earliest' } };

test('a key lookup on a table answers its default partition\'s row, else another partition\'s, else nothing', (t) =>
  withTempEngine((node) => {
    fill(node);
    t.not(home(1), elsewhere(1));
    t.deepEqual(pull(node, 'SELECT * FROM LATEST;').length, 3, 'the stray row of key 1 is in the table, in another partition');
    // Twice each: the first statement of a shape is planned in full, the next ones come from the shape cache.
    for (const round of ['planned', 'cached']) {
      t.deepEqual(pull(node, 'SELECT * FROM LATEST WHERE ID = 1;'), [[1, 'home']], round);
      t.deepEqual(pull(node, 'SELECT * FROM LATEST WHERE ID = 2;'), [[2, 'only']], round);
      t.deepEqual(pull(node, 'SELECT * FROM LATEST WHERE ID = 3;'), [], round);
      t.deepEqual(pull(node, 'SELECT ID, V FROM LATEST WHERE ID IN (3, 2, 1);'), [[2, 'only'], [1, 'home']], round);
    }
  }, options));

test('a key lookup on a windowed table answers the windows of its default partition, else another partition\'s, else nothing', (t) =>
  withTempEngine((node) => {
    fill(node);
    for (const round of ['planned', 'cached']) {
      t.deepEqual(pull(node, 'SELECT * FROM WINDOWED WHERE ID = 1;'), [[1, 0n, 10_000n, 'home'], [1, 10_000n, 20_000n, 'home']], round);
      t.deepEqual(pull(node, 'SELECT * FROM WINDOWED WHERE ID = 1 AND WINDOWSTART >= 10000;'), [[1, 10_000n, 20_000n, 'home']], round);
      t.deepEqual(pull(node, 'SELECT * FROM WINDOWED WHERE ID = 2;'), [[2, 0n, 10_000n, 'only']], round);
      t.deepEqual(pull(node, 'SELECT * FROM WINDOWED WHERE ID = 3;'), [], round);
      t.deepEqual(pull(node, 'SELECT ID, WINDOWSTART, V FROM WINDOWED WHERE ID IN (1, 2, 3);'), [[1, 0n, 'home'], [1, 10_000n, 'home'], [2, 0n, 'only']], round);
    }
  }, options));
