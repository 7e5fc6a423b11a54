/**
 * A failed statement as the shell shows it: the server's message and, for a
 * syntax error (`line L:C: ...`), the offending line of the statement with a
 * caret under the column, unless the server's message already draws one.
 */
import type { ServerError } from './ksql-client.js';

export function renderError(error: ServerError, statement?: string): string {
  const message = error.message;
  const position = /^line (\d+):(\d+):/.exec(message);
  const text = error.statementText ?? statement;
  if (position === null || text === undefined || /^\s*\^\s*$/m.test(message)) return message;
  return `${message}\n${pointAt(text, Number(position[1]), Number(position[2]))}`;
}

/** The statement's line `line` (1-based) and a caret under column `column` (1-based, as ksqlDB counts). */
export function pointAt(text: string, line: number, column: number): string {
  const source = text.split('\n')[line - 1] ?? '';
  const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
  return `${source}\n${caret}`;
}
