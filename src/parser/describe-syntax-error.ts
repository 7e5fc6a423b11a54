/**
 * Turns a Chevrotain recognition error into ksqlDB-style detail lines:
 * "Unknown statement 'X'", "missing ')' at ','", "Expecting {...}", and a note
 * when a reserved keyword stands where a name could go.
 */
import { tokenMatcher, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { StatementRules } from './grammar/statement-rules.js';
import { Comma, Identifier, KW, LEXED_TOKENS, NonReserved, Semicolon } from './grammar/tokens.js';
import { isIdentifierToken } from './grammar/base-rules.js';

/** Content assist walks grammar paths; past this many tokens of context we skip it. */
const MAX_ASSIST_PREFIX = 400;

const STATEMENT_STARTS: readonly TokenType[] = [
  KW.SELECT, KW.CREATE, KW.INSERT, KW.LIST, KW.SHOW, KW.DESCRIBE, KW.PRINT, KW.TERMINATE, KW.PAUSE, KW.RESUME,
  KW.SET, KW.UNSET, KW.ALTER, KW.DEFINE, KW.UNDEFINE, KW.DROP, KW.EXPLAIN, KW.ASSERT,
];

const RANK_PUNCTUATION = 0;
const RANK_KEYWORD = 1;
const RANK_NAMED = 2;
const LEXED: ReadonlySet<TokenType> = new Set(LEXED_TOKENS);
/** Token types by display label and by name, to read Chevrotain's "Expecting --> X <--". */
const TOKEN_BY_NAME: ReadonlyMap<string, TokenType> = new Map(
  [...LEXED_TOKENS, ...Object.values(KW)].flatMap((t) => [[t.name, t] as const, [displayName(t), t] as const]),
);

function displayName(t: TokenType): string {
  return t.LABEL ?? t.name;
}

function rank(t: TokenType): number {
  const label = displayName(t);
  if (LEXED.has(t)) return label.startsWith("'") ? RANK_PUNCTUATION : RANK_NAMED;
  return RANK_KEYWORD;
}

const PUNCTUATION_ORDER = [';', ',', '(', ')', '.', '[', ']', '=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '||', ':=', '->', '=>'];
const NAMED_ORDER = ['STRING', 'INTEGER_VALUE', 'DECIMAL_VALUE', 'FLOATING_POINT_VALUE', 'IDENTIFIER'];

function orderKey(t: TokenType): [number, number, string] {
  const r = rank(t);
  const label = displayName(t);
  if (r === RANK_PUNCTUATION) return [r, PUNCTUATION_ORDER.indexOf(label.slice(1, -1)), label];
  if (r === RANK_NAMED) return [r, NAMED_ORDER.indexOf(label), label];
  return [r, 0, label];
}

/** ksqlDB's `{a, b}` display of expected tokens; identifier-like tokens collapse into IDENTIFIER. */
export function formatExpected(types: readonly TokenType[]): string {
  const identifierLike = types.some((t) => t === Identifier || t === NonReserved);
  const shown = new Map<string, TokenType>();
  for (const t of types) {
    if (t === NonReserved || (identifierLike && displayName(t).endsWith('IDENTIFIER'))) continue;
    shown.set(displayName(t), t);
  }
  if (identifierLike) shown.set('IDENTIFIER', Identifier);
  const sorted = [...shown.values()].sort((a, b) => {
    const ka = orderKey(a);
    const kb = orderKey(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2].localeCompare(kb[2]);
  });
  return sorted.length === 1 ? displayName(sorted[0]!) : `{${sorted.map(displayName).join(', ')}}`;
}

function tokenText(token: IToken): string {
  return token.tokenType.name === 'EOF' ? '<EOF>' : token.image;
}

/** Next token types the grammar allows after `prefix` (the tokens of the statement so far). */
function expectedAfter(parser: StatementRules, prefix: IToken[]): TokenType[] | undefined {
  if (prefix.length > MAX_ASSIST_PREFIX) return undefined;
  try {
    const paths = parser.computeContentAssist('statements', prefix);
    const seen = new Set<TokenType>();
    for (const p of paths) seen.add(p.nextTokenType);
    // Where the statement may end, the grammar's optional ';' lets the next statement's
    // first words through; only ';' can follow, so leave them out.
    if (prefix.length > 0 && seen.has(Semicolon)) for (const t of STATEMENT_STARTS) seen.delete(t);
    seen.delete(KW.RUN);
    // Content assist ignores gates: outside test scripts, ASSERT goes on only with NOT, TOPIC or SCHEMA.
    if (!parser.testStatements && prefix.length === 1 && tokenMatcher(prefix[0]!, KW.ASSERT)) {
      for (const t of [KW.VALUES, KW.NULL, KW.STREAM, KW.TABLE]) seen.delete(t);
    }
    return [...seen];
  } catch {
    return undefined;
  }
}

function fakeToken(type: TokenType, after: IToken | undefined): IToken {
  return {
    image: displayName(type),
    tokenType: type,
    tokenTypeIdx: type.tokenTypeIdx!,
    startOffset: after === undefined ? 0 : after.endOffset! + 1,
    endOffset: after === undefined ? 0 : after.endOffset! + 1,
  } as IToken;
}

/**
 * Detail lines for a recognition error. `tokens` is the whole input and
 * `errorIndex` the index of the offending token in it (tokens.length at EOF).
 */
export function describeSyntaxError(
  parser: StatementRules,
  error: IRecognitionException,
  tokens: readonly IToken[],
  errorIndex: number,
): string[] {
  let start = errorIndex;
  while (start > 0 && !tokenMatcher(tokens[start - 1]!, Semicolon)) start--;
  const offending = error.token;
  const details: string[] = [];
  if (start === errorIndex && offending.tokenType.name !== 'EOF' && !STATEMENT_STARTS.some((t) => tokenMatcher(offending, t))) {
    return [`Unknown statement '${offending.image}'`];
  }
  const prefix = tokens.slice(start, errorIndex) as IToken[];
  const expected = expectedAfter(parser, prefix);
  let line: string | undefined;
  if (error.name === 'MismatchedTokenException') {
    // Like ANTLR: a missing token when inserting it makes the offending token fit,
    // an extraneous one when the token after it is the one wanted; else the wanted
    // token, with ',' when a list could also go on.
    const wanted = /expecting (?:token of type )?--> (.+?) <-- but found/i.exec(error.message)?.[1];
    const wantedType = wanted === undefined ? undefined : TOKEN_BY_NAME.get(wanted);
    if (wantedType !== undefined) {
      const after = expectedAfter(parser, [...prefix, fakeToken(wantedType, prefix[prefix.length - 1])]);
      const next = tokens[errorIndex + 1];
      if (after !== undefined && after.some((t) => tokenMatcher(offending, t))) {
        line = `missing ${displayName(wantedType)} at '${tokenText(offending)}'`;
      } else if (next !== undefined && tokenMatcher(next, wantedType)) {
        line = `extraneous input '${tokenText(offending)}' expecting ${displayName(wantedType)}`;
      } else {
        const shown = expected?.includes(Comma) && wantedType !== Comma ? [Comma, wantedType] : [wantedType];
        line = `Expecting ${formatExpected(shown)}`;
      }
    }
  }
  if (line === undefined && expected !== undefined && expected.length > 0) line = `Expecting ${formatExpected(expected)}`;
  if (line === undefined) line = `mismatched input '${tokenText(offending)}'`;
  details.push(line);
  const isReservedKeyword = offending.tokenType.name !== 'EOF' && !LEXED.has(offending.tokenType) && !isIdentifierToken(offending);
  if (isReservedKeyword) {
    const l = offending.startLine ?? 0;
    const c = offending.startColumn ?? 0;
    details.push(`Syntax error at or near '${offending.image}' at line ${l}:${c}`);
    if (expected?.some((t) => t === Identifier)) {
      details.push(`'${offending.image.toUpperCase()}' is a reserved keyword; to use it as a name, quote it: \`${offending.image.toUpperCase()}\``);
    }
  }
  return details;
}
