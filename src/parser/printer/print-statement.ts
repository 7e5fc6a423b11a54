/** Canonical SQL for statements and queries (no trailing `;`). */
import { assertNever } from '../../common/assert-never.js';
import type { Query, Relation, SelectItem, SortItem, WindowExpression, AliasedSource, JoinedSource } from '../ast/query.js';
import type { Property, Statement, TableElement } from '../ast/statement.js';
import type { Duration } from '../ast/duration.js';
import type { Expression } from '../ast/expression.js';
import { printDuration, printExpression, printIdentifier, printString, printType } from './print-expression.js';

const BARE_PROPERTY = /^[A-Z_][A-Z0-9_]*$/;

function printProperties(properties: readonly Property[]): string {
  if (properties.length === 0) return '';
  const items = properties.map((p) => {
    const name = BARE_PROPERTY.test(p.name) ? printIdentifier(p.name) : printString(p.name);
    return `${name}=${printExpression(p.value)}`;
  });
  return ` WITH (${items.join(', ')})`;
}

function printElement(e: TableElement): string {
  let text = `${printIdentifier(e.name)} ${printType(e.type)}`;
  if (e.constraint === 'HEADER') text += ` HEADER(${printString(e.headerKey ?? '')})`;
  else if (e.constraint !== undefined) text += ` ${e.constraint}`;
  return text;
}

function printElements(elements: readonly TableElement[]): string {
  return elements.length === 0 ? '' : ` (${elements.map(printElement).join(', ')})`;
}

function printSelectItem(item: SelectItem): string {
  switch (item.kind) {
    case 'SelectAll':
      return item.source === undefined ? '*' : `${printIdentifier(item.source)}.*`;
    case 'SelectStructAll':
      return `${printExpression(item.base)}->*`;
    case 'SelectColumn':
      return item.alias === undefined ? printExpression(item.expression) : `${printExpression(item.expression)} AS ${printIdentifier(item.alias)}`;
    default:
      return assertNever(item, 'select item');
  }
}

function printSource(s: AliasedSource): string {
  return s.alias === undefined ? printIdentifier(s.name) : `${printIdentifier(s.name)} AS ${printIdentifier(s.alias)}`;
}

function printGrace(grace: Duration | undefined): string {
  return grace === undefined ? '' : ` GRACE PERIOD ${printDuration(grace)}`;
}

function printJoin(j: JoinedSource): string {
  let text = ` ${j.joinType} JOIN ${printSource(j.source)}`;
  if (j.within !== undefined) {
    const w = j.within;
    text += w.symmetric ? ` WITHIN ${printDuration(w.before)}` : ` WITHIN (${printDuration(w.before)}, ${printDuration(w.after)})`;
    text += printGrace(w.grace);
  }
  return `${text} ON ${printExpression(j.on)}`;
}

function printRelation(r: Relation): string {
  if (r.kind === 'AliasedSource') return printSource(r);
  return printSource(r.left) + r.joins.map(printJoin).join('');
}

function printWindowOptions(w: { retention: Duration | undefined; grace: Duration | undefined; timeZone?: string }): string {
  const zone = w.timeZone === undefined ? '' : `, TIMEZONE=${printString(w.timeZone)}`;
  const retention = w.retention === undefined ? '' : `, RETENTION ${printDuration(w.retention)}`;
  const grace = w.grace === undefined ? '' : `, GRACE PERIOD ${printDuration(w.grace)}`;
  return zone + retention + grace;
}

function printWindow(w: WindowExpression): string {
  switch (w.kind) {
    case 'TumblingWindow':
      return `TUMBLING (SIZE ${printDuration(w.size)}${printWindowOptions(w)})`;
    case 'HoppingWindow':
      return `HOPPING (SIZE ${printDuration(w.size)}, ADVANCE BY ${printDuration(w.advance)}${printWindowOptions(w)})`;
    case 'SessionWindow':
      return `SESSION (${printDuration(w.gap)}${printWindowOptions(w)})`;
    default:
      return assertNever(w, 'window');
  }
}

function printGrouping(items: readonly Expression[]): string {
  return items.length === 0 ? '()' : items.map(printExpression).join(', ');
}

export function printQuery(q: Query): string {
  let text = `SELECT ${q.select.map(printSelectItem).join(', ')} FROM ${printRelation(q.from)}`;
  if (q.window !== undefined) text += ` WINDOW ${printWindow(q.window)}`;
  if (q.where !== undefined) text += ` WHERE ${printExpression(q.where)}`;
  if (q.groupBy !== undefined) text += ` GROUP BY ${printGrouping(q.groupBy)}`;
  if (q.partitionBy !== undefined) text += ` PARTITION BY ${printGrouping(q.partitionBy)}`;
  if (q.having !== undefined) text += ` HAVING ${printExpression(q.having)}`;
  if (q.emit !== undefined) text += ` EMIT ${q.emit}`;
  if (q.orderBy.length > 0) text += ` ORDER BY ${q.orderBy.map(printSortItem).join(', ')}`;
  if (q.limit !== undefined) text += ` LIMIT ${q.limit}`;
  if (q.offset !== undefined) text += ` OFFSET ${q.offset}`;
  return text;
}

function printSortItem(item: SortItem): string {
  const nulls = item.nullsFirst === undefined ? '' : item.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return `${printExpression(item.expression)}${item.descending ? ' DESC' : ''}${nulls}`;
}

function ifNotExists(flag: boolean): string {
  return flag ? 'IF NOT EXISTS ' : '';
}

function ifExists(flag: boolean): string {
  return flag ? 'IF EXISTS ' : '';
}

function printColumns(columns: readonly string[] | undefined): string {
  return columns === undefined ? '' : ` (${columns.map(printIdentifier).join(', ')})`;
}

function printValues(values: readonly Expression[]): string {
  return `(${values.map(printExpression).join(', ')})`;
}

function queryTarget(id: string | undefined): string {
  return id === undefined ? 'ALL' : printIdentifier(id);
}

export function printStatement(s: Statement): string {
  switch (s.kind) {
    case 'CreateStream':
    case 'CreateTable': {
      const what = s.kind === 'CreateStream' ? 'STREAM' : 'TABLE';
      const head = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.isSource ? 'SOURCE ' : ''}${what} ${ifNotExists(s.ifNotExists)}`;
      return `${head}${printIdentifier(s.name)}${printElements(s.elements)}${printProperties(s.properties)}`;
    }
    case 'CreateStreamAsSelect':
    case 'CreateTableAsSelect': {
      const what = s.kind === 'CreateStreamAsSelect' ? 'STREAM' : 'TABLE';
      const head = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${what} ${ifNotExists(s.ifNotExists)}`;
      return `${head}${printIdentifier(s.name)}${printProperties(s.properties)} AS ${printQuery(s.query)}`;
    }
    case 'InsertInto':
      return `INSERT INTO ${printIdentifier(s.target)}${printProperties(s.properties)} ${printQuery(s.query)}`;
    case 'InsertValues':
      return `INSERT INTO ${printIdentifier(s.target)}${printColumns(s.columns)} VALUES ${printValues(s.values)}`;
    case 'DeleteFrom':
      return `DELETE FROM ${printIdentifier(s.target)} WHERE ${printExpression(s.where)}`;
    case 'QueryStatement':
      return printQuery(s.query);
    case 'ListStreams':
      return `SHOW STREAMS${s.extended ? ' EXTENDED' : ''}`;
    case 'ListTables':
      return `SHOW TABLES${s.extended ? ' EXTENDED' : ''}`;
    case 'ListTopics':
      return `SHOW ${s.all ? 'ALL ' : ''}TOPICS${s.extended ? ' EXTENDED' : ''}`;
    case 'ListQueries':
      return `SHOW QUERIES${s.extended ? ' EXTENDED' : ''}`;
    case 'ListFunctions':
      return 'SHOW FUNCTIONS';
    case 'ListTypes':
      return 'SHOW TYPES';
    case 'ListProperties':
      return 'SHOW PROPERTIES';
    case 'ListVariables':
      return 'SHOW VARIABLES';
    case 'ListConnectors':
      return `SHOW ${s.scope === 'ALL' ? '' : s.scope + ' '}CONNECTORS`;
    case 'ListConnectorPlugins':
      return 'SHOW CONNECTOR PLUGINS';
    case 'DescribeSource':
      return `DESCRIBE ${printIdentifier(s.name)}${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeSources':
      return `DESCRIBE ${s.sourceKind}${s.extended ? ' EXTENDED' : ''}`;
    case 'DescribeFunction':
      return `DESCRIBE FUNCTION ${printIdentifier(s.name)}`;
    case 'DescribeConnector':
      return `DESCRIBE CONNECTOR ${printIdentifier(s.name)}`;
    case 'PrintTopic': {
      let text = `PRINT ${s.quoted ? printString(s.topic) : s.topic}`;
      if (s.fromBeginning) text += ' FROM BEGINNING';
      if (s.interval !== undefined) text += ` INTERVAL ${s.interval}`;
      if (s.limit !== undefined) text += ` LIMIT ${s.limit}`;
      return text;
    }
    case 'TerminateQuery':
      return `TERMINATE ${queryTarget(s.queryId)}`;
    case 'PauseQuery':
      return `PAUSE ${queryTarget(s.queryId)}`;
    case 'ResumeQuery':
      return `RESUME ${queryTarget(s.queryId)}`;
    case 'SetProperty':
      return `SET ${printString(s.name)}=${printString(s.value)}`;
    case 'UnsetProperty':
      return `UNSET ${printString(s.name)}`;
    case 'AlterSystemProperty':
      return `ALTER SYSTEM ${printString(s.name)}=${printString(s.value)}`;
    case 'DefineVariable':
      return `DEFINE ${s.name} = ${printString(s.value)}`;
    case 'UndefineVariable':
      return `UNDEFINE ${s.name}`;
    case 'DropStream':
    case 'DropTable': {
      const what = s.kind === 'DropStream' ? 'STREAM' : 'TABLE';
      return `DROP ${what} ${ifExists(s.ifExists)}${printIdentifier(s.name)}${s.deleteTopic ? ' DELETE TOPIC' : ''}`;
    }
    case 'DropType':
      return `DROP TYPE ${ifExists(s.ifExists)}${printIdentifier(s.name)}`;
    case 'DropConnector':
      return `DROP CONNECTOR ${ifExists(s.ifExists)}${printIdentifier(s.name)}`;
    case 'Explain':
      return s.statement === undefined ? `EXPLAIN ${printIdentifier(s.queryId ?? '')}` : `EXPLAIN ${printStatement(s.statement)}`;
    case 'CreateType':
      return `CREATE TYPE ${ifNotExists(s.ifNotExists)}${printIdentifier(s.name)} AS ${printType(s.type)}`;
    case 'AlterSource':
      return `ALTER ${s.sourceKind} ${printIdentifier(s.name)} ${s.columns.map((c) => `ADD COLUMN ${printIdentifier(c.name)} ${printType(c.type)}`).join(', ')}`;
    case 'AssertTopic': {
      const timeout = s.timeout === undefined ? '' : ` TIMEOUT ${printDuration(s.timeout)}`;
      return `ASSERT ${s.exists ? '' : 'NOT EXISTS '}TOPIC ${printString(s.topic)}${printProperties(s.properties)}${timeout}`;
    }
    case 'AssertSchema': {
      let text = `ASSERT ${s.exists ? '' : 'NOT EXISTS '}SCHEMA`;
      if (s.subject !== undefined) text += ` SUBJECT ${printString(s.subject)}`;
      if (s.id !== undefined) text += ` ID ${s.id}`;
      if (s.timeout !== undefined) text += ` TIMEOUT ${printDuration(s.timeout)}`;
      return text;
    }
    case 'CreateConnector':
      return `CREATE ${s.connectorKind} CONNECTOR ${ifNotExists(s.ifNotExists)}${printIdentifier(s.name)}${printProperties(s.properties)}`;
    case 'AssertValues':
      return `ASSERT VALUES ${printIdentifier(s.source)}${printColumns(s.columns)} VALUES ${printValues(s.values)}`;
    case 'AssertTombstone':
      return `ASSERT NULL VALUES ${printIdentifier(s.source)}${printColumns(s.columns)} KEY ${printValues(s.keyValues)}`;
    case 'AssertSource':
      return `ASSERT ${s.sourceKind} ${printIdentifier(s.name)}${printElements(s.elements)}${printProperties(s.properties)}`;
    case 'RunScript':
      return `RUN SCRIPT ${printString(s.path)}`;
    default:
      return assertNever(s, 'statement');
  }
}
