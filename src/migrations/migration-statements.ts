/**
 * What a migration file's statements are, as ksqlDB's migrations tool reads
 * them: the file splits at the semicolons that end statements (text after the
 * last one is an error); DEFINE and UNDEFINE change the file's variables and
 * SET and UNSET its properties on the tool's side, their values taking the
 * variables defined so far; statements that read rather than change
 * (SELECT, DESCRIBE, EXPLAIN, PRINT, SHOW, LIST) and RUN SCRIPT are refused;
 * everything else goes to the server with the file's properties and variables.
 */
import { splitStatements } from '../cli/split-statements.js';
import { MigrationError } from './migration-error.js';

export type MigrationStatement =
  | { readonly kind: 'define'; readonly sql: string; readonly name: string; readonly value: string }
  | { readonly kind: 'undefine'; readonly sql: string; readonly name: string }
  | { readonly kind: 'set'; readonly sql: string; readonly property: string; readonly value: string }
  | { readonly kind: 'unset'; readonly sql: string; readonly property: string }
  | { readonly kind: 'server'; readonly sql: string };

const QUOTED = "'((?:[^']|'')*)'";
const SET = new RegExp(`^\\s*SET\\s+${QUOTED}\\s*=\\s*${QUOTED}\\s*;\\s*$`, 'is');
const UNSET = new RegExp(`^\\s*UNSET\\s+${QUOTED}\\s*;\\s*$`, 'is');
const DEFINE = new RegExp(`^\\s*DEFINE\\s+([a-zA-Z_][a-zA-Z0-9_@]*)\\s*=\\s*${QUOTED}\\s*;\\s*$`, 'is');
const UNDEFINE = /^\s*UNDEFINE\s+([a-zA-Z_][a-zA-Z0-9_@]*)\s*;\s*$/is;

const REFUSED = new Set(['DESCRIBE', 'EXPLAIN', 'SELECT', 'PRINT', 'SHOW', 'LIST']);

/** The statements of a migration file, each with its `;`. */
export function splitMigration(text: string): string[] {
  const { statements, rest } = splitStatements(text);
  if (rest.trim() !== '') throw new MigrationError(`Unmatched command at end of file; missing semicolon: '${rest.trim()}'`);
  return statements;
}

/** Reads one statement, substituting `variables` (names in upper case) into the values of DEFINE and SET. */
export function readStatement(sql: string, variables: ReadonlyMap<string, string>): MigrationStatement {
  const words = sql.toUpperCase().split(/\s+/).filter((word) => word !== '');
  const first = words[0]?.replace(/;$/, '') ?? '';
  switch (first) {
    case 'SET': {
      const match = SET.exec(sql);
      if (match === null) throw new MigrationError(`Invalid SET command: ${sql}`);
      return { kind: 'set', sql, property: substitute(match[1]!, variables), value: substitute(match[2]!, variables) };
    }
    case 'UNSET': {
      const match = UNSET.exec(sql);
      if (match === null) throw new MigrationError(`Invalid UNSET command: ${sql}`);
      return { kind: 'unset', sql, property: substitute(match[1]!, variables) };
    }
    case 'DEFINE': {
      const match = DEFINE.exec(sql);
      if (match === null) throw new MigrationError(`Invalid DEFINE command: ${sql}`);
      return { kind: 'define', sql, name: match[1]!, value: substitute(match[2]!, variables) };
    }
    case 'UNDEFINE': {
      const match = UNDEFINE.exec(sql);
      if (match === null) throw new MigrationError(`Invalid UNDEFINE command: ${sql}`);
      return { kind: 'undefine', sql, name: match[1]! };
    }
  }
  if (REFUSED.has(first)) throw new MigrationError(`'${first}' statements are not supported.`);
  if (first === 'RUN' && words[1] === 'SCRIPT') throw new MigrationError("'RUN SCRIPT' statements are not supported.");
  return { kind: 'server', sql };
}

/** `${name}` replaced by a defined variable's value; an unknown name stays as written. */
function substitute(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([a-zA-Z_][a-zA-Z0-9_@]*)\}/g, (whole, name: string) => variables.get(name.toUpperCase()) ?? whole);
}
