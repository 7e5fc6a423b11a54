import test from 'ava';
import { statementError } from '../helpers/statement-error.js';

const SETUP = `CREATE STREAM L (ID STRING KEY, A INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM R (ID STRING KEY, B INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);`;

function error(statement: string): string | undefined {
  return statementError(SETUP, statement);
}

test('an unresolved column is reported at its place in the statement, in every clause', (t) => {
  t.is(error('CREATE STREAM O AS SELECT L.ID, A FROM L JOIN R WITHIN 1 SECOND ON L.NOPE = R.ID;'), "Line: 3, Col: 68: JOIN ON column 'L.NOPE' cannot be resolved.");
  t.is(error('CREATE STREAM O AS SELECT ID, NOPE FROM L;'), "Line: 3, Col: 31: SELECT column 'NOPE' cannot be resolved.");
});

test('errors of qualifying columns are framed as ksqlDB frames errors of preparing a statement', (t) => {
  t.is(error('CREATE STREAM O AS SELECT L.ID, A FROM L JOIN R WITHIN 1 SECOND ON L.ID = R.ID WHERE ID = \'x\';'),
    "Exception while preparing statement: Line: 3, Col: 86: Column 'ID' is ambiguous. Could be L.ID or R.ID.");
  t.is(error('CREATE STREAM O AS SELECT X.ID FROM L;'), "Failed to prepare statement: 'X' is not a valid stream/table name or alias.");
  t.is(error('CREATE STREAM O AS SELECT X.* FROM L;'), "Failed to prepare statement: 'X' is not a valid stream/table name or alias.");
});

test('expressions in messages are written as ksqlDB writes them: non-reserved words bare, null in lower case', (t) => {
  t.is(error('CREATE STREAM O AS SELECT L.ID, A FROM L JOIN R WITHIN 1 SECOND ON L.ID = null;'),
    "Invalid comparison expression 'null' in join '(L.ID = null)'. Each side of the join comparision must contain references from exactly one source.");
});
