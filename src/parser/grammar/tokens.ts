/**
 * The token vocabulary. Words are lexed as one Identifier token and then
 * re-typed as keywords by a case-insensitive table lookup (faster than one
 * regex per keyword, and keywords match regardless of case).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS, type Keyword } from './keywords.js';

/** The category of every keyword that may also serve as an identifier. */
export const NonReserved = createToken({ name: 'NonReserved', pattern: Lexer.NA });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\r\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });

export const StringLiteral = createToken({ name: 'StringLiteral', label: 'STRING', pattern: /'(?:[^']|'')*'/, line_breaks: true });
export const QuotedIdentifier = createToken({ name: 'QuotedIdentifier', label: 'QUOTED_IDENTIFIER', pattern: /"(?:[^"]|"")*"/, line_breaks: true });
export const BackQuotedIdentifier = createToken({
  name: 'BackQuotedIdentifier',
  label: 'BACKQUOTED_IDENTIFIER',
  pattern: /`(?:[^`]|``)*`/,
  line_breaks: true,
});

const FLOAT_RE = /(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+/y;
const DIGIT_IDENTIFIER_RE = /\d+[A-Za-z_@][A-Za-z0-9_@]*/y;

/** `1abc`: digits then letters. Loses to a number of equal or greater length (`1e5`). */
function matchDigitIdentifier(text: string, offset: number): RegExpExecArray | null {
  DIGIT_IDENTIFIER_RE.lastIndex = offset;
  const m = DIGIT_IDENTIFIER_RE.exec(text);
  if (m === null) return null;
  FLOAT_RE.lastIndex = offset;
  const f = FLOAT_RE.exec(text);
  return f !== null && f[0].length >= m[0].length ? null : m;
}

export const DigitIdentifier = createToken({
  name: 'DigitIdentifier',
  label: 'DIGIT_IDENTIFIER',
  pattern: { exec: matchDigitIdentifier },
  line_breaks: false,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
});
export const FloatingPointValue = createToken({
  name: 'FloatingPointValue',
  label: 'FLOATING_POINT_VALUE',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+/,
});
export const DecimalValue = createToken({ name: 'DecimalValue', label: 'DECIMAL_VALUE', pattern: /\d+\.\d*|\.\d+/ });
export const IntegerValue = createToken({ name: 'IntegerValue', label: 'INTEGER_VALUE', pattern: /\d+/ });
export const Identifier = createToken({ name: 'Identifier', label: 'IDENTIFIER', pattern: /[A-Za-z_][A-Za-z0-9_@]*/ });

function punctuation(name: string, text: string): TokenType {
  return createToken({ name, label: `'${text}'`, pattern: text });
}

export const Lambda = punctuation('Lambda', '=>');
export const Assign = punctuation('Assign', ':=');
export const Arrow = punctuation('Arrow', '->');
export const Concat = punctuation('Concat', '||');
export const Neq = createToken({ name: 'Neq', label: "'<>'", pattern: /<>|!=/ });
export const Lte = punctuation('Lte', '<=');
export const Gte = punctuation('Gte', '>=');
export const Lt = punctuation('Lt', '<');
export const Gt = punctuation('Gt', '>');
export const Eq = punctuation('Eq', '=');
export const Plus = punctuation('Plus', '+');
export const Minus = punctuation('Minus', '-');
export const Asterisk = punctuation('Asterisk', '*');
export const Slash = punctuation('Slash', '/');
export const Percent = punctuation('Percent', '%');
export const LParen = punctuation('LParen', '(');
export const RParen = punctuation('RParen', ')');
export const LBracket = punctuation('LBracket', '[');
export const RBracket = punctuation('RBracket', ']');
export const Comma = punctuation('Comma', ',');
export const Dot = punctuation('Dot', '.');
export const Semicolon = punctuation('Semicolon', ';');

const NON_RESERVED: ReadonlySet<string> = new Set(NON_RESERVED_KEYWORDS);

function keywordToken(word: Keyword): TokenType {
  return createToken({
    name: word,
    label: `'${word}'`,
    pattern: Lexer.NA,
    categories: NON_RESERVED.has(word) ? [NonReserved] : [],
  });
}

/** Every keyword's token type, by upper-case word: `KW.SELECT`. */
export const KW = Object.fromEntries(
  [...NON_RESERVED_KEYWORDS, ...RESERVED_KEYWORDS].map((w) => [w, keywordToken(w)]),
) as Record<Keyword, TokenType>;

/** Upper-case word to keyword token type. */
export const KEYWORD_BY_WORD: ReadonlyMap<string, TokenType> = new Map(Object.entries(KW));

/** The lexer's matching order: longer punctuation before its prefixes. */
export const LEXED_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  QuotedIdentifier,
  BackQuotedIdentifier,
  DigitIdentifier,
  FloatingPointValue,
  DecimalValue,
  IntegerValue,
  Identifier,
  Lambda,
  Assign,
  Arrow,
  Concat,
  Neq,
  Lte,
  Gte,
  Lt,
  Gt,
  Eq,
  Plus,
  Minus,
  Asterisk,
  Slash,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Semicolon,
];

/** The full vocabulary, for the parser: lexed tokens, keywords and categories. */
export const ALL_TOKENS: readonly TokenType[] = [...LEXED_TOKENS, NonReserved, ...Object.values(KW)];

/** Names of the tokens that are identifiers in every context. */
export const IDENTIFIER_TOKENS: readonly TokenType[] = [Identifier, QuotedIdentifier, BackQuotedIdentifier, DigitIdentifier];
