import test from 'ava';
import { analyzeQuery, type AnalysisContext } from '../../src/analyzer/query-analyzer.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseStatements } from '../../src/parser/index.js';
import { formatLogicalSchema } from '../../src/schema/logical-schema.js';
import type { Query } from '../../src/parser/ast/query.js';

const context: AnalysisContext = {
  lookupSource: (name) => name === 'S'
    ? {
        name: 'S', kind: 'STREAM', windowed: false,
        schema: {
          key: [{ name: 'K', type: { kind: 'INTEGER' }, namespace: 'KEY' }],
          value: [{ name: 'V', type: { kind: 'INTEGER' }, namespace: 'VALUE' }, { name: 'W', type: { kind: 'STRING' }, namespace: 'VALUE' }],
        },
      }
    : undefined,
  lookupType: () => undefined,
  functions: createFunctionRegistry(),
  sinkName: 'OUT',
};

function analyze(sql: string): string {
  const [statement] = parseStatements(sql);
  if (statement?.kind !== 'CreateStreamAsSelect' && statement?.kind !== 'CreateTableAsSelect') throw new Error('not a CSAS/CTAS');
  return formatLogicalSchema(analyzeQuery(statement.query as Query, context).outputSchema);
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
