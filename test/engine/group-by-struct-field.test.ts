/**
 * GROUP BY a struct field (ksqlDB's GroupByParamsFactory): the grouped key is
 * named after the field, numbered when a column of the source has that name,
 * and a select item names a source column, never that key; so a projected
 * column of the field's name is either unknown or not part of the GROUP BY.
 */
import test from 'ava';
import { prepareQuery } from '../../src/engine/push-query.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const DDL = [
  "CREATE STREAM S (ID INT KEY, AFTER STRUCT<NAME STRING>, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');",
  "CREATE STREAM S2 (ID INT KEY, AFTER STRUCT<NAME STRING>, NAME STRING) WITH (KAFKA_TOPIC='s2', PARTITIONS=1, VALUE_FORMAT='JSON');",
];

function columnsOrError(sql: string): string[] | string {
  return withTempEngine(({ engine }) => {
    for (const ddl of DDL) engine.execute(ddl);
    try {
      return prepareQuery(engine, { sql, properties: {}, variables: new Map() }).columns.map((c) => c.name);
    } catch (error) {
      return (error as Error).message;
    }
  });
}

test('a projected column named as the grouped struct field is a source column, not the key', (t) => {
  t.is(columnsOrError('SELECT NAME, COUNT(*) FROM S GROUP BY AFTER->NAME EMIT CHANGES;'), "Line: 1, Col: 8: SELECT column 'NAME' cannot be resolved.");
  t.is(columnsOrError('SELECT NAME, COUNT(*) FROM S2 GROUP BY AFTER->NAME EMIT CHANGES;'),
    'Non-aggregate SELECT expression(s) not part of GROUP BY: NAME\nEither add the column(s) to the GROUP BY or remove them from the SELECT.');
  t.is(columnsOrError("SELECT AFTER->NAME, COUNT(*) FROM S GROUP BY AFTER->NAME HAVING NAME = 'x' EMIT CHANGES;"), "Line: 1, Col: 65: HAVING column 'NAME' cannot be resolved.");
  t.is(columnsOrError("SELECT AFTER->NAME, COUNT(*) FROM S2 GROUP BY AFTER->NAME HAVING NAME = 'x' EMIT CHANGES;"),
    'Non-aggregate HAVING expression not part of GROUP BY: NAME\nConsider switching the HAVING clause to a WHERE clause before the GROUP BY.');
});

test('the grouped struct field names the key, numbered past a source column of that name', (t) => {
  t.deepEqual(columnsOrError('SELECT AFTER->NAME, COUNT(*) FROM S GROUP BY AFTER->NAME EMIT CHANGES;'), ['NAME', 'KSQL_COL_0']);
  t.deepEqual(columnsOrError('SELECT AFTER->NAME, COUNT(*) FROM S2 GROUP BY AFTER->NAME EMIT CHANGES;'), ['NAME_1', 'KSQL_COL_0']);
});
