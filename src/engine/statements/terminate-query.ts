/** TERMINATE query-id | ALL: persistent queries through the command log, push queries directly. */
import { statementError } from '../../common/errors.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';

export function terminate(stmt: StatementOfKind<'TerminateQuery'>, ports: Pick<EnginePorts, 'log' | 'runner'>): MaybeAsync<KsqlEntity> {
  // A push query's id (transient_...) ends that query; nothing is logged, as it never was.
  const transient = stmt.queryId === undefined ? undefined
    : ports.runner.listTransientQueries().find((q) => q.id.toUpperCase() === stmt.queryId!.toUpperCase());
  if (transient !== undefined) {
    transient.close();
    return currentStatus(stmt.text, `terminate/${transient.id}/execute`, 'Query terminated.', -1);
  }
  const ids = stmt.queryId === undefined ? ports.runner.listQueries().map((q) => q.id) : [stmt.queryId.toUpperCase()];
  // One command per query, each written once the one before it is.
  const next = (index: number, seq: number): MaybeAsync<KsqlEntity> => {
    if (index === ids.length) return currentStatus(stmt.text, `terminate/${stmt.queryId ?? 'ALL'}/execute`, 'Query terminated.', seq);
    const id = ids[index]!;
    if (!ports.runner.getQuery(id)) throw statementError(`Unknown queryId: ${id}`);
    return andThen(ports.log.commit({ kind: 'TerminateQuery', statement: stmt.text, queryId: id }), (written) => next(index + 1, written));
  };
  return next(0, -1);
}
