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
