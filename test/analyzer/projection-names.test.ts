import test from 'ava';
import { analyzeQuery } from '../../src/analyzer/query-analyzer.js';
import type { AnalysisContext } from '../../src/analyzer/analysis-context.js';
import type { SourceInfo } from '../../src/analyzer/analyzed-source.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseStatements } from '../../src/parser/index.js';
import { BIGINT, INTEGER, STRING, structType } from '../../src/schema/sql-type.js';

const INPUT: SourceInfo = {
  name: 'INPUT', kind: 'STREAM', windowed: false,
  schema: {
    key: [{ name: 'KSQL_COL_1', type: STRING, namespace: 'KEY' }],
    value: [
      { name: 'B', type: INTEGER, namespace: 'VALUE' },
      { name: 'A', type: structType([{ name: 'B', type: INTEGER }, { name: 'X', type: BIGINT }]), namespace: 'VALUE' },
      { name: 'C', type: structType([{ name: 'B', type: INTEGER }]), namespace: 'VALUE' },
      { name: 'KSQL_COL_2', type: INTEGER, namespace: 'VALUE' },
    ],
  },
};
const ctx: AnalysisContext = {
  lookupSource: (name) => (name === 'INPUT' ? INPUT : undefined),
  lookupType: () => undefined,
  functions: createFunctionRegistry(),
  sinkName: 'OUTPUT',
};

function analyze(sql: string): ReturnType<typeof analyzeQuery> {
  const [statement] = parseStatements(sql);
  if (statement?.kind !== 'CreateStreamAsSelect') throw new Error('expected CREATE STREAM AS SELECT');
  return analyzeQuery(statement.query, ctx);
}

function valueNames(sql: string): string[] {
  return analyze(sql).values.map((v) => v.name);
}

test('a struct field keeps its name unless a column or an earlier field has it', (t) => {
  t.deepEqual(valueNames('CREATE STREAM OUTPUT AS SELECT KSQL_COL_1, B, A->B, C->B, A->X FROM INPUT;'), ['B', 'B_1', 'B_2', 'X']);
});

test('generated names skip the names of source columns', (t) => {
  t.deepEqual(valueNames('CREATE STREAM OUTPUT AS SELECT KSQL_COL_1, ABS(B), ABS(B), ABS(B) FROM INPUT;'), ['KSQL_COL_0', 'KSQL_COL_3', 'KSQL_COL_4']);
});

test('a projected NULL without a type is refused', (t) => {
  t.throws(() => analyze('CREATE STREAM OUTPUT AS SELECT KSQL_COL_1, NULL AS N FROM INPUT;'), { message: /Can't infer a type of null/ });
});

test('WHERE reads timestamp text compared with ROWTIME as epoch milliseconds', (t) => {
  const where = analyze("CREATE STREAM OUTPUT AS SELECT KSQL_COL_1, B FROM INPUT WHERE ROWTIME >= '2018';").where;
  t.like(where, { kind: 'Comparison', right: { kind: 'BigIntLiteral', value: BigInt(Date.UTC(2018, 0, 1)) } });
});
