/** SHOW QUERIES [EXTENDED]: persistent queries, then push queries (scans are not listed). */
import type { MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import type { KsqlEntity } from '../entities.js';
import { describeQueries } from '../explain-query.js';
import { summarizePushQuery, summarizeQuery } from '../summarize-query.js';

export function listQueries(stmt: StatementOfKind<'ListQueries'>, ports: EnginePorts): MaybeAsync<KsqlEntity> {
  if (stmt.extended) return describeQueries(ports, stmt.text);
  return {
    '@type': 'queries', statementText: stmt.text, warnings: [],
    queries: [
      ...ports.runner.listQueries().map(summarizeQuery),
      ...ports.runner.listTransientQueries().filter((q) => !q.isScan).map(summarizePushQuery),
    ],
  };
}
