/** CST -> Statement, with the checks ksqlDB makes while building its AST. */
import type { CstNode, IToken } from 'chevrotain';
import { parseTimeUnit } from '../ast/duration.js';
import type { Literal } from '../ast/expression.js';
import type { SourceLocation } from '../ast/location.js';
import type { ColumnConstraint, Property, Statement, TableElement } from '../ast/statement.js';
import { buildExpression, buildValue } from './build-expression.js';
import { buildCount, buildQuery } from './build-query.js';
import { buildDuration, buildLiteral, buildType } from './build-type.js';
import {
  buildIdentifier,
  firstChildKey,
  has,
  identifierToken,
  integerTokenValue,
  isQuotedIdentifier,
  nodeLocation,
  nodeOf,
  nodesOf,
  requiredNode,
  requiredToken,
  tokenLocation,
  tokenOf,
  unquoteString,
} from './cst-access.js';
import { KsqlError } from '../../common/errors.js';

/** What the statement builder needs besides the CST: the text and where the statement sits in it. */
export interface StatementSource {
  readonly text: string;
  readonly location: SourceLocation;
}

type Fields<S extends Statement> = S extends Statement ? Omit<S, 'text' | 'location'> : never;

export function buildStatement(node: CstNode, source: StatementSource): Statement {
  const fields = buildStatementFields(node, source);
  return { ...fields, text: source.text, location: source.location } as Statement;
}

/** ksqlDB's located error: "Line: L, Col: C: message". */
function locatedError(location: SourceLocation, message: string): KsqlError {
  return new KsqlError('BAD_STATEMENT', `Line: ${location.line}, Col: ${location.column}: ${message}`, {
    position: { line: location.line, column: location.column },
  });
}

function buildStatementFields(node: CstNode, source: StatementSource): Fields<Statement> {
  const key = firstChildKey(node);
  const child = requiredNode(node, key);
  switch (key) {
    case 'query':
      return { kind: 'QueryStatement', query: buildQuery(child) };
    case 'createStatement':
      return buildCreate(child);
    case 'insertStatement':
      return buildInsert(child);
    case 'deleteStatement':
      return { kind: 'DeleteFrom', target: buildIdentifier(requiredNode(child, 'target')), where: buildExpression(requiredNode(child, 'where')) };
    case 'listStatement':
      return buildList(child);
    case 'describeStatement':
      return buildDescribe(child);
    case 'printStatement':
      return buildPrint(child);
    case 'queryControlStatement': {
      const id = nodeOf(child, 'queryId');
      const queryId = id === undefined ? undefined : buildIdentifier(id);
      const kind = has(child, 'TERMINATE') ? 'TerminateQuery' : has(child, 'PAUSE') ? 'PauseQuery' : 'ResumeQuery';
      return { kind, queryId };
    }
    case 'setStatement':
      return { kind: 'SetProperty', name: unquoteString(requiredToken(child, 'name')), value: unquoteString(requiredToken(child, 'value')) };
    case 'unsetStatement':
      return { kind: 'UnsetProperty', name: unquoteString(requiredToken(child, 'name')) };
    case 'alterStatement':
      return buildAlter(child);
    case 'defineStatement':
      return { kind: 'DefineVariable', name: requiredToken(child, 'Identifier').image, value: unquoteString(requiredToken(child, 'StringLiteral')) };
    case 'undefineStatement':
      return { kind: 'UndefineVariable', name: requiredToken(child, 'Identifier').image };
    case 'dropStatement':
      return buildDrop(child);
    case 'explainStatement': {
      const id = nodeOf(child, 'queryId');
      if (id !== undefined) return { kind: 'Explain', statement: undefined, queryId: buildIdentifier(id) };
      const inner = requiredNode(child, 'statement');
      const location = nodeLocation(inner);
      const text = source.text.slice(location.offset - source.location.offset, location.offset - source.location.offset + location.length);
      return { kind: 'Explain', statement: buildStatement(inner, { text, location }), queryId: undefined };
    }
    case 'assertStatement':
      return buildAssert(child);
    case 'runScriptStatement':
      return { kind: 'RunScript', path: unquoteString(requiredToken(child, 'StringLiteral')) };
    default:
      throw new KsqlError('SERVER_ERROR', `parser: unknown statement rule ${key}`);
  }
}

export function buildProperties(node: CstNode | undefined): Property[] {
  if (node === undefined) return [];
  return nodesOf(node, 'tableProperty').map((p) => {
    const id = nodeOf(p, 'identifier');
    const quoted = tokenOf(p, 'StringLiteral');
    const name = id !== undefined ? buildIdentifier(id) : quoted !== undefined ? unquoteString(quoted) : 'RETENTION';
    const value: Literal = buildLiteral(requiredNode(p, 'literal'));
    return { kind: 'Property', name: name.toUpperCase(), value, location: nodeLocation(p) };
  });
}

function buildTableElements(node: CstNode | undefined): TableElement[] {
  if (node === undefined) return [];
  return nodesOf(node, 'tableElement').map((e) => {
    let constraint: ColumnConstraint | undefined;
    let headerKey: string | undefined;
    if (has(e, 'PRIMARY')) constraint = 'PRIMARY KEY';
    else if (has(e, 'KEY')) constraint = 'KEY';
    else if (has(e, 'HEADERS')) constraint = 'HEADERS';
    else if (has(e, 'HEADER')) {
      constraint = 'HEADER';
      headerKey = unquoteString(requiredToken(e, 'StringLiteral'));
    }
    return {
      kind: 'TableElement',
      name: buildIdentifier(requiredNode(e, 'identifier')),
      type: buildType(requiredNode(e, 'type')),
      constraint,
      headerKey,
      location: nodeLocation(e),
    };
  });
}

function ifNotExists(node: CstNode): boolean {
  return nodesOf(node, 'ifNotExists').some((n) => has(n, 'IF'));
}

function buildCreate(node: CstNode): Fields<Statement> {
  const orReplace = has(node, 'REPLACE');
  const name = buildIdentifier(requiredNode(node, 'name'));
  const properties = buildProperties(nodeOf(node, 'tableProperties'));
  if (has(node, 'TYPE')) {
    if (orReplace) throw syntaxAt(requiredToken(node, 'TYPE'), "mismatched input 'TYPE'");
    return { kind: 'CreateType', ifNotExists: ifNotExists(node), name, type: buildType(requiredNode(node, 'type')) };
  }
  if (has(node, 'CONNECTOR')) {
    if (orReplace) throw syntaxAt(requiredToken(node, 'CONNECTOR'), "mismatched input 'CONNECTOR'");
    return { kind: 'CreateConnector', connectorKind: has(node, 'SINK') ? 'SINK' : 'SOURCE', ifNotExists: ifNotExists(node), name, properties };
  }
  const isTable = has(node, 'TABLE');
  const queryNode = nodeOf(node, 'query');
  if (queryNode !== undefined) {
    if (has(node, 'SOURCE')) throw syntaxAt(requiredToken(node, 'AS'), "mismatched input 'AS' expecting ';'");
    const elements = nodeOf(node, 'tableElements');
    if (elements !== undefined) throw syntaxAt(requiredToken(node, 'AS'), "mismatched input 'AS' expecting ';'");
    const fields = { orReplace, ifNotExists: ifNotExists(node), name, properties, query: buildQuery(queryNode) };
    return isTable ? { kind: 'CreateTableAsSelect', ...fields } : { kind: 'CreateStreamAsSelect', ...fields };
  }
  const elements = buildTableElements(nodeOf(node, 'tableElements'));
  checkKeyConstraints(elements, isTable);
  checkWindowProperties(properties);
  const fields = { orReplace, isSource: has(node, 'SOURCE'), ifNotExists: ifNotExists(node), name, elements, properties };
  return isTable ? { kind: 'CreateTable', ...fields } : { kind: 'CreateStream', ...fields };
}

function syntaxAt(token: IToken, detail: string): KsqlError {
  const l = tokenLocation(token);
  return new KsqlError('BAD_STATEMENT', `line ${l.line}:${l.column}: Syntax Error\n${detail}`, { position: { line: l.line, column: l.column } });
}

/** Tables use PRIMARY KEY, streams KEY (ksqlDB rejects the other while parsing). */
function checkKeyConstraints(elements: readonly TableElement[], isTable: boolean): void {
  for (const e of elements) {
    if (isTable && e.constraint === 'KEY') {
      throw locatedError(e.location, `Column \`${e.name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.`);
    }
    if (!isTable && e.constraint === 'PRIMARY KEY') {
      throw locatedError(e.location, `Column \`${e.name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.`);
    }
  }
}

function propertyString(properties: readonly Property[], name: string): { value: string; property: Property } | undefined {
  const property = properties.find((p) => p.name === name);
  if (property === undefined || property.value.kind !== 'StringLiteral') return undefined;
  return { value: property.value.value, property };
}

/** WINDOW_SIZE must be `<n> <unit>` and must not be set for SESSION windows. */
function checkWindowProperties(properties: readonly Property[]): void {
  const type = propertyString(properties, 'WINDOW_TYPE');
  const size = propertyString(properties, 'WINDOW_SIZE');
  if (type === undefined || size === undefined) return;
  if (type.value.toUpperCase() === 'SESSION') {
    throw new KsqlError('BAD_STATEMENT', "'WINDOW_SIZE' should not be set for SESSION windows.", {
      position: { line: size.property.location.line, column: size.property.location.column },
    });
  }
  const parts = size.value.trim().split(/\s+/);
  let problem: string | undefined;
  if (parts.length !== 2 || !/^\d+$/.test(parts[0]!)) problem = 'Expected format: <number> <unit>';
  else if (parseTimeUnit(parts[1]!) === undefined) problem = `Unknown time unit: '${parts[1]!.toUpperCase()}'`;
  if (problem !== undefined) {
    throw new KsqlError('BAD_STATEMENT', `Configuration WINDOW_SIZE is invalid: Invalid duration: '${size.value}'. ${problem}`, {
      position: { line: size.property.location.line, column: size.property.location.column },
    });
  }
}

function buildInsert(node: CstNode): Fields<Statement> {
  const targetNode = requiredNode(node, 'target');
  const target = buildIdentifier(targetNode);
  const queryNode = nodeOf(node, 'query');
  if (queryNode !== undefined) {
    return {
      kind: 'InsertInto',
      target,
      targetLocation: nodeLocation(targetNode),
      properties: buildProperties(nodeOf(node, 'tableProperties')),
      query: buildQuery(queryNode),
    };
  }
  const columnList = nodeOf(node, 'columnList');
  const columns = columnList === undefined ? undefined : nodesOf(columnList, 'identifier').map(buildIdentifier);
  const values = nodesOf(requiredNode(node, 'valuesList'), 'valueExpression').map((v) => buildValue(v));
  // ksqlDB refuses a column list of another length when it builds the statement, before it looks at the target.
  if (columns !== undefined && columns.length !== values.length) {
    throw new KsqlError('BAD_STATEMENT', `Expected number columns and values to match: ${columns.length}, ${values.length}`);
  }
  return { kind: 'InsertValues', target, columns, values };
}

function buildList(node: CstNode): Fields<Statement> {
  const extended = has(node, 'EXTENDED');
  if (has(node, 'PROPERTIES')) return { kind: 'ListProperties' };
  if (has(node, 'TOPICS')) return { kind: 'ListTopics', all: has(node, 'ALL'), extended };
  if (has(node, 'STREAMS')) return { kind: 'ListStreams', extended };
  if (has(node, 'TABLES')) return { kind: 'ListTables', extended };
  if (has(node, 'QUERIES')) return { kind: 'ListQueries', extended };
  if (has(node, 'FUNCTIONS')) return { kind: 'ListFunctions' };
  if (has(node, 'TYPES')) return { kind: 'ListTypes' };
  if (has(node, 'VARIABLES')) return { kind: 'ListVariables' };
  if (has(node, 'PLUGINS')) return { kind: 'ListConnectorPlugins' };
  return { kind: 'ListConnectors', scope: has(node, 'SOURCE') ? 'SOURCE' : has(node, 'SINK') ? 'SINK' : 'ALL' };
}

function buildDescribe(node: CstNode): Fields<Statement> {
  const extended = has(node, 'EXTENDED');
  if (has(node, 'STREAMS')) return { kind: 'DescribeSources', sourceKind: 'STREAMS', extended };
  if (has(node, 'TABLES')) return { kind: 'DescribeSources', sourceKind: 'TABLES', extended };
  const fn = nodeOf(node, 'functionName');
  if (fn !== undefined) return { kind: 'DescribeFunction', name: buildIdentifier(fn) };
  const connector = nodeOf(node, 'connectorName');
  if (connector !== undefined) return { kind: 'DescribeConnector', name: buildIdentifier(connector) };
  return { kind: 'DescribeSource', name: buildIdentifier(requiredNode(node, 'sourceName')), extended };
}

/** A resourceName node: a 'string' or an identifier; returns the name and whether its case is exact. */
function buildResourceName(node: CstNode): { name: string; exact: boolean } {
  const s = tokenOf(node, 'StringLiteral');
  if (s !== undefined) return { name: unquoteString(s), exact: true };
  const id = requiredNode(node, 'identifier');
  return { name: buildIdentifier(id), exact: isQuotedIdentifier(id) };
}

function buildPrint(node: CstNode): Fields<Statement> {
  const resource = requiredNode(node, 'resourceName');
  const topic = buildResourceName(resource);
  // ksqlDB takes a bare topic name as written, not upper-cased: topic names are case-sensitive.
  const name = topic.exact ? topic.name : identifierToken(requiredNode(resource, 'identifier')).image;
  return {
    kind: 'PrintTopic',
    topic: name,
    quoted: topic.exact,
    fromBeginning: has(node, 'BEGINNING'),
    interval: buildCount(node, 'interval'),
    limit: buildCount(node, 'limit'),
  };
}

function buildAlter(node: CstNode): Fields<Statement> {
  if (has(node, 'SYSTEM')) {
    return { kind: 'AlterSystemProperty', name: unquoteString(requiredToken(node, 'name')), value: unquoteString(requiredToken(node, 'value')) };
  }
  return {
    kind: 'AlterSource',
    sourceKind: has(node, 'TABLE') ? 'TABLE' : 'STREAM',
    name: buildIdentifier(requiredNode(node, 'sourceName')),
    columns: nodesOf(node, 'alterOption').map((o) => ({
      kind: 'AlterColumn',
      name: buildIdentifier(requiredNode(o, 'identifier')),
      type: buildType(requiredNode(o, 'type')),
      location: nodeLocation(o),
    })),
  };
}

function buildDrop(node: CstNode): Fields<Statement> {
  const name = buildIdentifier(requiredNode(node, 'name'));
  const ifExists = nodesOf(node, 'ifExists').some((n) => has(n, 'IF'));
  if (has(node, 'TYPE')) return { kind: 'DropType', ifExists, name };
  if (has(node, 'CONNECTOR')) return { kind: 'DropConnector', ifExists, name };
  const deleteTopic = has(node, 'DELETE');
  return has(node, 'TABLE') ? { kind: 'DropTable', ifExists, name, deleteTopic } : { kind: 'DropStream', ifExists, name, deleteTopic };
}

function buildTimeout(node: CstNode) {
  const t = nodeOf(node, 'timeout');
  return t === undefined ? undefined : buildDuration(requiredNode(t, 'duration'));
}

function buildAssert(node: CstNode): Fields<Statement> {
  const exists = !has(node, 'EXISTS');
  if (has(node, 'TOPIC')) {
    return {
      kind: 'AssertTopic',
      exists,
      topic: buildResourceName(requiredNode(node, 'topic')).name,
      properties: buildProperties(nodeOf(node, 'tableProperties')),
      timeout: buildTimeout(node),
    };
  }
  if (has(node, 'SCHEMA')) {
    const subject = nodeOf(node, 'subject');
    const id = tokenOf(node, 'schemaId');
    // ksqlDB's wording, its typo included.
    if (subject === undefined && id === undefined) throw new KsqlError('BAD_STATEMENT', 'ASSERT SCHEMA statements much include a subject name or an id');
    return {
      kind: 'AssertSchema',
      exists,
      subject: subject === undefined ? undefined : buildResourceName(subject).name,
      id: id === undefined ? undefined : integerTokenValue(id),
      timeout: buildTimeout(node),
    };
  }
  const sourceName = buildIdentifier(requiredNode(node, 'sourceName'));
  const columnsNode = nodeOf(node, 'columnList');
  const columns = columnsNode === undefined ? undefined : nodesOf(columnsNode, 'identifier').map(buildIdentifier);
  const values = () => nodesOf(requiredNode(node, 'valuesList'), 'valueExpression').map((v) => buildValue(v));
  if (has(node, 'NULL')) return { kind: 'AssertTombstone', source: sourceName, columns, keyValues: values() };
  if (has(node, 'VALUES')) return { kind: 'AssertValues', source: sourceName, columns, values: values() };
  return {
    kind: 'AssertSource',
    sourceKind: has(node, 'TABLE') ? 'TABLE' : 'STREAM',
    name: sourceName,
    elements: buildTableElements(nodeOf(node, 'tableElements')),
    properties: buildProperties(nodeOf(node, 'tableProperties')),
  };
}
