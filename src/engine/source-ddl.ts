/**
 * CREATE STREAM / CREATE TABLE: from the statement to a checked DataSource,
 * with ksqlDB's rules and messages for columns, formats, timestamps and
 * windowed keys.
 */
import { statementError } from '../common/errors.js';
import { DELIMITER_PROPERTY, resolveSerdeFeatures, validateFormat, parseDelimiter, type FormatProperties } from '../formats/index.js';
import type { CreateStream, CreateTable } from '../parser/ast/statement.js';
import { resolveType } from '../analyzer/bind-expression.js';
import { isPseudoColumnName } from '../analyzer/bind-expression.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier, sqlTypesEqual, type SqlType } from '../schema/sql-type.js';
import type { KsqlConfig } from './config.js';
import type { DataSource, FormatInfo, TimestampColumn, WindowInfo, WindowType } from './data-source.js';
import type { Metastore } from './metastore.js';
import { WithProperties } from './with-properties.js';
import { parseDurationText } from './duration-text.js';

const HEADERS_TYPE: SqlType = {
  kind: 'ARRAY',
  element: { kind: 'STRUCT', fields: [{ name: 'KEY', type: { kind: 'STRING' } }, { name: 'VALUE', type: { kind: 'BYTES' } }] },
};

/** What a CREATE statement asks of the topic. */
export interface TopicRequest {
  readonly name: string;
  /** Partitions to create the topic with when it does not exist. */
  readonly partitions: number | undefined;
  readonly retentionMs: number | undefined;
}

export interface DeclaredSource {
  readonly source: DataSource;
  readonly topic: TopicRequest;
}

export function declareSource(stmt: CreateStream | CreateTable, metastore: Metastore, config: KsqlConfig): DeclaredSource {
  const kind = stmt.kind === 'CreateStream' ? 'STREAM' : 'TABLE';
  const props = new WithProperties(stmt.properties);
  const schema = buildSchema(stmt, kind, metastore);
  const topicName = props.getString('KAFKA_TOPIC');
  if (topicName === undefined) {
    throw statementError('Missing required property "KAFKA_TOPIC" which has no default value.');
  }
  const { keyFormat, valueFormat } = resolveFormats(props, schema, config);
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
    topic: { name: topicName, partitions: props.getInteger('PARTITIONS'), retentionMs: props.getInteger('RETENTION_MS') },
  };
}

function buildSchema(stmt: CreateStream | CreateTable, kind: 'STREAM' | 'TABLE', metastore: Metastore): LogicalSchema {
  const key: Column[] = [];
  const value: Column[] = [];
  const seen = new Set<string>();
  for (const e of stmt.elements) {
    if (isPseudoColumnName(e.name)) {
      throw statementError(`'${e.name}' is a reserved column name. You cannot use it as a name for a column.`);
    }
    if (seen.has(e.name)) throw statementError(`Duplicate column names: ${e.name}`);
    seen.add(e.name);
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
  if (stmt.elements.length === 0) throw statementError('No columns supplied.');
  if (kind === 'TABLE' && key.length === 0) {
    throw statementError('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
  }
  return { key, value };
}

/** The value-side columns a format carries: headers columns live in record headers. */
export function formattedValueColumns(schema: LogicalSchema): Column[] {
  return schema.value.filter((c) => c.namespace !== 'HEADERS');
}

function resolveFormats(props: WithProperties, schema: LogicalSchema, config: KsqlConfig): { keyFormat: FormatInfo; valueFormat: FormatInfo } {
  const both = props.getString('FORMAT');
  const keyName = props.getString('KEY_FORMAT');
  const valueName = props.getString('VALUE_FORMAT');
  if (both !== undefined && keyName !== undefined) {
    throw statementError("Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.");
  }
  if (both !== undefined && valueName !== undefined) {
    throw statementError("Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.");
  }
  const valueFormatName = valueName ?? both ?? config.getString('ksql.persistence.default.format.value') ?? undefined;
  if (valueFormatName === undefined) {
    throw statementError("Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.");
  }
  const keyFormatName = keyName ?? both ?? config.getString('ksql.persistence.default.format.key') ?? 'KAFKA';
  const keyProps = delimiterProperties(props.getString('KEY_DELIMITER'), 'KEY_DELIMITER');
  const valueProps = delimiterProperties(props.getString('VALUE_DELIMITER'), 'VALUE_DELIMITER');
  const valueColumns = formattedValueColumns(schema);
  const wrap = props.getBoolean('WRAP_SINGLE_VALUE');
  const defaultWrap = config.get('ksql.persistence.wrap.single.values');
  return {
    keyFormat: checkedFormat(keyFormatName, 'key', schema.key, keyProps, undefined, undefined),
    valueFormat: checkedFormat(valueFormatName, 'value', valueColumns, valueProps, wrap, typeof defaultWrap === 'boolean' ? defaultWrap : undefined),
  };
}

/** Validates a format for the columns and resolves its serde features. */
export function checkedFormat(
  name: string, target: 'key' | 'value', columns: readonly Column[], properties: FormatProperties,
  wrapSingleValue: boolean | undefined, defaultWrapSingleValues: boolean | undefined,
): FormatInfo {
  const definition = validateFormat({ format: name, target, columns, properties });
  const features = resolveSerdeFeatures({
    format: definition.name, target, columnCount: columns.length,
    ...(wrapSingleValue === undefined ? {} : { wrapSingleValue }),
    ...(defaultWrapSingleValues === undefined ? {} : { defaultWrapSingleValues }),
  });
  return { format: definition.name, properties, features };
}

function delimiterProperties(text: string | undefined, property: string): FormatProperties {
  if (text === undefined) return {};
  parseDelimiter(text, property);
  return { [DELIMITER_PROPERTY]: text };
}

function resolveWindow(props: WithProperties, schema: LogicalSchema): WindowInfo | undefined {
  const typeText = props.getString('WINDOW_TYPE');
  const sizeText = props.getString('WINDOW_SIZE');
  if (typeText === undefined) {
    if (sizeText !== undefined) throw statementError("'WINDOW_SIZE' requires 'WINDOW_TYPE' to be set.");
    return undefined;
  }
  const type = typeText.toUpperCase() as WindowType;
  if (!['TUMBLING', 'HOPPING', 'SESSION'].includes(type)) {
    throw statementError(`Invalid value ${typeText} for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING`);
  }
  if (schema.key.length === 0) throw statementError('Windowed sources require a key column.');
  if (type === 'SESSION') {
    if (sizeText !== undefined) throw statementError("'WINDOW_SIZE' should not be set for SESSION windows.");
    return { type, sizeMs: undefined };
  }
  if (sizeText === undefined) throw statementError(`${type} windows require 'WINDOW_SIZE' to be provided in the WITH clause. For example: 'WINDOW_SIZE'='10 SECONDS'`);
  return { type, sizeMs: parseDurationText(sizeText, 'WINDOW_SIZE') };
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
  const ok = column.type.kind === 'BIGINT' || column.type.kind === 'TIMESTAMP' || (column.type.kind === 'STRING' && format !== undefined);
  if (!ok) {
    throw statementError(`Timestamp column, ${quoteIdentifier(name)}, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`);
  }
  return { column: name, format };
}
