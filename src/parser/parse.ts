/**
 * The parser's entry points. One parser instance is built once and reused;
 * every failure leaves as a KsqlError (BAD_STATEMENT for the user's text).
 */
import { isRecognitionException, type CstNode, type IRecognitionException, type IToken } from 'chevrotain';
import { KsqlError, toKsqlError } from '../common/errors.js';
import type { Expression } from './ast/expression.js';
import type { SourceLocation } from './ast/location.js';
import type { Statement } from './ast/statement.js';
import { buildExpression } from './ast-builder/build-expression.js';
import { buildStatement } from './ast-builder/build-statement.js';
import { nodeLocation, nodesOf, tokenLocation, tokensOf } from './ast-builder/cst-access.js';
import { describeSyntaxError } from './describe-syntax-error.js';
import { checkLength, checkStatementShape, checkTokenCount, DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse-limits.js';
import { tokenize } from './grammar/lexer.js';
import { KsqlParser } from './grammar/statement-rules.js';
import { syntaxError } from './syntax-error.js';

export interface ParseOptions {
  /**
   * Accept the test-script statements too (ASSERT VALUES, ASSERT NULL
   * VALUES, ASSERT STREAM|TABLE, RUN SCRIPT), as ksqlDB's test runner does.
   * Servers leave this off: ksqlDB rejects them there.
   */
  readonly testStatements?: boolean;
  /** Bounds on the text and its expressions (default DEFAULT_PARSE_LIMITS). */
  readonly limits?: ParseLimits;
}

let parser: KsqlParser | undefined;

/** The shared parser, built on first use (grammar analysis takes a moment). */
export function getParser(): KsqlParser {
  parser ??= new KsqlParser();
  return parser;
}

/**
 * Parses `;`-separated statements (the last `;` is optional). Each statement's
 * `text` is its exact source, including its `;` when it has one; locations
 * are relative to `sql`.
 */
export function parseStatements(sql: string, options: ParseOptions = {}): Statement[] {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  checkLength(sql, limits);
  return guard(sql, () => {
    const p = getParser();
    const tokens = tokenize(sql);
    checkTokenCount(tokens.length, limits);
    p.testStatements = options.testStatements ?? false;
    p.input = tokens;
    const cst = p.statements();
    throwFirstError(p, sql, tokens);
    const statementNodes = nodesOf(cst, 'statement');
    const semicolons = tokensOf(cst, 'Semicolon');
    return statementNodes.map((node, i) => {
      const location = statementLocation(node, semicolons, statementNodes[i + 1]);
      const text = sql.slice(location.offset, location.offset + location.length);
      try {
        const statement = buildStatement(node, { text, location });
        checkStatementShape(statement, limits);
        return statement;
      } catch (e) {
        throw asPrepareError(e, text);
      }
    });
  });
}

/** Parses one expression, e.g. for a REST filter or a test. */
export function parseExpression(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): Expression {
  checkLength(text, limits);
  return guard(text, () => {
    const p = getParser();
    const tokens = tokenize(text);
    checkTokenCount(tokens.length, limits);
    p.testStatements = false;
    p.input = tokens;
    const cst = p.singleExpression();
    throwFirstError(p, text, tokens);
    const expression = buildExpression(nodesOf(cst, 'expression')[0]!);
    checkStatementShape(expression, limits);
    return expression;
  });
}

/**
 * Errors found while building the AST (bad literal, KEY on a table...) read
 * "Failed to prepare statement: ..." as in ksqlDB, where they come from its
 * prepare step rather than from the grammar.
 */
function asPrepareError(e: unknown, text: string): unknown {
  if (!(e instanceof KsqlError) || e.code !== 'BAD_STATEMENT') return e;
  return new KsqlError('BAD_STATEMENT', `Failed to prepare statement: ${e.message}`, { position: e.position, statementText: text, cause: e });
}

function statementLocation(node: CstNode, semicolons: readonly IToken[], next: CstNode | undefined): SourceLocation {
  const base = nodeLocation(node);
  const end = base.offset + base.length;
  const nextStart = next === undefined ? Infinity : nodeLocation(next).offset;
  const semicolon = semicolons.find((s) => s.startOffset >= end && s.startOffset < nextStart);
  if (semicolon === undefined) return base;
  const s = tokenLocation(semicolon);
  return { ...base, length: s.offset + s.length - base.offset };
}

function throwFirstError(p: KsqlParser, text: string, tokens: IToken[]): void {
  const error = p.errors[0] as IRecognitionException | undefined;
  if (error === undefined) return;
  const index = error.token.tokenType.name === 'EOF' ? tokens.length : tokens.indexOf(error.token);
  const position = errorPosition(text, error.token, tokens);
  const details = describeSyntaxError(p, error, tokens, index < 0 ? tokens.length : index);
  throw syntaxError(text, position, details, statementTextAround(text, tokens, index));
}

/** The position of the offending token; at end of input, just past the last token. */
function errorPosition(text: string, token: IToken, tokens: readonly IToken[]): { line: number; column: number } {
  if (token.tokenType.name !== 'EOF' && token.startLine !== undefined) return { line: token.startLine, column: token.startColumn ?? 1 };
  const last = tokens[tokens.length - 1];
  if (last === undefined) return { line: 1, column: 1 };
  const endOffset = last.endOffset! + 1;
  const before = text.slice(0, endOffset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** The text of the statement that contains token `index`, for the error message. */
function statementTextAround(text: string, tokens: readonly IToken[], index: number): string {
  if (tokens.length === 0) return text;
  let start = Math.min(Math.max(index, 0), tokens.length - 1);
  while (start > 0 && tokens[start - 1]!.image !== ';') start--;
  let end = Math.min(Math.max(index, 0), tokens.length - 1);
  while (end < tokens.length - 1 && tokens[end]!.image !== ';') end++;
  return text.slice(tokens[start]!.startOffset, tokens[end]!.endOffset! + 1);
}

/** Runs `work`, turning anything thrown into a KsqlError. */
function guard<T>(text: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof KsqlError) {
      // A text over a bound is not echoed back: it is the request's whole (large) text.
      if (e.statementText === undefined && e.code !== 'BAD_REQUEST') {
        return rethrowWithText(e, text);
      }
      throw e;
    }
    if (e instanceof RangeError) {
      throw new KsqlError('BAD_STATEMENT', 'Statement is too deeply nested to parse', { statementText: text, cause: e });
    }
    if (e instanceof Error && isRecognitionException(e)) {
      throw new KsqlError('BAD_STATEMENT', `Syntax Error\n${e.message}`, { statementText: text, cause: e });
    }
    throw toKsqlError(e);
  }
}

function rethrowWithText(e: KsqlError, text: string): never {
  throw new KsqlError(e.code, e.message, { position: e.position, statementText: text, cause: e.cause });
}
