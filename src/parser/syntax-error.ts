/** Formatting of syntax errors the way ksqlDB words them, with the source line and a caret. */
import { KsqlError } from '../common/errors.js';

/** The 1-based `line` of `text`, and a caret under `column`. */
export function formatSourceExcerpt(text: string, line: number, column: number): string {
  const lines = text.split(/\r\n|\r|\n/);
  const source = lines[line - 1] ?? '';
  return `${source}\n${' '.repeat(Math.max(0, column - 1))}^`;
}

/** A BAD_STATEMENT error: "line L:C: Syntax Error", the details, the statement, and the source excerpt. */
export function syntaxError(
  text: string,
  position: { line: number; column: number },
  details: readonly string[],
  statementText?: string,
): KsqlError {
  const parts = [`line ${position.line}:${position.column}: Syntax Error`, ...details];
  if (statementText !== undefined) parts.push(`Statement: ${statementText}`);
  parts.push(formatSourceExcerpt(text, position.line, position.column));
  return new KsqlError('BAD_STATEMENT', parts.join('\n'), { position, statementText: statementText ?? text });
}

/**
 * A statement that lexes and parses but breaks a rule the grammar cannot
 * express (bad literal, KEY on a table...): "line L:C: message".
 */
export function invalidStatementError(
  message: string,
  position: { line: number; column: number },
  statementText?: string,
): KsqlError {
  return new KsqlError('BAD_STATEMENT', `line ${position.line}:${position.column}: ${message}`, {
    position,
    statementText,
  });
}
