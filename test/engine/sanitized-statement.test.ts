import test from 'ava';
import { statementError } from '../helpers/statement-error.js';

const SETUP = "CREATE STREAM S (K INT KEY, A INT, B STRING) WITH (KAFKA_TOPIC='s', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', PARTITIONS=1);";

function error(statement: string): string | undefined {
  return statementError(SETUP, statement);
}

test('a sink format refused while planning ends its error with the statement as ksqlDB sanitizes and writes it', (t) => {
  const message = error("CREATE STREAM O WITH (KEY_FORMAT='KAFKA') AS SELECT A, B, K + 1 FROM S WHERE A > 0 PARTITION BY A, B;");
  t.is(message?.split('\nStatement: ')[1], "CREATE STREAM O WITH (KEY_FORMAT='KAFKA') AS SELECT\n  S.A A,\n  S.B B,\n  (S.K + 1) KSQL_COL_0\nFROM S S\nWHERE (S.A > 0)\nPARTITION BY S.A, S.B\nEMIT CHANGES");
  t.regex(message ?? '', /^Key format does not support schema\.\nformat: KAFKA\n/);
});
