import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

const PLANNER = { 'auto.offset.reset': 'earliest', 'ksql.new.query.planner.enabled': true };

test('under the new query planner a projection keeps as key the key columns it names, in its order, and may name none', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`CREATE STREAM S (ID INT KEY, AGE INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');
      CREATE STREAM REORDERED AS SELECT AGE, ID, NAME FROM S;
      CREATE STREAM KEYLESS AS SELECT NAME FROM S;`);
    t.deepEqual(engine.metastore.getSource('REORDERED')!.schema.key.map((c) => c.name), ['AGE', 'ID']);
    t.deepEqual(engine.metastore.getSource('KEYLESS')!.schema.key, []);
    engine.execute("INSERT INTO S (ID, AGE, NAME) VALUES (1, 20, 'a');");
    scheduler.runUntilIdle();
    const [reordered] = broker.read('REORDERED', 0, 0, { maxRecords: 1 });
    t.is(reordered!.key!.toString(), '{"AGE":20,"ID":1}');
    const [keyless] = broker.read('KEYLESS', 0, 0, { maxRecords: 1 });
    t.is(keyless!.key, null);
    t.is(keyless!.value!.toString(), '{"NAME":"a"}');
  }, { properties: PLANNER });
});

test('the new query planner refuses what it cannot plan with ksqlDB\'s messages', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(`CREATE STREAM S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');
      CREATE TABLE T (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');`);
    t.throws(() => engine.execute("CREATE STREAM O1 AS SELECT * FROM S WHERE NAME = 'a';"),
      { message: /New query planner does not support WHERE\. Set ksql\.new\.query\.planner\.enabled=false\./ });
    t.throws(() => engine.execute('CREATE TABLE O2 AS SELECT * FROM T;'), { message: /Input TABLES are not supported by the new planner/ });
  }, { properties: PLANNER });
});
