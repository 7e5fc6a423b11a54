/**
 * Test helper: analyzes the query of a CREATE ... AS SELECT over one stream
 * `S` (key `K INTEGER`, value `V INTEGER` and `valueName STRING`), with the
 * built-in functions, as the engine would for a sink named `OUT`.
 */
import { analyzeQuery, type AnalyzedQuery } from '../../src/analyzer/query-analyzer.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseStatements } from '../../src/parser/index.js';
import type { Query } from '../../src/parser/ast/query.js';

export function analyzeSinkQuery(sql: string, valueName: string): AnalyzedQuery {
  const [statement] = parseStatements(sql);
  if (statement?.kind !== 'CreateStreamAsSelect' && statement?.kind !== 'CreateTableAsSelect') throw new Error('not a CSAS/CTAS');
  return analyzeQuery(statement.query as Query, {
    lookupSource: (name) => name === 'S'
      ? {
          name: 'S', kind: 'STREAM', windowed: false,
          schema: {
            key: [{ name: 'K', type: { kind: 'INTEGER' }, namespace: 'KEY' }],
            value: [{ name: 'V', type: { kind: 'INTEGER' }, namespace: 'VALUE' }, { name: valueName, type: { kind: 'STRING' }, namespace: 'VALUE' }],
          },
        }
      : undefined,
    lookupType: () => undefined,
    functions: createFunctionRegistry(),
    sinkName: 'OUT',
  });
}
