/** CST -> Expression. Lambda parameters in scope turn column references into LambdaVariables. */
import type { CstNode, IToken } from 'chevrotain';
import { parseTimeUnit } from '../ast/duration.js';
import type { ArithmeticOperator, ComparisonOperator, Expression, WhenClause } from '../ast/expression.js';
import {
  buildIdentifier,
  firstChildKey,
  has,
  identifierToken,
  invalidAt,
  nodeLocation,
  nodeOf,
  nodesOf,
  requiredNode,
  requiredToken,
  spanNodes,
  tokenLocation,
  tokenOf,
  tokensOf,
  unquoteString,
} from './cst-access.js';
import { buildLiteral, buildType } from './build-type.js';

/** Names of the lambda parameters in scope, innermost last. */
type LambdaScope = readonly string[];

const NO_SCOPE: LambdaScope = [];

export function buildExpression(node: CstNode, scope: LambdaScope = NO_SCOPE): Expression {
  const terms = nodesOf(node, 'andExpression').map((n) => buildAnd(n, scope));
  return foldLogical(terms, 'OR');
}

function buildAnd(node: CstNode, scope: LambdaScope): Expression {
  return foldLogical(
    nodesOf(node, 'notExpression').map((n) => buildNot(n, scope)),
    'AND',
  );
}

function foldLogical(terms: Expression[], operator: 'AND' | 'OR'): Expression {
  let result = terms[0]!;
  for (let i = 1; i < terms.length; i++) {
    const right = terms[i]!;
    result = { kind: 'LogicalBinary', operator, left: result, right, location: spanNodes(result.location, right.location) };
  }
  return result;
}

function buildNot(node: CstNode, scope: LambdaScope): Expression {
  const inner = nodeOf(node, 'notExpression');
  if (inner !== undefined) return { kind: 'Not', operand: buildNot(inner, scope), location: nodeLocation(node) };
  return buildPredicated(requiredNode(node, 'predicated'), scope);
}

const COMPARISON_BY_TOKEN: Readonly<Record<string, ComparisonOperator>> = {
  Eq: '=',
  Neq: '<>',
  Lt: '<',
  Lte: '<=',
  Gt: '>',
  Gte: '>=',
};

function buildPredicated(node: CstNode, scope: LambdaScope): Expression {
  const operand = buildValue(requiredNode(node, 'valueExpression'), scope);
  const predicate = nodeOf(node, 'predicate');
  if (predicate === undefined) return operand;
  const location = nodeLocation(node);
  const negated = has(predicate, 'NOT');
  const comparison = nodeOf(predicate, 'comparisonOperator');
  if (comparison !== undefined) {
    const operator = COMPARISON_BY_TOKEN[firstChildKey(comparison)]!;
    return { kind: 'Comparison', operator, left: operand, right: buildValue(requiredNode(predicate, 'right'), scope), location };
  }
  if (has(predicate, 'BETWEEN')) {
    return {
      kind: 'Between',
      operand,
      low: buildValue(requiredNode(predicate, 'low'), scope),
      high: buildValue(requiredNode(predicate, 'high'), scope),
      negated,
      location,
    };
  }
  if (has(predicate, 'IN')) {
    return { kind: 'InList', operand, list: nodesOf(predicate, 'expression').map((e) => buildExpression(e, scope)), negated, location };
  }
  if (has(predicate, 'LIKE')) {
    const escapeToken = tokenOf(predicate, 'StringLiteral');
    const escape = escapeToken === undefined ? undefined : unquoteString(escapeToken);
    if (escape !== undefined && escape.length !== 1) {
      throw invalidAt(tokenLocation(escapeToken!), `Expected single character escape but got: ${escape}`);
    }
    return { kind: 'Like', operand, pattern: buildValue(requiredNode(predicate, 'pattern'), scope), escape, negated, location };
  }
  if (has(predicate, 'DISTINCT')) {
    return { kind: 'IsDistinctFrom', left: operand, right: buildValue(requiredNode(predicate, 'right'), scope), negated, location };
  }
  return { kind: 'IsNull', operand, negated, location };
}

/** Tokens of the given keys, in source order. */
function operatorsInOrder(node: CstNode, keys: readonly string[]): IToken[] {
  const all: IToken[] = [];
  for (const k of keys) all.push(...tokensOf(node, k));
  return all.sort((a, b) => a.startOffset - b.startOffset);
}

/** valueExpression: `a || b || ...`. */
export function buildValue(node: CstNode, scope: LambdaScope = NO_SCOPE): Expression {
  const terms = nodesOf(node, 'additiveExpression').map((n) => buildAdditive(n, scope));
  let result = terms[0]!;
  for (let i = 1; i < terms.length; i++) {
    const right = terms[i]!;
    result = { kind: 'Concatenation', left: result, right, location: spanNodes(result.location, right.location) };
  }
  return result;
}

function foldArithmetic(terms: Expression[], operators: IToken[]): Expression {
  let result = terms[0]!;
  for (let i = 1; i < terms.length; i++) {
    const right = terms[i]!;
    const operator = operators[i - 1]!.image as ArithmeticOperator;
    result = { kind: 'ArithmeticBinary', operator, left: result, right, location: spanNodes(result.location, right.location) };
  }
  return result;
}

function buildAdditive(node: CstNode, scope: LambdaScope): Expression {
  return foldArithmetic(
    nodesOf(node, 'multiplicativeExpression').map((n) => buildMultiplicative(n, scope)),
    operatorsInOrder(node, ['Plus', 'Minus']),
  );
}

function buildMultiplicative(node: CstNode, scope: LambdaScope): Expression {
  return foldArithmetic(
    nodesOf(node, 'unaryExpression').map((n) => buildUnary(n, scope)),
    operatorsInOrder(node, ['Asterisk', 'Slash', 'Percent']),
  );
}

function buildUnary(node: CstNode, scope: LambdaScope): Expression {
  const inner = nodeOf(node, 'unaryExpression');
  if (inner === undefined) return buildPrimary(requiredNode(node, 'primaryExpression'), scope);
  const operator = has(node, 'Minus') ? '-' : '+';
  return { kind: 'ArithmeticUnary', operator, operand: buildUnary(inner, scope), location: nodeLocation(node) };
}

/** A primary term and its `[index]` / `->field` suffixes, applied left to right. */
export function buildPrimary(node: CstNode, scope: LambdaScope = NO_SCOPE): Expression {
  let result = buildTerm(requiredNode(node, 'primaryTerm'), scope);
  const brackets = tokensOf(node, 'LBracket');
  const closers = tokensOf(node, 'RBracket');
  const indexes = nodesOf(node, 'valueExpression');
  const arrows = tokensOf(node, 'Arrow');
  const fields = nodesOf(node, 'identifier');
  let b = 0;
  let a = 0;
  while (b < brackets.length || a < arrows.length) {
    const nextIsBracket = a >= arrows.length || (b < brackets.length && brackets[b]!.startOffset < arrows[a]!.startOffset);
    if (nextIsBracket) {
      const index = buildValue(indexes[b]!, scope);
      const location = spanNodes(result.location, tokenLocation(closers[b]!));
      result = { kind: 'Subscript', base: result, index, location };
      b++;
    } else {
      const fieldNode = fields[a]!;
      const location = spanNodes(result.location, tokenLocation(identifierToken(fieldNode)));
      result = { kind: 'Dereference', base: result, field: buildIdentifier(fieldNode), location };
      a++;
    }
  }
  return result;
}

function buildTerm(node: CstNode, scope: LambdaScope): Expression {
  const key = firstChildKey(node);
  const child = nodeOf(node, key);
  switch (key) {
    case 'literal':
      return buildLiteral(child!);
    case 'typedLiteral':
      return buildTypedLiteral(child!);
    case 'caseExpression':
      return buildCase(child!, scope);
    case 'castExpression':
      return {
        kind: 'Cast',
        operand: buildExpression(requiredNode(child!, 'expression'), scope),
        type: buildType(requiredNode(child!, 'type')),
        location: nodeLocation(child!),
      };
    case 'arrayConstructor':
      return { kind: 'ArrayConstructor', elements: nodesOf(child!, 'expression').map((e) => buildExpression(e, scope)), location: nodeLocation(child!) };
    case 'mapConstructor':
      return {
        kind: 'MapConstructor',
        entries: nodesOf(child!, 'mapEntry').map((e) => ({
          key: buildExpression(requiredNode(e, 'key'), scope),
          value: buildExpression(requiredNode(e, 'value'), scope),
        })),
        location: nodeLocation(child!),
      };
    case 'structConstructor':
      return buildStructConstructor(child!, scope);
    case 'functionCall':
      return buildFunctionCall(child!, scope);
    case 'columnReference':
      return buildColumnReference(child!, scope);
    default:
      // '(' expression ')': parentheses leave no node behind.
      return buildExpression(requiredNode(node, 'expression'), scope);
  }
}

function buildTypedLiteral(node: CstNode): Expression {
  const location = nodeLocation(node);
  const value = unquoteString(requiredToken(node, 'StringLiteral'));
  const typeName = has(node, 'DECIMAL') ? 'DECIMAL' : buildIdentifier(requiredNode(node, 'identifier'));
  switch (typeName) {
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'DECIMAL':
      return { kind: 'TypedLiteral', typeName, value, location };
    case 'X':
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(value)) throw invalidAt(location, `Invalid bytes literal: X'${value}'`);
      return { kind: 'BytesLiteral', hex: value.toLowerCase(), location };
    default:
      throw invalidAt(location, `Unknown type: ${typeName}`);
  }
}

function buildCase(node: CstNode, scope: LambdaScope): Expression {
  const whens: WhenClause[] = nodesOf(node, 'whenClause').map((w) => ({
    kind: 'WhenClause',
    condition: buildExpression(requiredNode(w, 'condition'), scope),
    result: buildExpression(requiredNode(w, 'result'), scope),
    location: nodeLocation(w),
  }));
  const otherwiseNode = nodeOf(node, 'otherwise');
  const otherwise = otherwiseNode === undefined ? undefined : buildExpression(otherwiseNode, scope);
  const operandNode = nodeOf(node, 'operand');
  const location = nodeLocation(node);
  if (operandNode === undefined) return { kind: 'SearchedCase', whens, otherwise, location };
  return { kind: 'SimpleCase', operand: buildValue(operandNode, scope), whens, otherwise, location };
}

function buildStructConstructor(node: CstNode, scope: LambdaScope): Expression {
  const fields = nodesOf(node, 'structField').map((f) => ({
    name: buildIdentifier(requiredNode(f, 'identifier')),
    value: buildExpression(requiredNode(f, 'expression'), scope),
  }));
  // Duplicate names are the analyzer's to reject (ksqlDB does so after parsing).
  return { kind: 'StructConstructor', fields, location: nodeLocation(node) };
}

function buildFunctionCall(node: CstNode, scope: LambdaScope): Expression {
  const name = buildIdentifier(requiredNode(node, 'identifier'));
  const args = nodesOf(node, 'functionArgument').map((arg) => buildFunctionArgument(arg, scope));
  return { kind: 'FunctionCall', name, args, star: has(node, 'Asterisk'), location: nodeLocation(node) };
}

function buildFunctionArgument(node: CstNode, scope: LambdaScope): Expression {
  const lambda = nodeOf(node, 'lambdaExpression');
  if (lambda !== undefined) {
    const params = nodesOf(lambda, 'identifier').map(buildIdentifier);
    const seen = new Set<string>();
    for (const p of params) {
      if (seen.has(p)) throw invalidAt(nodeLocation(lambda), `Lambda arguments must be unique: ${p}`);
      seen.add(p);
    }
    const body = buildExpression(requiredNode(lambda, 'expression'), [...scope, ...params]);
    return { kind: 'Lambda', params, body, location: nodeLocation(lambda) };
  }
  const unitNode = nodeOf(node, 'windowUnit');
  if (unitNode !== undefined) {
    const token = (unitNode.children[firstChildKey(unitNode)] as IToken[])[0]!;
    return { kind: 'IntervalUnit', unit: parseTimeUnit(token.image)!, location: tokenLocation(token) };
  }
  return buildExpression(requiredNode(node, 'expression'), scope);
}

function buildColumnReference(node: CstNode, scope: LambdaScope): Expression {
  const location = nodeLocation(node);
  const first = buildIdentifier(requiredNode(node, 'identifier'));
  const column = nodeOf(node, 'column');
  if (column !== undefined) return { kind: 'ColumnRef', source: first, name: buildIdentifier(column), location };
  if (scope.includes(first)) return { kind: 'LambdaVariable', name: first, location };
  return { kind: 'ColumnRef', source: undefined, name: first, location };
}
