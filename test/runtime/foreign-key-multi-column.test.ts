import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

const TABLES = `CREATE TABLE L (L_ID BIGINT PRIMARY KEY, L_FK BIGINT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');
  CREATE TABLE R (R_ID BIGINT PRIMARY KEY, F1 STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');`;

test('a foreign-key join of a left table with several key columns keys its result by all of them', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    engine.execute(`${TABLES} CREATE TABLE OUT AS SELECT L_ID, L_FK, R_ID, NAME, F1 FROM L JOIN R ON L_FK = R_ID;`);
    t.is(engine.metastore.getSource('OUT')!.schema.key.map((c) => c.name).join(), 'L_ID,L_FK');
    for (const sql of ["INSERT INTO R (R_ID, F1) VALUES (0, 'blah');", "INSERT INTO L (L_ID, L_FK, NAME) VALUES (1, 0, 'zero');",
      "INSERT INTO L (L_ID, L_FK, NAME) VALUES (10, 0, 'bar');", "INSERT INTO R (R_ID, F1) VALUES (0, 'a');"]) {
      engine.execute(sql);
      scheduler.runUntilIdle();
    }
    t.deepEqual(broker.read('OUT', 0, 0, { maxRecords: 10 }).map((r) => `${r.key!.toString()} ${r.value!.toString()}`), [
      '{"L_ID":1,"L_FK":0} {"R_ID":0,"NAME":"zero","F1":"blah"}',
      '{"L_ID":10,"L_FK":0} {"R_ID":0,"NAME":"bar","F1":"blah"}',
      '{"L_ID":1,"L_FK":0} {"R_ID":0,"NAME":"zero","F1":"a"}',
      '{"L_ID":10,"L_FK":0} {"R_ID":0,"NAME":"bar","F1":"a"}',
    ]);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});

test('a foreign-key join must project every key column of the left table, and says which are missing', (t) => {
  withTempEngine(({ engine }) => {
    engine.execute(TABLES);
    const one = t.throws(() => engine.execute('CREATE TABLE OUT AS SELECT L_ID, NAME, F1 FROM L JOIN R ON L_FK = R_ID;'));
    t.regex(one!.message, /Primary key column missing in projection\. .* \(`L`\)\. Missing column: `L_FK`\./);
    const both = t.throws(() => engine.execute('CREATE TABLE OUT AS SELECT NAME, F1 FROM L LEFT JOIN R ON L_FK = R_ID;'));
    t.regex(both!.message, /Primary key columns missing in projection\. .* Missing columns: `L_ID`, `L_FK`\./);
  });
});
