/**
 * Runs one test of a SQL test file (see sql-test-file.ts) as ksqlDB's
 * run-ksql-test does: a fresh embedded engine on the deterministic test
 * driver, its statements in order until one throws or the end. A test with
 * `--@expected.error` passes only if a statement throws an error of that
 * class (ksqlDB's Java class names, or their simple names) whose message
 * contains `--@expected.message`; any other test passes when nothing throws.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { KsqlError } from '../common/errors.js';
import type { FunctionRegistry } from '../functions/registry.js';
import type { Statement } from '../parser/ast/statement.js';
import { parseStatements } from '../parser/parse.js';
import { assertSource, assertTombstone, assertValues, type TopicCursors } from './assert-statements.js';
import type { SqlTest } from './sql-test-file.js';
import { TestAssertionError } from './test-assertion-error.js';
import { TestDriver } from './test-driver.js';

export interface SqlTestOutcome {
  readonly test: SqlTest;
  readonly passed: boolean;
  /** Why it failed (empty when it passed). */
  readonly message: string;
  /** The line of the failing statement in the test's file (the test's own line when no statement is to blame). */
  readonly line: number;
}

export interface SqlTestOptions {
  readonly functions: FunctionRegistry;
  /** Where each test's data directory is made. */
  readonly tempDir?: string;
}

/** A statement's failure, with where it is in the file. */
class StatementFailure extends Error {
  constructor(readonly error: unknown, readonly statement: Statement | undefined) {
    super(error instanceof Error ? error.message : String(error));
  }
}

export function runSqlTest(test: SqlTest, options: SqlTestOptions): SqlTestOutcome {
  const driver = new TestDriver({}, { functions: options.functions, ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }) });
  try {
    runStatements(driver, test.sql, test.file, new Map());
    if (test.expectedError !== undefined || test.expectedMessage !== undefined) {
      return fail(test, `Expected the test to throw ${test.expectedError ?? 'an error'}${test.expectedMessage === undefined ? '' : ` with a message containing "${test.expectedMessage}"`}, but every statement succeeded.`);
    }
    return { test, passed: true, message: '', line: test.line };
  } catch (caught) {
    const failure = caught instanceof StatementFailure ? caught : new StatementFailure(caught, undefined);
    const { error } = failure;
    const message = error instanceof Error ? error.message : String(error);
    if (test.expectedError === undefined && test.expectedMessage === undefined) return fail(test, describeFailure(failure), failure.statement);
    const classes = javaClassesOf(error);
    if (test.expectedError !== undefined && !classes.some((c) => c === test.expectedError || simpleName(c) === test.expectedError)) {
      return fail(test, `Expected an error of class ${test.expectedError}, but got ${classes[0]}:\n${describeFailure(failure)}`, failure.statement);
    }
    if (test.expectedMessage !== undefined && !message.includes(test.expectedMessage)) {
      return fail(test, `Expected an error message containing:\n\t${test.expectedMessage}\nbut the message was:\n\t${message.replace(/\n/g, '\n\t')}`, failure.statement);
    }
    return { test, passed: true, message: '', line: test.line };
  } finally {
    driver.close();
  }
}

function fail(test: SqlTest, message: string, statement?: Statement): SqlTestOutcome {
  return { test, passed: false, message, line: statement?.location.line ?? test.line };
}

function runStatements(driver: TestDriver, sql: string, file: string, cursors: TopicCursors): void {
  let statements: Statement[];
  try {
    statements = parseStatements(sql, { testStatements: true });
  } catch (error) {
    throw new StatementFailure(error, undefined);
  }
  for (const stmt of statements) {
    try {
      switch (stmt.kind) {
        case 'AssertValues':
          assertValues(driver, stmt, cursors);
          break;
        case 'AssertTombstone':
          assertTombstone(driver, stmt, cursors);
          break;
        case 'AssertSource':
          assertSource(driver, stmt);
          break;
        case 'RunScript': {
          const path = resolve(dirname(file), stmt.path.replace(/^\//, ''));
          runStatements(driver, readFileSync(path, 'utf8'), path, cursors);
          break;
        }
        default:
          driver.executeStatement(stmt.text);
      }
    } catch (error) {
      throw error instanceof StatementFailure ? error : new StatementFailure(error, stmt);
    }
  }
}

function describeFailure(failure: StatementFailure): string {
  const stmt = failure.statement;
  const what = stmt === undefined ? '' : `Test failure for ${stmt.kind.startsWith('Assert') ? 'assert' : 'statement'} \`${stmt.text.trim()}\` (Line: ${stmt.location.line}, Col: ${stmt.location.column}):\n\t`;
  return `${what}${failure.message}`;
}

/** The Java classes ksqlDB's runner would have thrown, most specific first. */
function javaClassesOf(error: unknown): string[] {
  if (error instanceof TestAssertionError) return ['java.lang.AssertionError', 'java.lang.Error', 'java.lang.Throwable'];
  const runtime = ['java.lang.RuntimeException', 'java.lang.Exception', 'java.lang.Throwable'];
  if (error instanceof KsqlError) return ['io.confluent.ksql.util.KsqlStatementException', 'io.confluent.ksql.util.KsqlException', ...runtime];
  return runtime;
}

function simpleName(javaClass: string): string {
  return javaClass.slice(javaClass.lastIndexOf('.') + 1);
}
