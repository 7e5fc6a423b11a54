/**
 * A statement's shape: its text with every literal (number or string) left
 * out, and the literals themselves as the lexer makes them (kind, image,
 * position). Statements of one shape differ only in their literals, so they
 * share one cached plan (src/engine/pull-query-cache.ts).
 *
 * The common statement is read by a scanner written for the purpose, in one
 * pass and without making tokens: it knows words, whitespace, punctuation,
 * string literals and plain numbers (`42`, `4.2`), and gives up on anything
 * else (comments, quoted identifiers, exponents, digits followed by letters,
 * other characters), which the lexer then reads. Both ways agree on the
 * literals; the scanner's key is the text itself with each literal replaced
 * by a mark of its kind, so two statements share a key only when their texts
 * differ in literals alone, and then the lexer gives them the same other
 * tokens. Keys made by the lexer are of another form, so the two never meet.
 */
import { tokenize } from './grammar/lexer.js';

export type LiteralTokenKind = 'IntegerValue' | 'DecimalValue' | 'FloatingPointValue' | 'StringLiteral';

/** A literal token, as the lexer makes it. */
export interface LiteralToken {
  readonly kind: LiteralTokenKind;
  readonly image: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface StatementShape {
  /** Equal for statements that differ only in their literals' images. */
  readonly key: string;
  readonly literals: readonly LiteralToken[];
  /** The statement's text as the parser would give it (from its first token to its last). */
  readonly text: string;
}

const LITERAL_KINDS: ReadonlySet<string> = new Set<LiteralTokenKind>(['IntegerValue', 'DecimalValue', 'FloatingPointValue', 'StringLiteral']);

/** The mark that stands for a literal of each kind in a scanned key (control characters, which the scanner never keeps). */
const MARKS: Readonly<Record<LiteralTokenKind, string>> = { IntegerValue: '\u0001', DecimalValue: '\u0002', FloatingPointValue: '\u0003', StringLiteral: '\u0004' };

/** Undefined for text of no single statement, or that the lexer refuses (the parser will say why). */
export function statementShape(text: string): StatementShape | undefined {
  if (text.includes('\u0000')) return undefined;
  const scanned = scannedShape(text);
  return scanned === null ? lexedShape(text) : scanned;
}

/** The shape read through the lexer's tokens. */
export function lexedShape(text: string): StatementShape | undefined {
  let tokens;
  try {
    tokens = tokenize(text);
  } catch {
    return undefined;
  }
  if (tokens.length === 0) return undefined;
  const literals: LiteralToken[] = [];
  let key = '\u0005';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType.name;
    // One statement: a ';' may only end it.
    if (type === 'Semicolon' && i !== tokens.length - 1) return undefined;
    if (LITERAL_KINDS.has(type)) {
      literals.push({ kind: type as LiteralTokenKind, image: token.image, offset: token.startOffset, line: token.startLine ?? 1, column: token.startColumn ?? 1 });
      key += `\u0000\u0001${type}`;
    } else {
      key += `\u0000${token.image}`;
    }
  }
  const last = tokens[tokens.length - 1]!;
  return { key, literals, text: text.slice(tokens[0]!.startOffset, last.endOffset! + 1) };
}

// Character classes of the scanner, by char code below 128.
const OTHER = 0;
const SPACE = 1;
const NEWLINE = 2;
const WORD_START = 3;
const DIGIT = 4;
const PUNCT = 5;
const QUOTE = 6;
const CR = 7;
const CLASSES = new Uint8Array(128);
for (const c of ' \t\f') CLASSES[c.charCodeAt(0)] = SPACE;
CLASSES[10] = NEWLINE;
CLASSES[13] = CR;
for (let c = 65; c <= 90; c++) CLASSES[c] = WORD_START;
for (let c = 97; c <= 122; c++) CLASSES[c] = WORD_START;
CLASSES[95] = WORD_START;
for (let c = 48; c <= 57; c++) CLASSES[c] = DIGIT;
// Not '-' nor '/' (they may start comments), nor '.' (it may start a number): those are checked on their own.
// Nor '!', ':' or '|', which the lexer takes only in pairs ('!=', ':=', '||').
for (const c of '=<>+*%()[],;') CLASSES[c.charCodeAt(0)] = PUNCT;
CLASSES[39] = QUOTE;
const MINUS = 45;
const SLASH = 47;
const DOT = 46;
const AT = 64;
const SEMICOLON = 59;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** What may go on a word (`[A-Za-z0-9_@]`), and so may not follow a number the scanner reads. */
const isWordPart = (c: number): boolean => (c < 128 && (CLASSES[c] === WORD_START || CLASSES[c] === DIGIT)) || c === AT;

/** The shape read by the scanner; null when the text holds what the scanner leaves to the lexer. */
export function scannedShape(text: string): StatementShape | null | undefined {
  const n = text.length;
  const literals: LiteralToken[] = [];
  let key = '';
  // Where the text not yet copied to the key starts.
  let copied = 0;
  let line = 1;
  let lineStart = 0;
  let first = -1;
  let end = 0;
  let semicolon = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cls = c < 128 ? CLASSES[c]! : OTHER;
    if (cls === SPACE) {
      i++;
      continue;
    }
    if (cls === NEWLINE || cls === CR) {
      // The lexer's line breaks: \n, \r\n and \r.
      i += cls === CR && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    // Only whitespace or comments may follow the closing ';': the lexer decides.
    if (semicolon) return null;
    if (first < 0) first = i;
    const start = i;
    if (cls === WORD_START) {
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
    } else if (cls === DIGIT) {
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      let kind: LiteralTokenKind = 'IntegerValue';
      if (text.charCodeAt(i) === DOT) {
        kind = 'DecimalValue';
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      // An exponent, a word on the digits, or a second '.': the lexer's rules decide.
      if (i < n && (isWordPart(text.charCodeAt(i)) || text.charCodeAt(i) === DOT)) return null;
      key += text.slice(copied, start) + MARKS[kind];
      copied = i;
      literals.push({ kind, image: text.slice(start, i), offset: start, line, column: start - lineStart + 1 });
    } else if (cls === QUOTE) {
      const startLine = line;
      const column = start - lineStart + 1;
      i++;
      for (;;) {
        if (i >= n) return null;
        const d = text.charCodeAt(i);
        if (d === 39) {
          if (text.charCodeAt(i + 1) !== 39) break;
          i += 2;
          continue;
        }
        if (d === 10 || d === 13) {
          i += d === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
          line++;
          lineStart = i;
          continue;
        }
        i++;
      }
      i++;
      key += text.slice(copied, start) + MARKS.StringLiteral;
      copied = i;
      literals.push({ kind: 'StringLiteral', image: text.slice(start, i), offset: start, line: startLine, column });
    } else if (cls === PUNCT) {
      if (c === SEMICOLON) semicolon = true;
      i++;
    } else if (c === MINUS || c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if ((c === MINUS && next === MINUS) || (c === SLASH && next === 42)) return null;
      i++;
    } else if (c === DOT) {
      if (isDigit(text.charCodeAt(i + 1))) return null;
      i++;
    } else {
      return null;
    }
    end = i;
  }
  if (first < 0) return undefined;
  return { key: key + text.slice(copied, end), literals, text: text.slice(first, end) };
}
