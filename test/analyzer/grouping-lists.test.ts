import test from 'ava';
import { analyzeSinkQuery } from './analyze-sink-query.js';
import { formatLogicalSchema } from '../../src/schema/logical-schema.js';

function analyze(sql: string): string {
  return formatLogicalSchema(analyzeSinkQuery(sql, 'W').outputSchema);
}

test('an empty PARTITION BY or GROUP BY list is refused', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S PARTITION BY ();'), { message: 'PARTITION BY requires at least one expression' });
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT COUNT(*) FROM S GROUP BY ();'), { message: 'GROUP BY requires at least one expression' });
});

test('a PARTITION BY expression listed twice is refused, qualified or not', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S PARTITION BY V, S.V;'), { message: 'Duplicate PARTITION BY expression: S.V' });
});

test('PARTITION BY NULL is allowed alone, where the result has no key, and refused with other expressions', (t) => {
  t.is(analyze('CREATE STREAM OUT AS SELECT * FROM S PARTITION BY NULL;'), '`V` INTEGER, `W` STRING, `K` INTEGER');
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S PARTITION BY NULL, V;'), { message: 'Cannot PARTITION BY multiple columns including NULL' });
});

test('an unknown column in PARTITION BY is said to be needed in the source, as PARTITION BY applies to the input', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S PARTITION BY V + FOO;'), {
    message: "Line: 1, Col: 55: PARTITION BY column 'FOO' cannot be resolved. 'FOO' must be a column in the source schema since PARTITION BY is applied on the input.",
  });
});

test('a grouping expression projected more than once is refused with the AS_VALUE hint, the names listed in projection order', (t) => {
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT V AS A, V AS B, V AS C, COUNT(*) AS N FROM S GROUP BY V;'), {
    message: 'The projection contains a key column more than once: `A`, `B` and `C`.\n'
      + 'Each key column must only be in the projection once. If you intended to copy the key into the value, '
      + 'then consider using the AS_VALUE function to indicate which key reference should be copied.',
  });
});
