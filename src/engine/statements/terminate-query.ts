/** TERMINATE query-id | ALL: persistent queries through the command log, push queries directly. */
import { statementError } from '../../common/errors.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';

export function terminate(stmt: StatementOfKind<'TerminateQuery'>, ports: Pick<EnginePorts, 'log' | 'runner'>): KsqlEntity {
  // A push query's id (transient_...) ends that query; nothing is logged, as it never was.
  const transient = stmt.queryId === undefined ? undefined
    : ports.runner.listTransientQueries().find((q) => q.id.toUpperCase() === stmt.queryId!.toUpperCase());
  if (transient !== undefined) {
    transient.close();
    return currentStatus(stmt.text, `terminate/${transient.id}/execute`, 'Query terminated.', -1);
  }
  const ids = stmt.queryId === undefined ? ports.runner.listQueries().map((q) => q.id) : [stmt.queryId.toUpperCase()];
  let seq = -1;
  for (const id of ids) {
    if (!ports.runner.getQuery(id)) throw statementError(`Unknown queryId: ${id}`);
    seq = ports.log.commit({ kind: 'TerminateQuery', statement: stmt.text, queryId: id });
  }
  return currentStatus(stmt.text, `terminate/${stmt.queryId ?? 'ALL'}/execute`, 'Query terminated.', seq);
}
