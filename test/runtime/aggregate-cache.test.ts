import test from 'ava';
import { closeEngine, openEngine, type EngineNode } from '../helpers/temp-engine.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { withEngine } from './engine-helper.js';

const QUERIES = [
  'CREATE TABLE TUMBLED AS SELECT ID, COUNT(*) AS N, SUM(V) AS T FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;',
  'CREATE TABLE HOPPED AS SELECT ID, COUNT(*) AS N FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY ID;',
  'CREATE TABLE TOTALS AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;',
];

/** Each insert is its own commit, so the next record of a key finds it in the cache, or (with no budget) only in storage. */
function outputs(properties: Record<string, number>): Record<string, string[]> {
  let result: Record<string, string[]> = {};
  withEngine((run) => {
    run.execute("CREATE STREAM S (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    for (const query of QUERIES) run.execute(query);
    const records: [string, number][] = [['a', 1_000], ['b', 2_000], ['a', 3_000], ['a', 7_000], ['b', 12_000], ['a', 13_000], ['b', 14_000]];
    for (const [id, time] of records) run.execute(`INSERT INTO S (ID, V, ROWTIME) VALUES ('${id}', ${time / 1000}, ${time});`);
    result = { TUMBLED: run.values('TUMBLED'), HOPPED: run.values('HOPPED'), TOTALS: run.values('TOTALS') };
  }, properties);
  return result;
}

test('aggregations count the same whether their cache keeps every key between commits, some or none', (t) => {
  const none = outputs({ 'ksql.streams.cache.max.bytes.buffering': 0 });
  t.deepEqual(none, outputs({}));
  // About two entries: each commit evicts the oldest windows whole and part of the next.
  t.deepEqual(none, outputs({ 'ksql.streams.cache.max.bytes.buffering': 400 }));
  t.deepEqual(none.TUMBLED, [
    '{"N":1,"T":1}', '{"N":1,"T":2}', '{"N":2,"T":4}', '{"N":3,"T":11}', '{"N":1,"T":12}', '{"N":1,"T":13}', '{"N":2,"T":26}',
  ]);
  t.deepEqual(none.TOTALS, ['{"N":1}', '{"N":1}', '{"N":2}', '{"N":3}', '{"N":2}', '{"N":4}', '{"N":3}']);
  t.is(none.HOPPED!.length, 11, 'a record in two hopping windows updates both (those before 5 s are in one: windows start at 0)');
});

/** The counts of GROUP BY `column`, tumbling and not, inserting `values` one commit each. */
function countsBy(column: string, type: string, values: readonly string[], properties: Record<string, number>): Record<string, string[]> {
  let result: Record<string, string[]> = {};
  withEngine((run) => {
    run.execute(`CREATE STREAM S (ID STRING KEY, G ${type}) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');`);
    run.execute(`CREATE TABLE BYKEY AS SELECT ${column}, AS_VALUE(${column}) AS K, COUNT(*) AS N FROM S GROUP BY ${column};`);
    run.execute(`CREATE TABLE BYWINDOW AS SELECT ${column}, AS_VALUE(${column}) AS K, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ${column};`);
    values.forEach((value, i) => run.execute(`INSERT INTO S (ID, G, ROWTIME) VALUES ('r${i}', ${value}, ${i * 1_000});`));
    result = { BYKEY: run.values('BYKEY'), BYWINDOW: run.values('BYWINDOW') };
  }, properties);
  return result;
}

test('a cached BIGINT, INT or DOUBLE grouping key counts as its own group, apart from its neighbours and with or without the cache', (t) => {
  const cases: [string, readonly string[], string[]][] = [
    ['BIGINT', ['1', '2', '1', '9007199254740993', '9007199254740992', '9007199254740993'], [
      '{"K":1,"N":1}', '{"K":2,"N":1}', '{"K":1,"N":2}', '{"K":9007199254740993,"N":1}', '{"K":9007199254740992,"N":1}', '{"K":9007199254740993,"N":2}',
    ]],
    ['INT', ['1', '2', '1', '-1'], ['{"K":1,"N":1}', '{"K":2,"N":1}', '{"K":1,"N":2}', '{"K":-1,"N":1}']],
    // 0.0 and -0.0 are different keys (their bytes differ, as in Kafka Streams), though a JavaScript Map takes them for one.
    ['DOUBLE', ['0.0', '-0.0', '1.5', '0.0', '-0.0'], ['{"K":0.0,"N":1}', '{"K":-0.0,"N":1}', '{"K":1.5,"N":1}', '{"K":0.0,"N":2}', '{"K":-0.0,"N":2}']],
  ];
  for (const [type, values, expected] of cases) {
    const cached = countsBy('G', type, values, {});
    t.deepEqual(cached, countsBy('G', type, values, { 'ksql.streams.cache.max.bytes.buffering': 0 }), type);
    t.deepEqual(cached.BYKEY, expected, type);
    t.deepEqual(cached.BYWINDOW, expected, type);
  }
});

test('a GROUP BY restarted over its stored state, with a cache smaller than its keys, counts on from what it stored', (t) => {
  withTempDir((dir) => {
    const properties = { 'auto.offset.reset': 'earliest', 'ksql.streams.cache.max.bytes.buffering': 1 };
    const insert = (node: EngineNode, ids: readonly string[]) => {
      for (const id of ids) node.engine.execute(`INSERT INTO S (ID, V) VALUES ('${id}', 1);`);
      node.scheduler.runUntilIdle();
    };
    let node = openEngine(dir, { properties });
    node.engine.execute("CREATE STREAM S (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    node.engine.execute('CREATE TABLE TOTALS AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;');
    insert(node, ['a', 'b', 'a']);
    closeEngine(node);
    node = openEngine(dir, { properties });
    insert(node, ['b', 'a', 'c']);
    const values = node.broker.read('TOTALS', 0, 0, { maxRecords: 100 }).map((r) => r.value!.toString());
    closeEngine(node);
    t.deepEqual(values, ['{"N":1}', '{"N":1}', '{"N":2}', '{"N":2}', '{"N":3}', '{"N":1}']);
  });
});
