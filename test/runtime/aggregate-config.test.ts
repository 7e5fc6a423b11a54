import test from 'ava';
import { withEngine } from './engine-helper.js';

test('a collection aggregate keeps no more values than the query configuration allows', (t) => {
  withEngine((run) => {
    run.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    run.execute('CREATE TABLE OUT AS SELECT ID, COLLECT_LIST(V) AS L FROM S GROUP BY ID;');
    run.execute('INSERT INTO S (ID, V) VALUES (1, 10); INSERT INTO S (ID, V) VALUES (1, 20); INSERT INTO S (ID, V) VALUES (1, 30);');
    t.deepEqual(run.values('OUT'), ['{"L":[10]}', '{"L":[10,20]}', '{"L":[10,20]}']);
  }, { 'ksql.functions.collect_list.limit': 2, 'cache.max.bytes.buffering': 0 }); // no cache: every update of the batch is emitted
});

test('an aggregate whose accumulator the source value format cannot hold is refused', (t) => {
  withEngine((run) => {
    run.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='DELIMITED');");
    t.throws(() => run.execute("CREATE TABLE OUT WITH (VALUE_FORMAT='JSON') AS SELECT ID, AVG(V) AS A FROM S GROUP BY ID;"), {
      message: /^One of the functions used in the statement has an intermediate type that the value format can not handle\./,
    });
    t.notThrows(() => run.execute('CREATE TABLE OUT2 AS SELECT ID, SUM(V) AS T FROM S GROUP BY ID;'));
  });
});
