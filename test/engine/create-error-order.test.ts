/**
 * Which error a CREATE with several faults reports, in ksqlDB's order: the
 * WITH clause's properties when the statement is read; for CREATE
 * STREAM/TABLE the formats (DefaultSchemaInjector) before the columns
 * (CreateSourceFactory: its TIMESTAMP column); for CREATE ... AS SELECT the
 * projection's columns, then the sink's formats (the analysis of the sink),
 * then the planner's checks (its TIMESTAMP column).
 */
import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

function firstError(statement: string): string {
  return withTempEngine(({ engine }) => {
    engine.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute("CREATE TABLE T (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');");
    try {
      engine.execute(statement);
      return 'no error';
    } catch (error) {
      return (error as Error).message.split('\n')[0]!;
    }
  });
}

const MISSING_TIMESTAMP = "The TIMESTAMP column set in the WITH clause does not exist in the schema: 'NOPE'";

test('CREATE STREAM and TABLE: a bad property, then an unknown format, then a missing column', (t) => {
  t.is(firstError("CREATE STREAM A (X INT) WITH (KAFKA_TOPIC='a', PARTITIONS=1, VALUE_FORMAT='FOO', TIMESTAMP='NOPE', BOGUS='1');"),
    'Failed to prepare statement: Invalid config variable(s) in the WITH clause: BOGUS');
  t.is(firstError("CREATE STREAM A (X INT) WITH (KAFKA_TOPIC='a', PARTITIONS=1, VALUE_FORMAT='FOO', TIMESTAMP='NOPE');"), 'Unknown format: FOO');
  t.is(firstError("CREATE TABLE A (K INT PRIMARY KEY, X INT) WITH (KAFKA_TOPIC='a', PARTITIONS=1, KEY_FORMAT='BAR', VALUE_FORMAT='JSON', TIMESTAMP='NOPE');"), 'Unknown format: BAR');
  t.is(firstError("CREATE STREAM A (X INT) WITH (KAFKA_TOPIC='a', PARTITIONS=1, VALUE_FORMAT='JSON', TIMESTAMP='NOPE');"), MISSING_TIMESTAMP);
});

test('CREATE STREAM and TABLE AS SELECT: a bad property, then an unknown column, then an unknown format, then the TIMESTAMP column', (t) => {
  t.is(firstError("CREATE STREAM A WITH (VALUE_FORMAT='FOO', TIMESTAMP='NOPE', BOGUS=1) AS SELECT NOPE2 FROM S;"),
    'Failed to prepare statement: Invalid config variable(s) in the WITH clause: BOGUS');
  t.is(firstError("CREATE STREAM A WITH (VALUE_FORMAT='FOO', TIMESTAMP='NOPE') AS SELECT NOPE2 FROM S;"), "Line: 1, Col: 71: SELECT column 'NOPE2' cannot be resolved.");
  t.is(firstError("CREATE STREAM A WITH (VALUE_FORMAT='FOO', TIMESTAMP='NOPE') AS SELECT * FROM S;"), 'Unknown format: FOO');
  t.is(firstError("CREATE TABLE A WITH (FORMAT='FOO', TIMESTAMP='NOPE') AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;"), 'Unknown format: FOO');
  t.is(firstError("CREATE TABLE A WITH (KEY_FORMAT='BAR', TIMESTAMP='NOPE') AS SELECT * FROM T;"), 'Unknown format: BAR');
  t.is(firstError("CREATE STREAM A WITH (VALUE_FORMAT='JSON', TIMESTAMP='NOPE') AS SELECT * FROM S;"), MISSING_TIMESTAMP);
});
