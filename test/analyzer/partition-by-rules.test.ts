import test from 'ava';
import { statementError } from '../helpers/statement-error.js';

/** The message of the last statement's failure after the others ran on a fresh driver, or 'ok'. */
function outcome(statements: string[]): string {
  return statementError(statements.slice(0, -1).join('\n'), statements[statements.length - 1]!) ?? 'ok';
}

const STREAM = "CREATE STREAM S (K STRING KEY, ID INT, V STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);";
const TABLE = "CREATE TABLE T (TK STRING PRIMARY KEY, W INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);";
const HINT = '\nEach key column must only be in the projection once. If you intended to copy the key into the value, '
  + 'then consider using the AS_VALUE function to indicate which key reference should be copied.';

test('a new key projected twice is named as the repartition names it: the column, or the generated name', (t) => {
  t.is(outcome([STREAM, 'CREATE STREAM OUT AS SELECT ID AS A, ID AS B, V FROM S PARTITION BY ID;']),
    `The projection contains a key column (\`ID\`) more than once, aliased as: A and B.${HINT}`);
  t.is(outcome([STREAM, 'CREATE STREAM OUT AS SELECT UCASE(V) AS A, UCASE(V) AS B, ID FROM S PARTITION BY UCASE(V);']),
    `The projection contains a key column (\`KSQL_COL_0\`) more than once, aliased as: A and B.${HINT}`);
});

test('a join\'s partitioning expression missing from the projection is named as written, qualified by its source', (t) => {
  t.is(outcome([STREAM, TABLE, 'CREATE STREAM OUT AS SELECT S.K, T.W FROM S JOIN T ON S.K = T.TK PARTITION BY ID;']),
    'Key missing from projection (ie, SELECT). \nThe query used to build `OUT` must include the partitioning expression S.ID in its projection (eg, SELECT S.ID...).');
});
