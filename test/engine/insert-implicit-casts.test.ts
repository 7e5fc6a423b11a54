import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

test('INSERT INTO ... SELECT takes a numeric literal as the DECIMAL of the sink column it fills when its digits fit', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`CREATE STREAM SRC (IGNORED STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE STREAM TARGET (C1 DECIMAL(5,2), C2 DECIMAL(5,2)) WITH (KAFKA_TOPIC='target', PARTITIONS=1, VALUE_FORMAT='JSON');
      INSERT INTO TARGET SELECT 1 AS C1, 2.0 AS C2 FROM SRC;`);
    engine.execute("INSERT INTO SRC (IGNORED) VALUES ('v1');");
    scheduler.runUntilIdle();
    t.deepEqual(broker.read('target', 0, 0, { maxRecords: 1 }).map((r) => r.value!.toString()), ['{"C1":1.00,"C2":2.00}']);
    // Digits that do not fit keep the literal's type, which the sink refuses.
    t.throws(() => engine.execute('INSERT INTO TARGET SELECT 1234 AS C1, 2.0 AS C2 FROM SRC;'), { message: /Incompatible schema between results and sink/ });
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

test('INSERT INTO ... SELECT widens a DECIMAL column into a sink DECIMAL that holds its digits, as ksqlDB\'s compatibleSchema allows', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`CREATE STREAM SRC (K STRING KEY, D DECIMAL(4,2)) WITH (KAFKA_TOPIC='src', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE STREAM TARGET (K STRING KEY, D DECIMAL(6,3)) WITH (KAFKA_TOPIC='target', PARTITIONS=1, VALUE_FORMAT='JSON');
      INSERT INTO TARGET SELECT K, D FROM SRC;`);
    engine.execute("INSERT INTO SRC (K, D) VALUES ('a', 12.34);");
    scheduler.runUntilIdle();
    t.deepEqual(broker.read('target', 0, 0, { maxRecords: 1 }).map((r) => r.value!.toString()), ['{"D":12.340}']);
    // Fewer integer digits or a smaller scale is a narrowing, which the sink refuses.
    engine.execute("CREATE STREAM NARROW (K STRING KEY, D DECIMAL(4,1)) WITH (KAFKA_TOPIC='narrow', PARTITIONS=1, VALUE_FORMAT='JSON');");
    t.throws(() => engine.execute('INSERT INTO NARROW SELECT K, D FROM SRC;'), { message: /Incompatible schema between results and sink/ });
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
