/**
 * Executes the statements of a request: substitutes the session's variables,
 * parses, and hands each statement to its kind's handler
 * (statements/statement-handlers.ts), returning ksqlDB's entities.
 */
import { KsqlError } from '../common/errors.js';
import { parseStatements } from '../parser/index.js';
import type { Statement, StatementKind, StatementOfKind } from '../parser/ast/statement.js';
import type { EnginePorts } from './engine-ports.js';
import type { KsqlEntity } from './entities.js';
import { withVariables, type Session } from './session.js';
import type { StatementHandler } from './statements/statement-handler.js';
import { STATEMENT_HANDLERS } from './statements/statement-handlers.js';

/**
 * Runs every statement in order and returns their entities; stops at the first
 * failure. `results` receives each entity as it is made, so a caller that
 * catches the failure still has the entities of the statements before it.
 */
export function executeStatements(ports: EnginePorts, sql: string, session: Session, results: KsqlEntity[] = []): KsqlEntity[] {
  for (const statement of parseRequest(ports, sql, session)) {
    results.push(executeStatement(ports, statement, session));
  }
  return results;
}

function parseRequest(ports: EnginePorts, sql: string, session: Session): Statement[] {
  const text = withVariables(sql, session.variables, ports.config.withOverrides(session.properties));
  return parseStatements(text, { limits: ports.config.parseLimits });
}

export function executeStatement(ports: EnginePorts, stmt: Statement, session: Session): KsqlEntity {
  try {
    return handle(stmt, ports, session);
  } catch (error) {
    if (error instanceof KsqlError && error.statementText === undefined) {
      throw new KsqlError(error.code, error.message, { statementText: stmt.text, cause: error.cause, ...(error.position ? { position: error.position } : {}) });
    }
    throw error;
  }
}

function handle<K extends StatementKind>(stmt: StatementOfKind<K>, ports: EnginePorts, session: Session): KsqlEntity {
  const handler: StatementHandler<K> = STATEMENT_HANDLERS[stmt.kind as K];
  return handler(stmt, ports, session);
}
