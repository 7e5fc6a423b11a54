/** Small typed accessors over Chevrotain's untyped CST, and the conversions every builder shares. */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { SourceLocation } from '../ast/location.js';
import { invalidStatementError } from '../syntax-error.js';
import { KsqlError } from '../../common/errors.js';

export function nodesOf(node: CstNode, key: string): CstNode[] {
  return (node.children[key] as CstNode[] | undefined) ?? [];
}

export function nodeOf(node: CstNode, key: string): CstNode | undefined {
  return (node.children[key] as CstNode[] | undefined)?.[0];
}

/** The one child node that the grammar guarantees. */
export function requiredNode(node: CstNode, key: string): CstNode {
  const child = nodeOf(node, key);
  if (child === undefined) throw new KsqlError('SERVER_ERROR', `parser: missing ${key} in ${node.name}`);
  return child;
}

export function tokensOf(node: CstNode, key: string): IToken[] {
  return (node.children[key] as IToken[] | undefined) ?? [];
}

export function tokenOf(node: CstNode, key: string): IToken | undefined {
  return (node.children[key] as IToken[] | undefined)?.[0];
}

export function requiredToken(node: CstNode, key: string): IToken {
  const t = tokenOf(node, key);
  if (t === undefined) throw new KsqlError('SERVER_ERROR', `parser: missing token ${key} in ${node.name}`);
  return t;
}

export function has(node: CstNode, key: string): boolean {
  return node.children[key] !== undefined;
}

/** The first child whose key is one of `keys` (rules are OR-ed, so at most one is present). */
export function firstChildKey(node: CstNode): string {
  const keys = Object.keys(node.children);
  if (keys.length === 0) throw new KsqlError('SERVER_ERROR', `parser: empty ${node.name}`);
  return keys[0]!;
}

export function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

export function nodeLocation(node: CstNode): SourceLocation {
  const l = node.location;
  if (l === undefined || Number.isNaN(l.startOffset)) return { line: 0, column: 0, offset: 0, length: 0 };
  return { line: l.startLine ?? 0, column: l.startColumn ?? 0, offset: l.startOffset, length: (l.endOffset ?? l.startOffset) - l.startOffset + 1 };
}

export function tokenLocation(token: IToken): SourceLocation {
  return { line: token.startLine ?? 0, column: token.startColumn ?? 0, offset: token.startOffset, length: token.image.length };
}

/** The location running from the start of `from` to the end of `to`. */
export function spanNodes(from: SourceLocation, to: SourceLocation): SourceLocation {
  return { line: from.line, column: from.column, offset: from.offset, length: to.offset + to.length - from.offset };
}

/** The text of a '...' string token, with '' turned into '. */
export function unquoteString(token: IToken): string {
  return token.image.slice(1, -1).replace(/''/g, "'");
}

/** An identifier token's name: upper-cased when bare, as written (unescaped) when quoted. */
export function normalizeIdentifierToken(token: IToken): string {
  const image = token.image;
  const first = image[0];
  if (first === '"') return image.slice(1, -1).replace(/""/g, '"');
  if (first === '`') return image.slice(1, -1).replace(/``/g, '`');
  return image.toUpperCase();
}

/** The single token inside an `identifier` rule node. */
export function identifierToken(node: CstNode): IToken {
  const key = firstChildKey(node);
  return (node.children[key] as IToken[])[0]!;
}

export function buildIdentifier(node: CstNode): string {
  return normalizeIdentifierToken(identifierToken(node));
}

/** Whether an identifier was written with quotes (its case is then significant). */
export function isQuotedIdentifier(node: CstNode): boolean {
  const first = identifierToken(node).image[0];
  return first === '"' || first === '`';
}

/** A semantic error found while building the AST, positioned like a syntax error. */
export function invalidAt(location: SourceLocation, message: string): KsqlError {
  return invalidStatementError(message, { line: location.line, column: location.column });
}

/** Parses a non-negative integer token that must fit in a JavaScript safe integer. */
export function integerTokenValue(token: IToken): number {
  const value = Number(token.image);
  if (!Number.isSafeInteger(value)) throw invalidAt(tokenLocation(token), `Invalid numeric literal: ${token.image}`);
  return value;
}
