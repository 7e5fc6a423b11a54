/**
 * Executes the statements of a request: substitutes the session's variables,
 * parses, and hands each statement to its kind's handler
 * (statements/statement-handlers.ts), returning ksqlDB's entities.
 */
import { KsqlError } from '../common/errors.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';
import { parseStatements } from '../parser/index.js';
import type { Statement, StatementKind, StatementOfKind } from '../parser/ast/statement.js';
import type { EnginePorts } from './engine-ports.js';
import type { KsqlEntity } from './entities.js';
import { withVariables, type Session } from './session.js';
import { STALE_CATALOG_RUNS, StaleCatalogError } from './stale-catalog.js';
import type { StatementHandler } from './statements/statement-handler.js';
import { STATEMENT_HANDLERS } from './statements/statement-handlers.js';

/**
 * Runs every statement in order and returns their entities; stops at the first
 * failure. `results` receives each entity as it is made, so a caller that
 * catches the failure still has the entities of the statements before it.
 * A statement that waits on the log is awaited before the next one runs; on
 * the embedded log none does, and this runs at once.
 */
export function executeStatements(ports: EnginePorts, sql: string, session: Session, results: KsqlEntity[] = []): MaybeAsync<KsqlEntity[]> {
  const statements = parseRequest(ports, sql, session);
  const runFrom = (first: number): MaybeAsync<KsqlEntity[]> => {
    for (let index = first; index < statements.length; index++) {
      const entity = executeStatement(ports, statements[index]!, session);
      if (isPromise(entity)) {
        return entity.then((done) => {
          results.push(done);
          return runFrom(index + 1);
        });
      }
      results.push(entity);
    }
    return results;
  };
  return runFrom(0);
}

function parseRequest(ports: EnginePorts, sql: string, session: Session): Statement[] {
  const text = withVariables(sql, session.variables, ports.config.withOverrides(session.properties));
  return parseStatements(text, { limits: ports.config.parseLimits });
}

/**
 * Runs one statement; its errors name it. A statement whose checks other
 * servers' commands made stale runs again against the catalog they left.
 */
export function executeStatement(ports: EnginePorts, stmt: Statement, session: Session): MaybeAsync<KsqlEntity> {
  const named = (error: unknown): never => {
    if (error instanceof KsqlError && error.statementText === undefined) {
      throw new KsqlError(error.code, error.message, { statementText: stmt.text, cause: error.cause, ...(error.position ? { position: error.position } : {}) });
    }
    throw error;
  };
  const run = (runsLeft: number): MaybeAsync<KsqlEntity> => {
    const failed = (error: unknown): MaybeAsync<KsqlEntity> => (error instanceof StaleCatalogError && runsLeft > 1 ? run(runsLeft - 1) : named(error));
    try {
      const entity = handle(stmt, ports, session);
      return isPromise(entity) ? entity.catch(failed) : entity;
    } catch (error) {
      return failed(error);
    }
  };
  return run(STALE_CATALOG_RUNS);
}

function handle<K extends StatementKind>(stmt: StatementOfKind<K>, ports: EnginePorts, session: Session): MaybeAsync<KsqlEntity> {
  const handler: StatementHandler<K> = STATEMENT_HANDLERS[stmt.kind as K];
  return handler(stmt, ports, session);
}
