import test from 'ava';
import { statementError } from '../helpers/statement-error.js';

/** The message of the last statement's failure after the others ran on a fresh driver, or 'ok'. */
function outcome(statements: string[]): string {
  return statementError(statements.slice(0, -1).join('\n'), statements[statements.length - 1]!) ?? 'ok';
}

const STREAM = "CREATE STREAM S (K STRING KEY, V INT, A ARRAY<ARRAY<INT>>, B ARRAY<INT>) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);";

test('a table function inside another names both, as ksqlDB\'s analyzer prints function names', (t) => {
  t.is(outcome([STREAM, 'CREATE STREAM OUT AS SELECT K, EXPLODE(EXPLODE(A)) AS X FROM S;']),
    'Table functions cannot be nested: `EXPLODE`(`EXPLODE`())');
});

test('a table function in a searched CASE is refused with the CASE expression', (t) => {
  t.is(outcome([STREAM, "CREATE STREAM OUT AS SELECT K, CASE WHEN V = 1 THEN EXPLODE(B) ELSE 0 END AS X FROM S;"]),
    'Table functions cannot be used in CASE: (CASE WHEN (V = 1) THEN EXPLODE(B) ELSE 0 END)');
});

test('a table function over a table source is refused with ksqlDB\'s message', (t) => {
  t.is(outcome(["CREATE TABLE T (K STRING PRIMARY KEY, B ARRAY<INT>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);",
    'CREATE TABLE OUT AS SELECT K, EXPLODE(B) AS X FROM T;']), 'Table source is not supported with table functions');
});

test('a table function outside the SELECT (WHERE, PARTITION BY) is no scalar function, as in ksqlDB\'s code generator', (t) => {
  t.regex(outcome([STREAM, 'CREATE STREAM OUT AS SELECT K, V FROM S WHERE EXPLODE(B) > 1;']), /Can't find any functions with the name 'EXPLODE'/);
  t.regex(outcome([STREAM, 'CREATE STREAM OUT AS SELECT EXPLODE(B) AS X, K FROM S PARTITION BY EXPLODE(B);']), /Can't find any functions with the name 'EXPLODE'/);
});
