/**
 * Formats by name (case-insensitive), and `createSerde`, the entry point the
 * runtime uses once per query to get a key or value serde.
 * Built in: JSON, DELIMITED, KAFKA, NONE, AVRO, JSON_SR, PROTOBUF, PROTOBUF_NOSR.
 * Other formats call `registerFormat` with their FormatDefinition.
 */
import { KsqlError } from '../common/errors.js';
import type { Column } from '../schema/logical-schema.js';
import { DELIMITED_FORMAT } from './delimited/delimited-format.js';
import { JSON_FORMAT } from './json/json-format.js';
import { KAFKA_FORMAT } from './kafka/kafka-format.js';
import { createVoidSerde, NONE_FORMAT } from './none/none-format.js';
import { AVRO_FORMAT } from './avro/avro-format.js';
import { JSON_SR_FORMAT } from './json-sr/json-sr-format.js';
import { PROTOBUF_FORMAT, PROTOBUF_NOSR_FORMAT } from './protobuf/protobuf-format.js';
import type { SchemaRegistryClient } from './schema-registry-client.js';
import type { FormatDefinition, FormatProperties, Serde, SerdeFeature, SerdeTarget } from './serde.js';

const formats = new Map<string, FormatDefinition>();

/** Adds (or replaces) a format under its upper-case name. */
export function registerFormat(format: FormatDefinition): void {
  formats.set(format.name.toUpperCase(), format);
}

/** The format called `name` in any case; KsqlError('BAD_STATEMENT', "Unknown format: X") otherwise. */
export function lookupFormat(name: string): FormatDefinition {
  const format = formats.get(name.toUpperCase());
  if (format === undefined) throw new KsqlError('BAD_STATEMENT', `Unknown format: ${name.toUpperCase()}`);
  return format;
}

/** Whether a format of that name (any case) is registered. */
export function isKnownFormat(name: string): boolean {
  return formats.has(name.toUpperCase());
}

/** Names of the registered formats, upper case. */
export function listFormats(): string[] {
  return [...formats.keys()];
}

export interface CreateSerdeOptions {
  /** A format name (any case) or a definition. */
  readonly format: string | FormatDefinition;
  readonly target: SerdeTarget;
  /** The key or the value columns, in schema order. */
  readonly columns: readonly Column[];
  /** Format properties by internal name, e.g. { delimiter: '|' } for DELIMITED. */
  readonly properties?: FormatProperties;
  /** Resolved features (see resolveSerdeFeatures); defaults to none. */
  readonly features?: readonly SerdeFeature[];
  /** The topic: schema-based formats name their registry subjects after it; others use it in error messages only. */
  readonly topic?: string;
  /** The Schema Registry of schema-based formats. */
  readonly registry?: SchemaRegistryClient;
}

/**
 * Builds a serde once; call its serialize/deserialize per record. Assumes the
 * schema passed validateFormat; a column type the format cannot carry throws
 * KsqlError('BAD_STATEMENT'). A key with no columns gets a serde that writes
 * null and ignores what it reads, whatever the format. A key of one NULL
 * column is written as a null key, whatever the format; a key of several
 * columns, all NULL, is written as such (a struct of NULL fields in JSON), as
 * ksqlDB writes it: the runtime marks rows whose key was NULL as a whole.
 */
export function createSerde(options: CreateSerdeOptions): Serde {
  const format = typeof options.format === 'string' ? lookupFormat(options.format) : options.format;
  if (options.target === 'key' && options.columns.length === 0) return createVoidSerde();
  const serde = format.createSerde({
    target: options.target,
    columns: options.columns,
    properties: options.properties ?? {},
    features: options.features ?? [],
    ...(options.topic === undefined ? {} : { topic: options.topic }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
  });
  return options.target === 'key' ? withNullKeys(serde) : serde;
}

function withNullKeys(serde: Serde): Serde {
  return {
    serialize(values) {
      if (values === null || (values.length === 1 && values[0] == null)) return null;
      return serde.serialize(values);
    },
    deserialize: (bytes) => serde.deserialize(bytes),
  };
}


for (const format of [JSON_FORMAT, DELIMITED_FORMAT, KAFKA_FORMAT, NONE_FORMAT, AVRO_FORMAT, JSON_SR_FORMAT, PROTOBUF_FORMAT, PROTOBUF_NOSR_FORMAT]) registerFormat(format);
