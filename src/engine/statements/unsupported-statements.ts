/**
 * Statements the parser reads that this server does not run, each with its
 * own clear error instead of a silent default: ALTER SYSTEM (Confluent
 * Cloud only in ksqlDB) and the statements of SQL test files and of the CLI.
 */
import { statementError } from '../../common/errors.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';

export function alterSystemProperty(_stmt: StatementOfKind<'AlterSystemProperty'>): never {
  throw statementError('ALTER SYSTEM is only available when connected to a ksqlDB cluster in Confluent Cloud; use SET for a session property.');
}

export function testFileStatement(stmt: StatementOfKind<'AssertValues' | 'AssertTombstone' | 'AssertSource'>): never {
  throw statementError(`${stmt.kind === 'AssertSource' ? 'ASSERT STREAM/TABLE' : 'ASSERT VALUES'} runs only in SQL test files (ksqlite-test).`);
}

export function runScript(_stmt: StatementOfKind<'RunScript'>): never {
  throw statementError('RUN SCRIPT is a command of the CLI, which reads the file and sends its statements; the server does not run it.');
}
