/**
 * Headless mode's start (ksqlDB's StandaloneExecutor): the server runs the
 * statements of its queries file (`--queries-file`, `ksql.queries.file`)
 * in order, in one session, so SET and UNSET apply to the statements after
 * them. Only the kinds a headless ksqlDB runs are taken: CREATE STREAM and
 * TABLE, their AS SELECT forms, INSERT INTO ... SELECT, CREATE TYPE, SET
 * and UNSET; any other statement (queries, DROP, TERMINATE, SHOW, DEFINE,
 * INSERT VALUES ...) refuses the whole file before anything in it runs, and
 * so does a file without a persistent query. Before anything runs, the
 * whole file runs in a sandbox engine (sandbox-engine.ts: a copy of the
 * catalog over a throwaway log, as ksqlDB's validation pass): a statement
 * that fails there stops the start, naming the statement, and leaves no
 * topic, schema or query of the statements before it. Nothing is logged: the next start runs
 * the file again, so the same file gives the same query ids and the queries
 * resume from their committed offsets with their state; a changed file is
 * its author's business, as in ksqlDB (a query whose id changed starts anew).
 */
import { readFileSync } from 'node:fs';
import type { KsqlEngine } from '../engine/engine.js';
import { executeStatement } from '../engine/execute-statement.js';
import { openSandboxEngine } from '../engine/sandbox-engine.js';
import { newSession } from '../engine/session.js';
import { parseStatements } from '../parser/index.js';
import type { Statement, StatementKind } from '../parser/ast/statement.js';

/** The statement kinds headless mode runs, by the names ksqlDB's refusal lists. */
const HEADLESS_KINDS: Readonly<Partial<Record<StatementKind, string>>> = {
  SetProperty: 'SET',
  UnsetProperty: 'UNSET',
  CreateStream: 'CREATE STREAM',
  CreateTable: 'CREATE TABLE',
  CreateType: 'REGISTER TYPE',
  CreateStreamAsSelect: 'CREATE STREAM AS SELECT',
  CreateTableAsSelect: 'CREATE TABLE AS SELECT',
  InsertInto: 'INSERT INTO',
};

const PERSISTENT_QUERY_KINDS: ReadonlySet<StatementKind> = new Set(['CreateStreamAsSelect', 'CreateTableAsSelect', 'InsertInto']);

/** Why a queries file cannot start the server; the message names the file and, when one failed, the statement. */
export class QueriesFileError extends Error {
  constructor(file: string, reason: string, statementText?: string) {
    super(`Failed to start with the queries file ${file}: ${reason}${statementText === undefined ? '' : `\nStatement: ${statementText}`}`);
    this.name = 'QueriesFileError';
  }
}

/** Runs the queries file on the engine; returns the ids of the persistent queries it started. */
export async function runQueriesFile(engine: KsqlEngine, file: string): Promise<string[]> {
  const statements = checkQueriesFile(file, readQueriesFile(file), engine);
  const sandbox = openSandboxEngine(engine);
  try {
    await runStatements(sandbox.engine, file, statements);
  } finally {
    sandbox.close();
  }
  const before = new Set(engine.listQueries().map((q) => q.id));
  await runStatements(engine, file, statements);
  return engine.listQueries().map((q) => q.id).filter((id) => !before.has(id));
}

/** Runs the statements in order in one session; the first that fails stops them, named in the error. */
async function runStatements(engine: KsqlEngine, file: string, statements: readonly Statement[]): Promise<void> {
  const session = newSession();
  for (const statement of statements) {
    try {
      await executeStatement(engine, statement, session);
    } catch (error) {
      throw new QueriesFileError(file, (error as Error).message, statement.text);
    }
  }
}

/** The file's statements, once each is of a kind headless mode runs and one of them is a persistent query. */
function checkQueriesFile(file: string, text: string, engine: KsqlEngine): Statement[] {
  let statements: Statement[];
  try {
    statements = parseStatements(text, { limits: engine.config.parseLimits });
  } catch (error) {
    // A syntax error's message shows the statement already.
    throw new QueriesFileError(file, (error as Error).message);
  }
  for (const statement of statements) {
    if (HEADLESS_KINDS[statement.kind] === undefined) {
      const supported = Object.values(HEADLESS_KINDS).sort().join('\n');
      throw new QueriesFileError(file, `Unsupported statement. Only the following statements are supported in headless mode:\n${supported}`, statement.text);
    }
  }
  if (!statements.some((s) => PERSISTENT_QUERY_KINDS.has(s.kind))) {
    throw new QueriesFileError(file, "The SQL file does not contain any persistent queries. i.e. it contains no 'INSERT INTO', 'CREATE TABLE x AS SELECT' or 'CREATE STREAM x AS SELECT' style statements.");
  }
  return statements;
}

function readQueriesFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new QueriesFileError(file, `Could not read the query file: ${(error as Error).message}`);
  }
}
