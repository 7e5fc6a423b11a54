/**
 * EXPLAIN <statement> runs a CREATE ... AS SELECT or INSERT INTO ... SELECT
 * handler with a session that takes the checked command instead of
 * committing it (see explain-statement.ts).
 */
import type { QueryCommand } from '../commands.js';
import type { KsqlEntity } from '../entities.js';

export function explained(explain: (command: QueryCommand) => void, command: QueryCommand): KsqlEntity {
  explain(command);
  return { '@type': 'empty', statementText: command.statement };
}
