/** CST -> Query and its parts. */
import type { CstNode } from 'chevrotain';
import type { Expression } from '../ast/expression.js';
import type { AliasedSource, JoinedSource, JoinType, JoinWindow, Query, Relation, SelectItem, SortItem, WindowExpression } from '../ast/query.js';
import { buildExpression, buildValue } from './build-expression.js';
import { buildDuration, buildOptionalDuration } from './build-type.js';
import {
  buildIdentifier,
  has,
  integerTokenValue,
  invalidAt,
  nodeLocation,
  nodeOf,
  nodesOf,
  requiredNode,
  tokenOf,
  unquoteString,
} from './cst-access.js';

export function buildQuery(node: CstNode): Query {
  const optional = (key: string): Expression | undefined => {
    const n = nodeOf(node, key);
    return n === undefined ? undefined : buildExpression(n);
  };
  const windowNode = nodeOf(node, 'windowExpression');
  const limit = tokenOf(node, 'limit');
  const offset = tokenOf(node, 'offset');
  return {
    kind: 'Query',
    select: nodesOf(node, 'selectItem').map(buildSelectItem),
    from: buildRelation(requiredNode(node, 'relation')),
    window: windowNode === undefined ? undefined : buildWindow(windowNode),
    where: optional('where'),
    groupBy: buildGroupingList(nodeOf(node, 'groupBy')),
    partitionBy: buildGroupingList(nodeOf(node, 'partitionBy')),
    having: optional('having'),
    emit: has(node, 'EMIT') ? (has(node, 'FINAL') ? 'FINAL' : 'CHANGES') : undefined,
    orderBy: nodesOf(node, 'sortItem').map(buildSortItem),
    limit: limit === undefined ? undefined : integerTokenValue(limit),
    offset: offset === undefined ? undefined : integerTokenValue(offset),
    location: nodeLocation(node),
  };
}

function buildSortItem(node: CstNode): SortItem {
  return {
    expression: buildExpression(requiredNode(node, 'expression')),
    descending: has(node, 'DESC'),
    nullsFirst: has(node, 'NULLS') ? has(node, 'FIRST') : undefined,
    location: nodeLocation(node),
  };
}

/** Expressions that may precede `->*` (ksqlDB allows a primary expression there). */
const STRUCT_ALL_BASES: ReadonlySet<string> = new Set(['ColumnRef', 'Dereference', 'Subscript', 'FunctionCall', 'Cast', 'StructConstructor']);

function buildSelectItem(node: CstNode): SelectItem {
  const location = nodeLocation(node);
  const source = nodeOf(node, 'source');
  if (source !== undefined) return { kind: 'SelectAll', source: buildIdentifier(source), location };
  const expressionNode = nodeOf(node, 'expression');
  if (expressionNode === undefined) return { kind: 'SelectAll', source: undefined, location };
  const expression = buildExpression(expressionNode);
  if (has(node, 'structAll')) {
    if (!STRUCT_ALL_BASES.has(expression.kind)) throw invalidAt(expression.location, 'Syntax Error\nOnly a struct-valued term can be followed by ->*');
    return { kind: 'SelectStructAll', base: expression, location };
  }
  const alias = nodeOf(node, 'alias');
  return { kind: 'SelectColumn', expression, alias: alias === undefined ? undefined : buildIdentifier(alias), location };
}

function buildAliasedSource(node: CstNode): AliasedSource {
  const alias = nodeOf(node, 'alias');
  return {
    kind: 'AliasedSource',
    name: buildIdentifier(requiredNode(node, 'name')),
    alias: alias === undefined ? undefined : buildIdentifier(alias),
    location: nodeLocation(node),
  };
}

function buildRelation(node: CstNode): Relation {
  const left = buildAliasedSource(requiredNode(node, 'aliasedRelation'));
  const joinNodes = nodesOf(node, 'joinedSource');
  if (joinNodes.length === 0) return left;
  return { kind: 'Join', left, joins: joinNodes.map(buildJoinedSource), location: nodeLocation(node) };
}

function buildJoinType(node: CstNode | undefined): JoinType {
  if (node === undefined || has(node, 'INNER')) return 'INNER';
  if (has(node, 'LEFT')) return 'LEFT';
  if (has(node, 'RIGHT')) return 'RIGHT';
  return 'FULL';
}

function buildJoinedSource(node: CstNode): JoinedSource {
  const windowNode = nodeOf(node, 'joinWindow');
  return {
    kind: 'JoinedSource',
    joinType: buildJoinType(nodeOf(node, 'joinType')),
    source: buildAliasedSource(requiredNode(node, 'aliasedRelation')),
    within: windowNode === undefined ? undefined : buildJoinWindow(windowNode),
    on: buildExpression(requiredNode(node, 'expression')),
    location: nodeLocation(node),
  };
}

function buildJoinWindow(node: CstNode): JoinWindow {
  const grace = buildOptionalDuration(node, 'gracePeriod');
  const location = nodeLocation(node);
  const single = nodeOf(node, 'single');
  if (single !== undefined) {
    const d = buildDuration(single);
    return { kind: 'JoinWindow', before: d, after: d, symmetric: true, grace, location };
  }
  return {
    kind: 'JoinWindow',
    before: buildDuration(requiredNode(node, 'before')),
    after: buildDuration(requiredNode(node, 'after')),
    symmetric: false,
    grace,
    location,
  };
}

function buildWindow(node: CstNode): WindowExpression {
  const tumbling = nodeOf(node, 'tumblingWindow');
  if (tumbling !== undefined) {
    const options = requiredNode(tumbling, 'windowOptions');
    return {
      kind: 'TumblingWindow',
      size: buildDuration(requiredNode(tumbling, 'duration')),
      retention: buildOptionalDuration(options, 'retention'),
      grace: buildOptionalDuration(options, 'gracePeriod'),
      ...buildTimeZone(options),
      location: nodeLocation(tumbling),
    };
  }
  const hopping = nodeOf(node, 'hoppingWindow');
  if (hopping !== undefined) {
    const options = requiredNode(hopping, 'windowOptions');
    return {
      kind: 'HoppingWindow',
      size: buildDuration(requiredNode(hopping, 'size')),
      advance: buildDuration(requiredNode(hopping, 'advance')),
      retention: buildOptionalDuration(options, 'retention'),
      grace: buildOptionalDuration(options, 'gracePeriod'),
      ...buildTimeZone(options),
      location: nodeLocation(hopping),
    };
  }
  const session = requiredNode(node, 'sessionWindow');
  const options = requiredNode(session, 'windowOptions');
  return {
    kind: 'SessionWindow',
    gap: buildDuration(requiredNode(session, 'duration')),
    retention: buildOptionalDuration(options, 'retention'),
    grace: buildOptionalDuration(options, 'gracePeriod'),
    ...buildTimeZone(options),
    location: nodeLocation(session),
  };
}

function buildTimeZone(options: CstNode): { timeZone?: string } {
  const token = tokenOf(options, 'timeZone');
  return token === undefined ? {} : { timeZone: unquoteString(token) };
}

function buildGroupingList(node: CstNode | undefined): readonly Expression[] | undefined {
  if (node === undefined) return undefined;
  return nodesOf(node, 'valueExpression').map((n) => buildValue(n));
}

/** The integer in a LIMIT-like token. */
export function buildCount(node: CstNode, key: string): number | undefined {
  const t = tokenOf(node, key);
  return t === undefined ? undefined : integerTokenValue(t);
}
