import test from 'ava';
import { withEngine } from './engine-helper.js';

/** Without a cache every update is emitted, also those of one batch (one commit). */
const EVERY_UPDATE = { 'cache.max.bytes.buffering': 0 };

const SOURCE = "CREATE TABLE T (ID STRING PRIMARY KEY, K STRING, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');";

test('a table update that stays in its group emits the group result once', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCE} CREATE TABLE OUT AS SELECT K, SUM(V) AS S FROM T GROUP BY K;`);
    run.execute("INSERT INTO T (ID, K, V) VALUES ('a', 'x', 1); INSERT INTO T (ID, K, V) VALUES ('b', 'x', 2);");
    run.execute("INSERT INTO T (ID, K, V) VALUES ('a', 'x', 5);");
    t.deepEqual(run.values('OUT'), ['{"S":1}', '{"S":3}', '{"S":7}']);
  }, EVERY_UPDATE);
});

test('a table update that moves a row to another group updates the old group, then the new one', (t) => {
  withEngine((run) => {
    run.execute(`${SOURCE} CREATE TABLE OUT AS SELECT K, SUM(V) AS S FROM T GROUP BY K;`);
    run.execute("INSERT INTO T (ID, K, V) VALUES ('a', 'x', 1); INSERT INTO T (ID, K, V) VALUES ('b', 'x', 2);");
    run.execute("INSERT INTO T (ID, K, V) VALUES ('a', 'y', 4);");
    t.deepEqual(run.values('OUT'), ['{"S":1}', '{"S":3}', '{"S":2}', '{"S":4}']);
  }, EVERY_UPDATE);
});
