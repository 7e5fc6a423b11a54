/**
 * The contract between the runtime and a serialization format.
 *
 * A serde turns the key or the value columns of a source (in schema order) to
 * and from record bytes. It is built once per query and schema: every per-schema
 * decision (field order, per-type converters, name lookups) is made at
 * construction, so `serialize` and `deserialize` only do per-record work.
 *
 * Row representation: an array with one entry per column, each in the runtime
 * representation of src/schema/sql-type.ts. `null` bytes and a `null` row stand
 * for each other (tombstones, null keys): `deserialize(null)` is `null` and
 * `serialize(null)` is `null` for every format.
 */
import type { Column } from '../schema/logical-schema.js';
import type { SqlType } from '../schema/sql-type.js';
import type { RecordPrinter } from './record-printer.js';
import type { ReferencedSchema, SchemaRegistryClient } from './schema-registry-client.js';

/** Which part of the record the serde handles. */
export type SerdeTarget = 'key' | 'value';

/**
 * ksqlDB's serde features. WRAP_SINGLES: a single column is written as a
 * named field of an outer record/object. UNWRAP_SINGLES: a single column is
 * written bare (anonymous). With neither, each format applies its own default
 * (JSON values are wrapped, JSON keys are bare, KAFKA and DELIMITED are always bare).
 */
export type SerdeFeature = 'WRAP_SINGLES' | 'UNWRAP_SINGLES';

/** Format options, keyed by ksqlDB's internal property names (e.g. `delimiter`). */
export type FormatProperties = Readonly<Record<string, string>>;

/** The property holding the DELIMITED separator (from KEY_DELIMITER / VALUE_DELIMITER). */
export const DELIMITER_PROPERTY = 'delimiter';

/** The property holding a schema's full name (from KEY_SCHEMA_FULL_NAME / VALUE_SCHEMA_FULL_NAME). */
export const FULL_SCHEMA_NAME_PROPERTY = 'fullSchemaName';

/** The property holding a registered schema's id (from KEY_SCHEMA_ID / VALUE_SCHEMA_ID). */
export const SCHEMA_ID_PROPERTY = 'schemaId';

export interface Serde {
  /** Column values in column order -> record bytes. `null` row -> `null` bytes. */
  serialize(values: readonly unknown[] | null): Buffer | null;
  /** Record bytes -> column values, in a new array the caller may keep and change. Throws DeserializationError on bad bytes. */
  deserialize(bytes: Buffer | null): unknown[] | null;
}

/** Columns read from a registered schema; `unwrapped`: one anonymous column, read bare. */
export interface InferredColumns {
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  readonly unwrapped: boolean;
}

export interface SchemaColumnsOptions {
  /** WRAP_SINGLE_VALUE of the statement: false reads a value record as one anonymous column. */
  readonly wrapSingleValue?: boolean;
  /** Keep the schema's field names as written (for messages about the registered schema) instead of ksqlDB's column names. */
  readonly keepNames?: boolean;
  /** The message to read when a schema declares several (KEY_/VALUE_SCHEMA_FULL_NAME); formats without named messages ignore it. */
  readonly fullSchemaName?: string;
  /** The files the schema imports, resolved from its references. */
  readonly references?: readonly ReferencedSchema[];
}

/** What a format needs to build a serde. */
export interface SerdeSpec {
  readonly target: SerdeTarget;
  readonly columns: readonly Column[];
  readonly properties: FormatProperties;
  readonly features: readonly SerdeFeature[];
  /** The topic, when known: used only in error messages, as ksqlDB words them. */
  readonly topic?: string;
  /** The Schema Registry of schema-based formats (AVRO); others ignore it. */
  readonly registry?: SchemaRegistryClient;
}

/**
 * One serialization format. AVRO, PROTOBUF, JSON_SR and others slot in by
 * implementing this and calling `registerFormat`.
 */
export interface FormatDefinition {
  /** The format's name in upper case, as users write it in WITH clauses. */
  readonly name: string;
  /** The wrapping features the format can honour. */
  readonly supportedFeatures: ReadonlySet<SerdeFeature>;
  /** The format properties (internal names) the format accepts. */
  readonly supportedProperties: ReadonlySet<string>;
  /**
   * The properties a sink of the same format inherits from its source (e.g.
   * a DELIMITED sink keeps its source's delimiter); all supported ones when absent.
   */
  readonly inheritableProperties?: ReadonlySet<string>;
  /** Whether columns can come from a schema registry (KEY_SCHEMA_ID / VALUE_SCHEMA_ID); false when absent. */
  readonly supportsSchemaInference?: boolean;
  /** The registry's schema type of this format's schemas (AVRO, PROTOBUF, JSON), for formats with inference. */
  readonly registrySchemaType?: string;
  /** The schema text this format registers for columns (what its serde writes with). */
  registrySchema?(spec: Omit<SerdeSpec, 'topic' | 'registry'>): string;
  /** The columns a registered schema of this format describes (schema inference). */
  schemaColumns?(schema: string, target: SerdeTarget, options?: SchemaColumnsOptions): InferredColumns;
  /**
   * Why these columns cannot be stored in this format (ksqlDB's reason text),
   * or undefined when they can.
   */
  checkColumns(columns: readonly Column[], target: SerdeTarget): string | undefined;
  /** Throws a KsqlError('BAD_STATEMENT') when a property value is invalid. */
  checkProperties?(properties: FormatProperties, target: SerdeTarget): void;
  createSerde(spec: SerdeSpec): Serde;
  /** How PRINT recognizes and shows this format's records through the registry (record-printer.ts). */
  readonly recordPrinter?: RecordPrinter;
}
