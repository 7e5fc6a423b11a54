import test from 'ava';
import { TestDriver } from '../../src/testing/test-driver.js';

test('the test driver rethrows an error its queries do not route to the processing log (a corrupt internal record)', (t) => {
  const driver = new TestDriver({});
  try {
    driver.registerTopic({ name: 'in', format: 'JSON' });
    driver.execute(`CREATE STREAM S (ID INT, V STRING) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON');
      CREATE TABLE T AS SELECT V, COUNT(*) AS N FROM S GROUP BY V;`);
    driver.pipe({ topic: 'in', key: null, value: '{"ID":1,"V":"a"}', timestamp: 0, headers: [] });
    t.deepEqual(driver.read('T').map((r) => r.value), ['{"N":1}']);
    const repartition = driver.topics().find((name) => name.endsWith('-repartition'))!;
    t.truthy(repartition);
    t.throws(() => driver.pipe({ topic: repartition, key: 'garbage', value: 'garbage', timestamp: 0, headers: [] }));
    t.deepEqual(driver.read('T').map((r) => r.value), ['{"N":1}']);
  } finally {
    driver.close();
  }
});

test('the test driver runs with the service id of ksqlDB\'s test executor, which names internal topics', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S (ID INT, V STRING) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE TABLE T AS SELECT V, COUNT(*) AS N FROM S GROUP BY V;`);
    t.true(driver.topics().includes('_confluent-ksql-some.ksql.service.idquery_CTAS_T_0-Aggregate-GroupBy-repartition'));
  } finally {
    driver.close();
  }
});

test('a sink written with a schema named by VALUE_SCHEMA_ID reads back with that schema\'s fields: extra ones null or their default', (t) => {
  const driver = new TestDriver({});
  try {
    driver.registerTopic({
      name: 'OUT', valueFormat: 'AVRO', valueSchemaId: 7,
      valueSchema: { type: 'record', name: 'R', fields: [
        { name: 'c1', type: 'int' }, { name: 'c2', type: ['null', 'int'], default: null }, { name: 'c3', type: 'string', default: 'foo' },
      ] },
    });
    driver.execute("CREATE STREAM S (`id` INT KEY, `c1` INT) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='AVRO', PARTITIONS=1);");
    driver.execute("CREATE STREAM OUT WITH (VALUE_SCHEMA_ID=7) AS SELECT * FROM S;");
    driver.pipe({ topic: 'in', key: '42', value: '{"c1":4}', timestamp: 0, headers: [] });
    t.deepEqual(driver.read('OUT').map((r) => JSON.parse(r.value!)), [{ c1: 4, c2: null, c3: 'foo' }]);
  } finally {
    driver.close();
  }
});

test('a sink of several partitions reads back in the order its records were written, as TopologyTestDriver gives them', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S (ID INT KEY, K INT) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON', PARTITIONS=4);
      CREATE STREAM R AS SELECT * FROM S PARTITION BY K;`);
    const keys = [5, 1, 4, 2, 3, 5, 1];
    keys.forEach((k, i) => driver.pipe({ topic: 'in', key: String(i), value: `{"K":${k}}`, timestamp: i, headers: [] }));
    // The keys spread over the four partitions, so partition order would differ from this.
    t.deepEqual(driver.read('R').map((r) => Number(r.key)), keys);
    t.deepEqual(driver.read('R').map((r) => r.timestamp), keys.map((_, i) => i));
  } finally {
    driver.close();
  }
});

test('a record without a key piped to a table\'s compacted topic reaches the table, which drops it (no broker refuses it, as in TopologyTestDriver)', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE TABLE T (NAME VARCHAR PRIMARY KEY, N INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE TABLE U AS SELECT NAME, N * 10 AS N10 FROM T;`);
    driver.pipe({ topic: 't', key: null, value: '{"NAME":"a","N":1}', timestamp: 1, headers: [] });
    driver.pipe({ topic: 't', key: '"b"', value: '{"N":2}', timestamp: 2, headers: [] });
    t.deepEqual(driver.read('U').map((r) => [r.key, r.value]), [['"b"', '{"N10":20}']]);
  } finally {
    driver.close();
  }
});

test('each piped record runs to its commit, as in ksqlDB\'s TopologyTestDriver: an aggregate emits every update even with its cache on', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE TABLE T AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;`);
    for (let i = 0; i < 3; i++) driver.pipe({ topic: 'in', key: '1', value: '{"V":"a"}', timestamp: i, headers: [] });
    t.deepEqual(driver.read('T').map((r) => r.value), ['{"N":1}', '{"N":2}', '{"N":3}']);
  } finally {
    driver.close();
  }
});

test('as ksqlDB\'s test runner, the driver registers the test\'s schemas and those of CREATE statements in the order of a Java HashMap of their topics', (t) => {
  const driver = new TestDriver({});
  try {
    driver.registerTopic({
      name: 'OUTPUT', valueFormat: 'AVRO', partitions: 1,
      valueSchema: { name: 'blah', type: 'record', fields: [{ name: 'c2', type: 'double' }, { name: 'c1', type: 'int' }] },
    });
    driver.execute("CREATE STREAM INPUT (`id` INT KEY, `c1` INT) WITH (kafka_topic='input', value_format='avro', partitions=1);");
    const registry = driver.engine.schemaRegistry!;
    // 'input' comes before 'OUTPUT' in such a map, though the test named OUTPUT first.
    t.is(registry.latest('input-value')?.id, 1);
    t.is(registry.latest('OUTPUT-value')?.id, 2);
    const error = t.throws(() => driver.execute('CREATE STREAM OUT2 WITH (kafka_topic=\'OUTPUT\', value_schema_id=2) AS SELECT * FROM input;'));
    t.regex(error!.message, /The following value columns are changed, missing or reordered: \[`c1` INTEGER\]\. Schema from schema registry is \[`c2` DOUBLE, `c1` INTEGER\]/);
  } finally {
    driver.close();
  }
});
