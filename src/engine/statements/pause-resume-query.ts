/**
 * PAUSE and RESUME query-id | ALL: persistent queries through the command
 * log (each server stops or restarts its tasks as it applies the command,
 * and a restart replays it). As in ksqlDB, a push query's id (transient_...)
 * is accepted and changes nothing, and an unknown id is refused.
 */
import { statementError } from '../../common/errors.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';

const TRANSIENT_PREFIX = 'transient_';

export function pauseOrResumeQuery(stmt: StatementOfKind<'PauseQuery' | 'ResumeQuery'>, ports: Pick<EnginePorts, 'log' | 'runner'>): MaybeAsync<KsqlEntity> {
  const [word, message] = stmt.kind === 'PauseQuery' ? ['pause', 'Query paused.'] : ['resume', 'Query resumed.'];
  const commandId = `${word}/${stmt.queryId ?? 'ALL'}/execute`;
  if (stmt.queryId?.toLowerCase().startsWith(TRANSIENT_PREFIX)) return currentStatus(stmt.text, commandId, message, -1);
  const ids = stmt.queryId === undefined ? ports.runner.listQueries().map((q) => q.id) : [stmt.queryId.toUpperCase()];
  for (const id of ids) if (!ports.runner.getQuery(id)) throw statementError(`Unknown queryId: ${id}`);
  // One command per query, each written once the one before it is.
  const next = (index: number, seq: number): MaybeAsync<KsqlEntity> => {
    if (index === ids.length) return currentStatus(stmt.text, commandId, message, seq);
    return andThen(ports.log.commit({ kind: stmt.kind, statement: stmt.text, queryId: ids[index]! }), (written) => next(index + 1, written));
  };
  return next(0, -1);
}
