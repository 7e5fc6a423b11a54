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
