/**
 * Bounds on the work one piece of SQL may cost, checked as early as each can
 * be: the text's length before it is read, its number of tokens after the
 * lexer (the parser's cost grows with them, an expression's most of all),
 * then, on the AST, how deep expressions nest (the analyzer, planner and
 * printer walk them recursively) and how long an IN list is. ksqlDB has no
 * such bounds; the server's are settings (docs/security.md). Text over a
 * bound is refused as a bad request naming the bound, before any of it runs.
 */
import { KsqlError } from '../common/errors.js';
import { EXPRESSION_KINDS } from './ast/traverse.js';
import type { Statement } from './ast/statement.js';

export interface ParseLimits {
  /** Characters of text given to parse at once. */
  readonly maxLength: number;
  readonly maxTokens: number;
  /** Levels of nested expressions (`1+1+1` nests 3 deep: each `+` holds the one before). */
  readonly maxDepth: number;
  readonly maxInList: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxLength: 262_144,
  maxTokens: 20_000,
  maxDepth: 1_000,
  maxInList: 1_000,
};

/** The setting that holds each bound. */
export const PARSE_LIMIT_PROPERTIES: Readonly<Record<keyof ParseLimits, string>> = {
  maxLength: 'ksqlite.statement.max.length',
  maxTokens: 'ksqlite.statement.max.tokens',
  maxDepth: 'ksqlite.expression.max.depth',
  maxInList: 'ksqlite.expression.max.in.list',
};

function tooLarge(message: string, bound: keyof ParseLimits): KsqlError {
  return new KsqlError('BAD_REQUEST', `${message} (${PARSE_LIMIT_PROPERTIES[bound]})`);
}

/** `text`: the text, or its length as it grows (variable substitution). */
export function checkLength(text: { readonly length: number }, limits: ParseLimits): void {
  if (text.length > limits.maxLength) {
    throw tooLarge(`The statement text is ${text.length} characters long; the server accepts at most ${limits.maxLength}`, 'maxLength');
  }
}

export function checkTokenCount(count: number, limits: ParseLimits): void {
  if (count > limits.maxTokens) throw tooLarge(`The statement text has ${count} tokens; the server accepts at most ${limits.maxTokens}`, 'maxTokens');
}

/** Walks the whole tree without recursion (a deep one is what this refuses). */
export function checkStatementShape(statement: Statement | object, limits: ParseLimits): void {
  const stack: [unknown, number][] = [[statement, 0]];
  while (stack.length > 0) {
    const [value, outerDepth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    let depth = outerDepth;
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind === 'string' && EXPRESSION_KINDS.has(kind)) {
      depth++;
      if (depth > limits.maxDepth) throw tooLarge(`An expression nests more than ${limits.maxDepth} levels deep`, 'maxDepth');
      if (kind === 'InList') {
        const size = (value as { list: readonly unknown[] }).list.length;
        if (size > limits.maxInList) throw tooLarge(`An IN list has ${size} values; the server accepts at most ${limits.maxInList}`, 'maxInList');
      }
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth]);
    }
  }
}
