/** Turns SQL text into tokens; words that are keywords get their keyword's type. */
import { Lexer, type IToken } from 'chevrotain';
import { KsqlError } from '../../common/errors.js';
import { Identifier, KEYWORD_BY_WORD, LEXED_TOKENS } from './tokens.js';
import { formatSourceExcerpt } from '../syntax-error.js';

const LEXER = new Lexer(LEXED_TOKENS as never[], {
  positionTracking: 'full',
  ensureOptimizations: true,
  recoveryEnabled: false,
});

const IDENTIFIER_IDX = Identifier.tokenTypeIdx!;

/** Lexes `text`; throws a BAD_STATEMENT KsqlError on a character no token matches. */
export function tokenize(text: string): IToken[] {
  const result = LEXER.tokenize(text);
  if (result.errors.length > 0) {
    const e = result.errors[0]!;
    const line = e.line ?? 1;
    const column = e.column ?? 1;
    const ch = text.slice(e.offset, e.offset + 1);
    const detail =
      ch === "'" ? 'unterminated string' : ch === '"' || ch === '`' ? 'unterminated quoted identifier' : ch === '/' ? 'unterminated comment' : `token recognition error at: '${ch}'`;
    throw new KsqlError('BAD_STATEMENT', `line ${line}:${column}: Syntax Error\n${detail}\n${formatSourceExcerpt(text, line, column)}`, {
      position: { line, column },
      statementText: text,
    });
  }
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenTypeIdx === IDENTIFIER_IDX) {
      const kw = KEYWORD_BY_WORD.get(t.image.toUpperCase());
      if (kw !== undefined) {
        t.tokenType = kw;
        t.tokenTypeIdx = kw.tokenTypeIdx!;
      }
    }
  }
  return tokens;
}
