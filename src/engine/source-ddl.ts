/**
 * CREATE STREAM / CREATE TABLE: from the statement to a checked DataSource,
 * with ksqlDB's rules and messages for columns, formats, timestamps and
 * windowed keys; ALTER STREAM / ALTER TABLE: new value columns.
 */
import type { TopicConfig } from '../broker/broker.js';
import { statementError } from '../common/errors.js';
import type { AlterSource, CreateStream, CreateTable } from '../parser/ast/statement.js';
import { resolveType } from '../analyzer/bind-expression.js';
import { isPseudoColumnName } from '../analyzer/bind-expression.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier, sqlTypesEqual, type SqlType } from '../schema/sql-type.js';
import type { KsqlConfig } from './config.js';
import type { DataSource, TimestampColumn, WindowInfo } from '../catalog/data-source.js';
import type { Metastore } from '../catalog/metastore.js';
import { SCHEMA_ID_PROPERTY, type SchemaRegistryClient } from '../formats/index.js';
import { inferColumns, type InferredSide, type InferredSides } from './schema-inference.js';
import { chooseSourceFormats, resolveFormats, type FormatChoice } from './source-formats.js';
import { declaredTopicConfig } from './source-topic-config.js';
import { WithProperties } from './with-properties.js';

export { checkedFormat, formattedValueColumns } from './source-formats.js';

const HEADERS_TYPE: SqlType = {
  kind: 'ARRAY',
  element: { kind: 'STRUCT', fields: [{ name: 'KEY', type: { kind: 'STRING' } }, { name: 'VALUE', type: { kind: 'BYTES' } }] },
};

/** What a CREATE statement asks of the topic. */
export interface TopicRequest {
  readonly name: string;
  /** Partitions to create the topic with when it does not exist. */
  readonly partitions: number | undefined;
  /** Configs to create the topic with when it does not exist. */
  readonly config: Partial<TopicConfig>;
}

export interface DeclaredSource {
  readonly source: DataSource;
  readonly topic: TopicRequest;
  /** Which sides took their columns from the Schema Registry. */
  readonly inferred: { readonly key: boolean; readonly value: boolean };
}

/**
 * Checks in ksqlDB's order: the WITH clause on its own (see WithProperties),
 * the formats and their properties, the columns, then the formats against
 * the columns, the window and the timestamp column.
 */
export function declareSource(
  stmt: CreateStream | CreateTable, metastore: Metastore, config: KsqlConfig, registry?: SchemaRegistryClient,
): DeclaredSource {
  const kind = stmt.kind === 'CreateStream' ? 'STREAM' : 'TABLE';
  const props = new WithProperties(stmt.properties, 'CREATE');
  const topicName = props.getString('KAFKA_TOPIC')!;
  const formats = chooseSourceFormats(props, config);
  const hasKey = stmt.elements.some((e) => e.constraint === 'KEY' || e.constraint === 'PRIMARY KEY');
  const hasValue = stmt.elements.some((e) => e.constraint !== 'KEY' && e.constraint !== 'PRIMARY KEY' && e.constraint !== 'HEADERS' && e.constraint !== 'HEADER');
  // A schema id names the columns of its side: declaring them as well is refused, as ksqlDB's schema injector refuses it.
  if (hasKey && props.getInteger('KEY_SCHEMA_ID') !== undefined) throw statementError('Table elements and KEY_SCHEMA_ID cannot both exist for create statement.');
  if (hasValue && props.getInteger('VALUE_SCHEMA_ID') !== undefined) throw statementError('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');
  const inferred = inferColumns({ hasKey, hasValue }, formats, props, topicName, registry);
  const schema = buildSchema(stmt, kind, metastore, inferred, props.getInteger('VALUE_SCHEMA_ID') !== undefined);
  const written = { key: withSchemaId(formats.key, inferred.key), value: withSchemaId(formats.value, inferred.value) };
  const { keyFormat, valueFormat } = resolveFormats(written, schema, props, config, inferred.value?.unwrapped === true ? false : undefined);
  return {
    source: {
      kind,
      name: stmt.name,
      schema,
      topic: topicName,
      keyFormat,
      valueFormat,
      window: resolveWindow(props, schema),
      timestampColumn: resolveTimestampColumn(props, schema),
      isSource: stmt.isSource,
      statementText: stmt.text,
      writerQueryId: undefined,
    },
    topic: { name: topicName, partitions: props.getInteger('PARTITIONS'), config: declaredTopicConfig(kind, props.getInteger('RETENTION_MS')) },
    inferred: { key: inferred.key !== undefined, value: inferred.value !== undefined },
  };
}

/**
 * The check ksqlDB makes when it parses CREATE STREAM/TABLE, before any
 * other: every duplicated column name, in order of first appearance.
 */
export function checkDuplicateColumns(stmt: CreateStream | CreateTable): void {
  const counts = new Map<string, number>();
  for (const e of stmt.elements) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([name]) => quoteIdentifier(name));
  if (duplicates.length > 0) throw statementError(`Duplicate column names: ${duplicates.join(', ')}`);
}

/**
 * ALTER STREAM|TABLE ... ADD COLUMN: the source with the new value columns
 * appended. Only sources declared by CREATE STREAM/TABLE can be altered.
 */
export function alterSource(stmt: AlterSource, metastore: Metastore): DataSource {
  const source = metastore.getSource(stmt.name);
  if (source === undefined) throw statementError(`Source ${stmt.name} does not exist.`);
  if (source.kind !== stmt.sourceKind) {
    throw statementError(`Incompatible data source type is ${source.kind}, but statement was ALTER ${stmt.sourceKind}`);
  }
  const kind = source.kind === 'STREAM' ? 'stream' : 'table';
  if (source.isSource) {
    throw statementError(`Cannot alter ${kind} '${source.name}': ALTER operations are not supported on source ${kind}s.`);
  }
  if (source.writerQueryId !== undefined) throw statementError('ALTER command is not supported for CREATE ... AS statements.');
  const names = new Set([...source.schema.key, ...source.schema.value].map((c) => c.name));
  const added: Column[] = [];
  for (const c of stmt.columns) {
    if (names.has(c.name)) {
      throw statementError(`Cannot add column ${quoteIdentifier(c.name)} to schema. A column with the same name already exists.`);
    }
    names.add(c.name);
    added.push({ name: c.name, type: resolveType(c.type, (n) => metastore.getType(n)), namespace: 'VALUE' });
  }
  const schema: LogicalSchema = { key: source.schema.key, value: [...source.schema.value, ...added] };
  return { ...source, schema, statementText: stmt.text };
}

/** A side whose columns came from a registered schema writes with that schema. */
function withSchemaId(choice: FormatChoice, inferred: InferredSide | undefined): FormatChoice {
  if (inferred === undefined || choice.properties[SCHEMA_ID_PROPERTY] !== undefined) return choice;
  return { ...choice, properties: { ...choice.properties, [SCHEMA_ID_PROPERTY]: String(inferred.schemaId) } };
}

function buildSchema(
  stmt: CreateStream | CreateTable, kind: 'STREAM' | 'TABLE', metastore: Metastore, inferred: InferredSides, valueSchemaId: boolean,
): LogicalSchema {
  const key: Column[] = (inferred.key?.columns ?? []).map((c) => ({ name: c.name, type: c.type, namespace: 'KEY' }));
  const value: Column[] = (inferred.value?.columns ?? []).map((c) => ({ name: c.name, type: c.type, namespace: 'VALUE' }));
  for (const e of stmt.elements) {
    if (isPseudoColumnName(e.name)) {
      throw statementError(`'${e.name}' is a reserved column name. You cannot use it as a name for a column.`);
    }
    const type = resolveType(e.type, (n) => metastore.getType(n));
    const where = `Line: ${e.location.line}, Col: ${e.location.column}`;
    switch (e.constraint) {
      case 'KEY':
        if (kind === 'TABLE') throw statementError(`${where}: Column ${quoteIdentifier(e.name)} is a 'KEY' column: please use 'PRIMARY KEY' for tables.`);
        key.push({ name: e.name, type, namespace: 'KEY' });
        break;
      case 'PRIMARY KEY':
        if (kind === 'STREAM') throw statementError(`${where}: Column ${quoteIdentifier(e.name)} is a 'PRIMARY KEY' column: please use 'KEY' for streams.`);
        key.push({ name: e.name, type, namespace: 'KEY' });
        break;
      case 'HEADERS':
        if (!sqlTypesEqual(type, HEADERS_TYPE)) {
          throw statementError(`Invalid type for HEADERS column: expected ${formatSqlType(HEADERS_TYPE)}, got ${formatSqlType(type)}`);
        }
        value.push({ name: e.name, type, namespace: 'HEADERS' });
        break;
      case 'HEADER':
        if (type.kind !== 'BYTES') {
          throw statementError(`Invalid type for HEADER('${e.headerKey ?? ''}') column: expected BYTES, got ${formatSqlType(type)}`);
        }
        value.push({ name: e.name, type, namespace: 'HEADERS', headerKey: e.headerKey ?? '' });
        break;
      default:
        value.push({ name: e.name, type, namespace: 'VALUE' });
    }
  }
  if (key.length === 0 && value.length === 0) throw statementError('No columns supplied.');
  if (kind === 'TABLE' && key.length === 0) {
    // With VALUE_SCHEMA_ID the value columns come from the registry: a partial schema can still declare the key.
    const partialSchema = valueSchemaId
      ? '\nUse a partial schema to define the primary key and still load the value columns from the Schema Registry, for example:'
        + `\n\tCREATE TABLE ${stmt.name} (ID INT PRIMARY KEY) WITH (...);`
      : '';
    throw statementError(`Tables require a PRIMARY KEY. Please define the PRIMARY KEY.${partialSchema}`);
  }
  return { key, value };
}

function resolveWindow(props: WithProperties, schema: LogicalSchema): WindowInfo | undefined {
  const type = props.getWindowType();
  if (type === undefined) return undefined;
  if (schema.key.length === 0) throw statementError('Windowed sources require a key column.');
  return { type, sizeMs: props.getWindowSizeMs() };
}

/** The column name the TIMESTAMP property of a WITH clause names, if set. */
export function timestampColumnName(props: WithProperties): string | undefined {
  const text = props.getString('TIMESTAMP');
  if (text === undefined) return undefined;
  return text.startsWith('`') && text.endsWith('`') ? text.slice(1, -1) : text.toUpperCase();
}

/** The TIMESTAMP column of a WITH clause, checked against the schema: it must exist and hold a time. */
export function resolveTimestampColumn(props: WithProperties, schema: LogicalSchema): TimestampColumn | undefined {
  const name = timestampColumnName(props);
  if (name === undefined) return undefined;
  const column = [...schema.key, ...schema.value].find((c) => c.name === name);
  if (!column) throw statementError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`);
  const format = props.getString('TIMESTAMP_FORMAT');
  // ksqlDB's order of checks (TimestampExtractionPolicyFactory): a STRING needs a format, only a STRING takes one.
  if (column.type.kind === 'STRING') {
    if (format === undefined) throw statementError('A String timestamp field has been specified without also specifying the timestamp_format');
    return { column: name, format };
  }
  if (format !== undefined) {
    // ksqlDB's own wording, "in of type", which clients and tests match.
    throw statementError("'TIMESTAMP_FORMAT' set in the WITH clause can only be used when the timestamp column in of type STRING.");
  }
  if (column.type.kind !== 'BIGINT' && column.type.kind !== 'TIMESTAMP') {
    throw statementError(`Timestamp column, ${quoteIdentifier(name)}, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`);
  }
  return { column: name, format };
}
