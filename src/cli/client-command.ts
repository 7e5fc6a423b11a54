/**
 * The statements the shell handles itself, as ksqlDB's CLI does: SET/UNSET of
 * query properties and DEFINE/UNDEFINE of variables (sent along with every
 * later request), SHOW VARIABLES, RUN SCRIPT, SPOOL, OUTPUT, HELP and EXIT.
 * HELP, EXIT, QUIT, OUTPUT and SPOOL may also be typed without a semicolon.
 */

export type ClientCommand =
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  | { readonly kind: 'unset'; readonly name: string }
  | { readonly kind: 'define'; readonly name: string; readonly value: string }
  | { readonly kind: 'undefine'; readonly name: string }
  | { readonly kind: 'show-variables' }
  | { readonly kind: 'run-script'; readonly path: string }
  | { readonly kind: 'spool'; readonly path: string | undefined }
  | { readonly kind: 'output'; readonly format: 'TABULAR' | 'JSON' | undefined }
  | { readonly kind: 'help' }
  | { readonly kind: 'exit' };

const QUOTED = String.raw`'((?:[^']|'')*)'`;
const NAME = String.raw`([A-Za-z_][A-Za-z0-9_]*)`;

const PATTERNS: readonly [RegExp, (m: RegExpExecArray) => ClientCommand][] = [
  [new RegExp(String.raw`^SET\s+${QUOTED}\s*=\s*${QUOTED}$`, 'is'), (m) => ({ kind: 'set', name: unquote(m[1]!), value: unquote(m[2]!) })],
  [new RegExp(String.raw`^UNSET\s+${QUOTED}$`, 'is'), (m) => ({ kind: 'unset', name: unquote(m[1]!) })],
  [new RegExp(String.raw`^DEFINE\s+${NAME}\s*=\s*${QUOTED}$`, 'is'), (m) => ({ kind: 'define', name: m[1]!, value: unquote(m[2]!) })],
  [new RegExp(String.raw`^UNDEFINE\s+${NAME}$`, 'is'), (m) => ({ kind: 'undefine', name: m[1]! })],
  [/^(?:SHOW|LIST)\s+VARIABLES$/is, () => ({ kind: 'show-variables' })],
  [new RegExp(String.raw`^RUN\s+SCRIPT\s+${QUOTED}$`, 'is'), (m) => ({ kind: 'run-script', path: unquote(m[1]!) })],
  ...lineCommandPatterns(),
];

function lineCommandPatterns(): [RegExp, (m: RegExpExecArray) => ClientCommand][] {
  return [
    [/^SPOOL\s+OFF$/i, () => ({ kind: 'spool', path: undefined })],
    [new RegExp(String.raw`^SPOOL\s+${QUOTED}$`, 'is'), (m) => ({ kind: 'spool', path: unquote(m[1]!) })],
    [/^SPOOL\s+(\S+)$/i, (m) => ({ kind: 'spool', path: m[1]! })],
    [/^OUTPUT(?:\s+(TABULAR|JSON))?$/i, (m) => ({ kind: 'output', format: m[1]?.toUpperCase() as 'TABULAR' | 'JSON' | undefined })],
    [/^HELP$/i, () => ({ kind: 'help' })],
    [/^(?:EXIT|QUIT)$/i, () => ({ kind: 'exit' })],
  ];
}

/** The client command a complete statement (ending with `;`) is, if any. */
export function parseClientCommand(statement: string): ClientCommand | undefined {
  const text = statement.trim().replace(/;$/, '').trim();
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return build(match);
  }
  return undefined;
}

/** A command typed alone on a line that needs no semicolon (HELP, EXIT, QUIT, OUTPUT, SPOOL). */
export function parseLineCommand(line: string): ClientCommand | undefined {
  const text = line.trim().replace(/;$/, '').trim();
  for (const [pattern, build] of lineCommandPatterns()) {
    const match = pattern.exec(text);
    if (match) return build(match);
  }
  return undefined;
}

function unquote(text: string): string {
  return text.replace(/''/g, "'");
}

export const HELP_TEXT = `Statements end with a semicolon and may span several lines; type them at the prompt.
Everything ksqlDB's SQL has is sent to the server: CREATE/DROP STREAM|TABLE, CREATE ... AS SELECT,
INSERT, SELECT (push queries with EMIT CHANGES run until LIMIT or Ctrl-C), SHOW/LIST, DESCRIBE [EXTENDED],
EXPLAIN, TERMINATE, ...

Commands the shell runs itself:
  SET '<property>'='<value>';   set a query property for the statements of this session
  UNSET '<property>';           go back to the server's value of the property
  DEFINE <name> = '<value>';    define a variable, used as \${name} in later statements
  UNDEFINE <name>;              forget a variable
  SHOW VARIABLES;               list the variables of this session
  RUN SCRIPT '<file>';          run the statements of a file, stopping at the first failure
  SPOOL <file> | SPOOL OFF      copy commands and their output to a file, or stop copying
  OUTPUT [TABULAR|JSON]         show or choose how results are printed
  HELP                          this text
  EXIT | QUIT                   leave the shell (Ctrl-D works too)

Keys: Tab completes keywords and stream, table, column and function names; Ctrl-C clears the
line or cancels a running query; Up/Down browse the history (kept in ~/.ksqlite_history).`;
