import test from 'ava';
import { statementError } from '../helpers/statement-error.js';

const SETUP = `CREATE STREAM L (K STRING KEY, F0 INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE STREAM R (K STRING KEY, F1 INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);`;

function error(statements: string): string | undefined {
  return statementError(SETUP, statements);
}

test('a pseudo column selected under its own name is refused in a persistent query, with or without its source, in a join too', (t) => {
  const message = 'Reserved column name in select: `ROWTIME`. Please remove or alias the column.';
  t.is(error('CREATE STREAM O AS SELECT K, ROWTIME AS ROWTIME FROM L;'), message);
  t.is(error('CREATE STREAM O AS SELECT K, L.ROWTIME AS ROWTIME FROM L;'), message);
  t.is(error('CREATE STREAM O AS SELECT L.K, L.ROWTIME AS ROWTIME, F0, F1 FROM L JOIN R WITHIN 1 SECOND ON L.K = R.K;'), message);
});

test('another column aliased as a pseudo column is refused as an alias', (t) => {
  t.is(error('CREATE STREAM O AS SELECT K, F0 AS ROWTIME FROM L;'), '`ROWTIME` is a reserved column name. You cannot use it as an alias for a column.');
});
