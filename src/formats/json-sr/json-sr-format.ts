/**
 * The JSON_SR format: JSON text behind Confluent's prefix (magic byte 0 and
 * the schema id), schemas in a Schema Registry as JSON Schemas. Writing uses
 * the JSON format's writer and the schema ksqlDB generates from the columns
 * (json-schema-gen.ts), registered under `<topic>-key` / `<topic>-value` (the
 * engine registers it when the statement runs; the serde looks its id up on
 * the first record written). With KEY_SCHEMA_ID / VALUE_SCHEMA_ID, records
 * carry that id and are shaped by that schema (registered-schema-writer.ts).
 *
 * Reading is ksqlDB's KsqlJsonDeserializer for JSON_SR: the five prefix bytes
 * are skipped (the schema id is not looked up: the columns decide how the
 * JSON is read, with the JSON format's coercions and name matching), and
 * bytes without the magic byte are refused with ksqlDB's message, since plain
 * JSON is the JSON format's. A single key column is bare unless WRAP_SINGLES;
 * a single value column is wrapped unless UNWRAP_SINGLES.
 */
import { JSON_SR_RECORD_PRINTER } from './json-sr-print.js';
import { KsqlError } from '../../common/errors.js';
import { frame } from '../avro/confluent-wire.js';
import { createJsonSerde, isUnwrapped, JSON_FORMAT } from '../json/json-format.js';
import { subjectOf, type SchemaRegistryClient } from '../schema-registry-client.js';
import { DeserializationError, SerializationError } from '../serde-errors.js';
import {
  FULL_SCHEMA_NAME_PROPERTY, SCHEMA_ID_PROPERTY, type FormatDefinition, type Serde, type SerdeFeature, type SerdeSpec,
} from '../serde.js';
import { jsonSchemaOfColumns } from './json-schema-gen.js';
import { jsonSchemaColumns } from './json-schema-to-sql.js';
import { compileRegisteredWriter } from './registered-schema-writer.js';

const FORMAT = 'JSON_SR';
/** The registry's name for JSON Schemas. */
const SCHEMA_TYPE = 'JSON';
const MAGIC_BYTE = 0;
const PREFIX_SIZE = 5;
const NOT_PREFIXED =
  'Got unexpected JSON serialization format that did not start with the magic byte. If this stream was not ' +
  'serialized using the JsonSchemaConverter, then make sure the stream is declared with JSON format (not JSON_SR).';

export const JSON_SR_FORMAT: FormatDefinition = {
  name: FORMAT,
  supportedFeatures: new Set<SerdeFeature>(['WRAP_SINGLES', 'UNWRAP_SINGLES']),
  // ksqlDB accepts a full schema name for JSON_SR; JSON Schemas it generates carry none.
  supportedProperties: new Set([FULL_SCHEMA_NAME_PROPERTY, SCHEMA_ID_PROPERTY]),
  inheritableProperties: new Set<string>(),
  supportsSchemaInference: true,
  registrySchemaType: SCHEMA_TYPE,
  schemaColumns: jsonSchemaColumns,
  registrySchema: (spec) => generatedSchemaText(spec),
  checkColumns: (columns, target) => JSON_FORMAT.checkColumns(columns, target),
  checkProperties(properties) {
    const name = properties[FULL_SCHEMA_NAME_PROPERTY];
    if (name !== undefined && name.trim() === '') {
      throw new KsqlError('BAD_STATEMENT', `fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${name.trim()}}`);
    }
  },
  createSerde: (spec) => createJsonSrSerde(spec),
  recordPrinter: JSON_SR_RECORD_PRINTER,
};

function generatedSchemaText(spec: Omit<SerdeSpec, 'topic' | 'registry'>): string {
  return JSON.stringify(jsonSchemaOfColumns(spec.columns, isUnwrapped(spec.target, spec.columns, spec.features)));
}

interface Writer {
  readonly id: number;
  readonly text: (values: readonly unknown[]) => string | null;
}

function createJsonSrSerde(spec: SerdeSpec): Serde {
  const { columns, target, topic, registry } = spec;
  const json = createJsonSerde({ target, columns, properties: {}, features: spec.features }, FORMAT);
  const jsonText = (values: readonly unknown[]): string | null => json.serialize(values)?.toString('utf8') ?? null;
  const givenId = spec.properties[SCHEMA_ID_PROPERTY];
  const need = (): SchemaRegistryClient => {
    if (registry === undefined) throw new Error('the JSON_SR format needs a schema registry, and none is configured');
    return registry;
  };
  const writerFor = (): Writer => {
    if (givenId === undefined) {
      return { id: need().register(subjectOf(topic ?? '', target), SCHEMA_TYPE, generatedSchemaText(spec)), text: jsonText };
    }
    const id = Number(givenId);
    const found = need().schemaById(id);
    if (found === undefined) throw new Error(`Schema not found; error code: 40403 (schema id ${id})`);
    if (found.schemaType !== SCHEMA_TYPE) throw new Error(`Schema id ${id} is a ${found.schemaType} schema, not a JSON schema`);
    const unwrapped = isUnwrapped(target, columns, spec.features);
    return { id, text: unwrapped ? jsonText : compileRegisteredWriter(found.schema, columns, jsonText) };
  };
  let writer: Writer | undefined;

  return {
    serialize(values) {
      if (values === null) return null;
      try {
        writer ??= writerFor();
        const text = writer.text(values);
        return text === null ? null : frame(writer.id, Buffer.from(text, 'utf8'));
      } catch (error) {
        throw new SerializationError(FORMAT, target, error instanceof Error ? error.message : String(error), topic, error);
      }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      if (bytes.length === 0 || bytes[0] !== MAGIC_BYTE) throw new DeserializationError(FORMAT, target, NOT_PREFIXED, topic);
      return json.deserialize(bytes.subarray(PREFIX_SIZE));
    },
  };
}
