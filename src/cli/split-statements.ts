/**
 * Splits shell input into statements at the semicolons that end them, as
 * ksqlDB's lexer sees the text: a `;` inside a string literal, a quoted
 * identifier or a comment does not end a statement. Comments and blanks before
 * a statement are dropped, so a syntax error's line and column count from the
 * statement's first word; what follows the last `;` is returned as the
 * unfinished rest.
 */

export interface SplitResult {
  /** Complete statements, each ending with its `;`. */
  readonly statements: string[];
  /** Text after the last complete statement ('' when nothing but blanks and comments). */
  readonly rest: string;
}

type State = 'code' | 'string' | 'double' | 'back' | 'line-comment' | 'block-comment';

export function splitStatements(text: string): SplitResult {
  const statements: string[] = [];
  let state: State = 'code';
  let start = skipBlanks(text, 0);
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    switch (state) {
      case 'code':
        if (c === "'") state = 'string';
        else if (c === '"') state = 'double';
        else if (c === '`') state = 'back';
        else if (c === '-' && next === '-') { state = 'line-comment'; i++; }
        else if (c === '/' && next === '*') { state = 'block-comment'; i++; }
        else if (c === ';') {
          statements.push(text.slice(start, i + 1).trim());
          start = skipBlanks(text, i + 1);
          i = start;
          continue;
        }
        break;
      case 'string':
        if (c === "'") {
          if (next === "'") i++;
          else state = 'code';
        }
        break;
      case 'double':
        if (c === '"') {
          if (next === '"') i++;
          else state = 'code';
        }
        break;
      case 'back':
        if (c === '`') {
          if (next === '`') i++;
          else state = 'code';
        }
        break;
      case 'line-comment':
        if (c === '\n') state = 'code';
        break;
      case 'block-comment':
        if (c === '*' && next === '/') { state = 'code'; i++; }
        break;
    }
    i++;
  }
  return { statements, rest: start >= text.length ? '' : text.slice(start) };
}

/** True when the text holds nothing but blanks and comments. */
export function isBlank(text: string): boolean {
  return skipBlanks(text, 0) >= text.length;
}

/** The index of the first character at or after `from` that is neither blank nor inside a comment. */
function skipBlanks(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return text.length;
      i = end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return i; // an unclosed block comment is unfinished input
      i = end + 2;
    } else {
      return i;
    }
  }
}
