/**
 * CREATE STREAM/TABLE without columns for a side whose format supports
 * schema inference: the columns come from the Schema Registry, by
 * KEY_SCHEMA_ID / VALUE_SCHEMA_ID when given, else the latest version of
 * `<topic>-key` / `<topic>-value` (ksqlDB's DefaultSchemaInjector). Field
 * names stay as the schema writes them when it is named by id, and are
 * upper-cased otherwise, as ksqlDB's translation policies do. Values
 * must be found; a key is inferred only when its subject exists, so a
 * source without key columns stays keyless otherwise. The source then writes
 * with the schema its columns came from (its id), not with one generated
 * from the columns: a generated schema need not be compatible with it (a
 * Protobuf message of another name is a removed message).
 */
import { statementError } from '../common/errors.js';
import {
  lookupFormat, ProtoSchemaError, subjectOf, type InferredColumns, type SchemaColumnsOptions, type SchemaRegistryClient, type SerdeTarget,
} from '../formats/index.js';
import type { Column } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier, sqlTypesEqual, type SqlType } from '../schema/sql-type.js';
import type { FormatChoices } from './source-formats.js';
import type { WithProperties } from './with-properties.js';
import { schemaFormatMismatchError, schemaNotFoundError } from './schema-lookup-errors.js';

/** Columns read from a registered schema, and that schema's id. */
export interface InferredSide extends InferredColumns {
  readonly schemaId: number;
}

export interface InferredSides {
  readonly key?: InferredSide;
  readonly value?: InferredSide;
}

export function inferColumns(
  declared: { readonly hasKey: boolean; readonly hasValue: boolean },
  formats: FormatChoices,
  props: WithProperties,
  topic: string,
  registry: SchemaRegistryClient | undefined,
): InferredSides {
  const key = declared.hasKey ? undefined : inferSide('key', formats.key.name, props, topic, registry);
  const value = declared.hasValue ? undefined : inferSide('value', formats.value.name, props, topic, registry);
  return { ...(key === undefined ? {} : { key }), ...(value === undefined ? {} : { value }) };
}

function inferSide(
  target: SerdeTarget, formatName: string, props: WithProperties, topic: string, registry: SchemaRegistryClient | undefined,
): InferredSide | undefined {
  const format = lookupFormat(formatName);
  if (format.supportsSchemaInference !== true || format.schemaColumns === undefined) return undefined;
  const id = props.getInteger(target === 'key' ? 'KEY_SCHEMA_ID' : 'VALUE_SCHEMA_ID');
  const side = target === 'key' ? 'keys' : 'values';
  if (registry === undefined) {
    if (target === 'key' && id === undefined) return undefined;
    throw statementError(`Schema for message ${side} on topic '${topic}' cannot be read: no Schema Registry is configured.`);
  }
  const subject = subjectOf(topic, target);
  const found = id === undefined ? registry.latest(subject) : registry.schemaById(id);
  if (found === undefined) {
    if (target === 'key' && id === undefined) return undefined;
    throw schemaNotFoundError(target, topic, id);
  }
  if (format.registrySchemaType !== undefined && found.schemaType !== format.registrySchemaType) {
    throw schemaFormatMismatchError(target, topic, id, format.registrySchemaType, found.schemaType);
  }
  const wrapSingleValue = target === 'value' ? props.getBoolean('WRAP_SINGLE_VALUE') : undefined;
  const fullSchemaName = target === 'key' ? props.getString('KEY_SCHEMA_FULL_NAME') : props.getString('VALUE_SCHEMA_FULL_NAME');
  const options: SchemaColumnsOptions = {
    ...(wrapSingleValue === undefined ? {} : { wrapSingleValue }),
    ...(fullSchemaName === undefined ? {} : { fullSchemaName }),
    ...(found.references === undefined ? {} : { references: found.references }),
    // With a schema id, field names are kept as the schema writes them (ksqlDB's schema inference with id).
    ...(id === undefined ? {} : { keepNames: true }),
  };
  try {
    return { ...format.schemaColumns(found.schema, target, options), schemaId: found.id };
  } catch (error) {
    if (error instanceof ProtoSchemaError && fullSchemaName !== undefined) {
      throw schemaNotFoundError(target, topic, id);
    }
    throw error;
  }
}

/** ksqlDB's refusal when the registry has no schema for a side (SchemaRegistryTopicSchemaSupplier). */

/**
 * KEY_SCHEMA_ID / VALUE_SCHEMA_ID with columns (declared, or a query's
 * result): each column must be the registered schema's column at the same
 * place, with the same name and type (ksqlDB compares the sets of
 * (name, type, position)); the registered schema may have more columns after.
 */
export function checkSchemaIdColumns(
  target: SerdeTarget, columns: readonly Column[], formatName: string, topic: string, props: WithProperties, registry: SchemaRegistryClient | undefined,
): void {
  const id = props.getInteger(target === 'key' ? 'KEY_SCHEMA_ID' : 'VALUE_SCHEMA_ID');
  const format = lookupFormat(formatName);
  if (id === undefined || columns.length === 0 || registry === undefined || format.schemaColumns === undefined) return;
  const found = registry.schemaById(id);
  if (found === undefined) throw schemaNotFoundError(target, topic, id);
  const fullSchemaName = props.getString(target === 'key' ? 'KEY_SCHEMA_FULL_NAME' : 'VALUE_SCHEMA_FULL_NAME');
  const registered = format.schemaColumns(found.schema, target, {
    keepNames: true,
    ...(fullSchemaName === undefined ? {} : { fullSchemaName }),
    ...(found.references === undefined ? {} : { references: found.references }),
  }).columns;
  const suffix = target === 'key' ? ' KEY' : '';
  const text = (c: { name: string; type: SqlType }) => `${quoteIdentifier(c.name)} ${formatSqlType(c.type)}${suffix}`;
  const changed = columns.filter((c, i) => registered[i]?.name !== c.name || !sqlTypesEqual(registered[i]!.type, c.type));
  if (changed.length === 0) return;
  throw statementError(
    `The following ${target} columns are changed, missing or reordered: [${changed.map(text).join(', ')}]. ` +
      `Schema from schema registry is [${registered.map(text).join(', ')}]`,
  );
}
