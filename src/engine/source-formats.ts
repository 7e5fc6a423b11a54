/**
 * The key and value formats of a declared source (CREATE STREAM/TABLE) or of
 * the sink of a CREATE ... AS SELECT, with ksqlDB's rules:
 * - CREATE: FORMAT sets both; otherwise KEY_FORMAT (default:
 *   `ksql.persistence.default.format.key`) and VALUE_FORMAT (default:
 *   `ksql.persistence.default.format.value`, else an error);
 * - C*AS: a format named in the WITH clause, else the source's, inheriting
 *   the source's properties when the format stays the same; an inherited NONE
 *   key format becomes the default key format when the result has key
 *   columns, and PARTITION BY NULL makes it NONE;
 * - the format must exist and accept the properties before columns are
 *   looked at; then it must carry the columns, and WRAP_SINGLE_VALUE decides
 *   the value's serde features.
 */
import { statementError } from '../common/errors.js';
import {
  DELIMITER_PROPERTY, FULL_SCHEMA_NAME_PROPERTY, lookupFormat, NULLABLE_REPRESENTATION_PROPERTY, resolveSerdeFeatures, SCHEMA_ID_PROPERTY,
  validateFormat, validateFormatProperties, type FormatProperties, type SerdeTarget,
} from '../formats/index.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import type { KsqlConfig } from './config.js';
import type { DataSource, FormatInfo } from '../catalog/data-source.js';
import type { WithProperties } from './with-properties.js';

/** A format picked for one side, checked for its properties but not yet for columns. */
export interface FormatChoice {
  readonly name: string;
  readonly properties: FormatProperties;
}

export interface FormatChoices {
  readonly key: FormatChoice;
  readonly value: FormatChoice;
}

export interface ResolvedFormats {
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
}

/** CREATE STREAM/TABLE: the formats of the WITH clause or the configured defaults. */
export function chooseSourceFormats(props: WithProperties, config: KsqlConfig): FormatChoices {
  const both = props.getString('FORMAT');
  const valueName = props.getString('VALUE_FORMAT') ?? both ?? config.getString('ksql.persistence.default.format.value') ?? undefined;
  if (valueName === undefined) {
    throw statementError(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. " +
        "Either provide one or set a default via the 'ksql.persistence.default.format.value' config.",
    );
  }
  const keyName = props.getString('KEY_FORMAT') ?? both ?? config.getString('ksql.persistence.default.format.key') ?? 'KAFKA';
  checkSchemaInference(props, 'key', keyName);
  checkSchemaInference(props, 'value', valueName);
  return {
    key: checkedChoice(keyName, 'key', formatPropertiesOf(props, 'key')),
    value: checkedChoice(valueName, 'value', formatPropertiesOf(props, 'value')),
  };
}

/** What the sink's key formats depend on in the query. */
export interface SinkKeyShape {
  /** The number of key columns of the result. */
  readonly keyColumnCount: number;
  /** PARTITION BY NULL: the result has no key, and its key format is NONE. */
  readonly partitionByNull: boolean;
}

/**
 * C*AS: each side takes the format named in the WITH clause, else the
 * source's. When that is the source's format (named or not), the sink
 * inherits the source's inheritable format properties, and the clause's
 * properties override them. Key format: NONE after PARTITION BY NULL (naming
 * another is an error); an inherited NONE gives way to the default key format
 * when the result has key columns.
 */
export function chooseSinkFormats(props: WithProperties, from: DataSource, shape: SinkKeyShape, config: KsqlConfig): FormatChoices {
  const both = props.getString('FORMAT');
  const explicitKey = props.getString('KEY_FORMAT') ?? both;
  let keyName: string;
  if (shape.partitionByNull) {
    if (explicitKey !== undefined && explicitKey.toUpperCase() !== 'NONE') {
      throw statementError('Key format specified for stream without key columns.');
    }
    keyName = 'NONE';
  } else if (explicitKey === undefined && from.keyFormat.format === 'NONE' && shape.keyColumnCount > 0) {
    keyName = config.getString('ksql.persistence.default.format.key') ?? 'KAFKA';
  } else {
    keyName = explicitKey ?? from.keyFormat.format;
  }
  const valueName = props.getString('VALUE_FORMAT') ?? both ?? from.valueFormat.format;
  return {
    key: checkedChoice(keyName, 'key', inheritedProperties(keyName, from.keyFormat, formatPropertiesOf(props, 'key'))),
    value: checkedChoice(valueName, 'value', inheritedProperties(valueName, from.valueFormat, formatPropertiesOf(props, 'value'))),
  };
}

/**
 * Checks the chosen formats against the schema's key and (formatted) value
 * columns and resolves their serde features from WRAP_SINGLE_VALUE (else
 * `inferredWrap`: false when an inferred value schema is anonymous) and
 * `ksql.persistence.wrap.single.values`.
 */
export function resolveFormats(
  choices: FormatChoices, schema: LogicalSchema, props: WithProperties, config: KsqlConfig, inferredWrap?: boolean,
): ResolvedFormats {
  const defaultWrap = config.get('ksql.persistence.wrap.single.values');
  return {
    keyFormat: checkedFormat(choices.key.name, 'key', schema.key, choices.key.properties, undefined, undefined),
    valueFormat: checkedFormat(
      choices.value.name, 'value', formattedValueColumns(schema), choices.value.properties,
      props.getBoolean('WRAP_SINGLE_VALUE') ?? inferredWrap, typeof defaultWrap === 'boolean' ? defaultWrap : undefined,
    ),
  };
}

/** The value-side columns a format carries: headers columns live in record headers. */
export function formattedValueColumns(schema: LogicalSchema): Column[] {
  return schema.value.filter((c) => c.namespace !== 'HEADERS');
}

/** Validates a format for the columns and resolves its serde features. */
export function checkedFormat(
  name: string, target: SerdeTarget, columns: readonly Column[], properties: FormatProperties,
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

/** The format properties the WITH clause gives one side, by ksqlDB's internal names. */
function formatPropertiesOf(props: WithProperties, target: SerdeTarget): FormatProperties {
  const out: Record<string, string> = {};
  const delimiter = props.getString(target === 'key' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
  if (delimiter !== undefined) out[DELIMITER_PROPERTY] = delimiter;
  const schemaName = target === 'key'
    ? props.getString('KEY_SCHEMA_FULL_NAME')
    : props.getString('VALUE_AVRO_SCHEMA_FULL_NAME') ?? props.getString('VALUE_SCHEMA_FULL_NAME');
  if (schemaName !== undefined) out[FULL_SCHEMA_NAME_PROPERTY] = schemaName;
  const schemaId = props.getInteger(target === 'key' ? 'KEY_SCHEMA_ID' : 'VALUE_SCHEMA_ID');
  if (schemaId !== undefined) out[SCHEMA_ID_PROPERTY] = String(schemaId);
  const nullable = props.getString(target === 'key' ? 'KEY_PROTOBUF_NULLABLE_REPRESENTATION' : 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION');
  if (nullable !== undefined) out[NULLABLE_REPRESENTATION_PROPERTY] = nullable;
  return out;
}

function checkedChoice(name: string, target: SerdeTarget, properties: FormatProperties): FormatChoice {
  // ksqlDB reads the nullable representation only for a protobuf side, and refuses it on any other by its property name.
  const format = lookupFormat(name).name;
  if (properties[NULLABLE_REPRESENTATION_PROPERTY] !== undefined && format !== 'PROTOBUF' && format !== 'PROTOBUF_NOSR') {
    throw statementError(`Property ${target === 'key' ? 'KEY' : 'VALUE'}_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format`);
  }
  const definition = validateFormatProperties(name, target, properties);
  return { name: definition.name, properties };
}

/** KEY_SCHEMA_ID / VALUE_SCHEMA_ID need a format that reads its columns from a schema registry. */
function checkSchemaInference(props: WithProperties, target: SerdeTarget, formatName: string): void {
  const side = target === 'key' ? 'KEY' : 'VALUE';
  if (props.getInteger(`${side}_SCHEMA_ID`) === undefined) return;
  const format = lookupFormat(formatName);
  if (format.supportsSchemaInference !== true) {
    throw statementError(`${side}_FORMAT should support schema inference when ${side}_SCHEMA_ID is provided. Current format is ${format.name}.`);
  }
}

/** The source format's inheritable properties when the sink keeps its format, then the clause's. */
function inheritedProperties(name: string, source: FormatInfo, given: FormatProperties): FormatProperties {
  if (lookupFormat(name).name !== source.format) return given;
  const format = lookupFormat(source.format);
  const inheritable = format.inheritableProperties ?? format.supportedProperties;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source.properties)) if (inheritable.has(k)) out[k] = v;
  return { ...out, ...given };
}
