/**
 * The PROTOBUF and PROTOBUF_NOSR formats. PROTOBUF writes Confluent's wire
 * format (proto-wire.ts: magic byte, schema id, message indexes) with the
 * schema ksqlDB generates from the columns (proto-schema-gen.ts), registered
 * under `<topic>-key` / `<topic>-value`, or with the registered schema
 * KEY_SCHEMA_ID / VALUE_SCHEMA_ID name (the message named by
 * KEY_/VALUE_SCHEMA_FULL_NAME, else its first), the row matched to its fields
 * by name. It reads each record with its writer schema, fetched by id and
 * cached, and the message its indexes point at, then matches fields to
 * columns by name (proto-values.ts). PROTOBUF_NOSR is the same message
 * without framing or registry: written and read with the generated schema.
 * Both always wrap: a key, even of one column, is a message, and
 * WRAP_SINGLE_VALUE=false is refused.
 */
import type protobuf from 'protobufjs';
import { KsqlError } from '../../common/errors.js';
import type { Column } from '../../schema/logical-schema.js';
import { formatSqlType, structType } from '../../schema/sql-type.js';
import { typeContains } from '../columns-text.js';
import { compileFieldsReader } from '../json/json-reader.js';
import { subjectOf, type SchemaRegistryClient } from '../schema-registry-client.js';
import { DeserializationError, SerializationError } from '../serde-errors.js';
import {
  FULL_SCHEMA_NAME_PROPERTY, SCHEMA_ID_PROPERTY, type FormatDefinition, type FormatProperties, type Serde, type SerdeFeature, type SerdeSpec,
} from '../serde.js';
import { chooseMessage, messageAt, messageIndexes, parseProtoFile, type ProtoFile } from './proto-root.js';
import { PROTOBUF_RECORD_PRINTER } from './proto-print.js';
import { protoSchemaOfColumns, type NullableRepresentation } from './proto-schema-gen.js';
import { protoSchemaColumns } from './proto-to-sql.js';
import { messageToNode, toProtoObject } from './proto-values.js';
import { frameMessage, unframeMessage } from './proto-wire.js';

/** The property holding KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION (OPTIONAL or WRAPPER). */
export const NULLABLE_REPRESENTATION_PROPERTY = 'nullableRepresentation';

const FEATURES = new Set<SerdeFeature>(['WRAP_SINGLES']);

export const PROTOBUF_FORMAT: FormatDefinition = {
  name: 'PROTOBUF',
  supportedFeatures: FEATURES,
  supportedProperties: new Set([FULL_SCHEMA_NAME_PROPERTY, SCHEMA_ID_PROPERTY, NULLABLE_REPRESENTATION_PROPERTY]),
  inheritableProperties: new Set([FULL_SCHEMA_NAME_PROPERTY]),
  supportsSchemaInference: true,
  registrySchemaType: 'PROTOBUF',
  schemaColumns: protoSchemaColumns,
  registrySchema: (spec) => generatedSchema(spec.columns, spec.properties),
  checkColumns: (columns) => columnsProblem('PROTOBUF', columns),
  checkProperties: checkProtobufProperties,
  createSerde: (spec) => createProtobufSerde(spec, true),
  recordPrinter: PROTOBUF_RECORD_PRINTER,
};

export const PROTOBUF_NOSR_FORMAT: FormatDefinition = {
  name: 'PROTOBUF_NOSR',
  supportedFeatures: FEATURES,
  supportedProperties: new Set([NULLABLE_REPRESENTATION_PROPERTY]),
  checkColumns: (columns) => columnsProblem('PROTOBUF_NOSR', columns),
  checkProperties: checkProtobufProperties,
  createSerde: (spec) => createProtobufSerde(spec, false),
};

function columnsProblem(format: string, columns: readonly Column[]): string | undefined {
  if (columns.some((c) => typeContains(c.type, (t) => t.kind === 'MAP' && t.key.kind !== 'STRING'))) {
    return `${format} format only supports MAP types with STRING keys. See https://github.com/confluentinc/ksql/issues/6177.`;
  }
  const nested = (t: { kind: string }) => t.kind === 'ARRAY' || t.kind === 'MAP';
  if (columns.some((c) => typeContains(c.type, (t) => (t.kind === 'ARRAY' && nested(t.element)) || (t.kind === 'MAP' && nested(t.value))))) {
    return `${format} cannot hold an ARRAY or MAP directly inside an ARRAY or MAP`;
  }
  return undefined;
}

function checkProtobufProperties(properties: FormatProperties): void {
  const nullable = properties[NULLABLE_REPRESENTATION_PROPERTY];
  if (nullable !== undefined && nullableOf(properties) === 'DEFAULT') {
    throw new KsqlError('BAD_STATEMENT', `Invalid value for PROTOBUF_NULLABLE_REPRESENTATION: ${nullable}. Valid values are [OPTIONAL, WRAPPER]`);
  }
  const name = properties[FULL_SCHEMA_NAME_PROPERTY];
  if (name !== undefined && name.trim() === '') {
    throw new KsqlError('BAD_STATEMENT', `fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${name.trim()}}`);
  }
}

function nullableOf(properties: FormatProperties): NullableRepresentation {
  const value = properties[NULLABLE_REPRESENTATION_PROPERTY]?.toUpperCase();
  return value === 'OPTIONAL' || value === 'WRAPPER' ? value : 'DEFAULT';
}

function generatedSchema(columns: readonly Column[], properties: FormatProperties): string {
  return protoSchemaOfColumns(columns, properties[FULL_SCHEMA_NAME_PROPERTY], nullableOf(properties));
}

interface Writer {
  readonly type: protobuf.Type;
  readonly frame: (payload: Uint8Array) => Buffer;
}

function createProtobufSerde(spec: SerdeSpec, framed: boolean): Serde {
  const { columns, target, topic, registry } = spec;
  const format = framed ? 'PROTOBUF' : 'PROTOBUF_NOSR';
  const schemaText = generatedSchema(columns, spec.properties);
  const generated = parseProtoFile(schemaText);
  const rowType = structType(columns.map((c) => ({ name: c.name, type: c.type })));
  // Read through Kafka Connect in ksqlDB: maps are default-sized HashMaps.
  const fromNode = compileFieldsReader(rowType.kind === 'STRUCT' ? rowType.fields : [], formatSqlType(rowType), 'default');
  // Generated field names replace the dots of qualified column names.
  const fieldNames = columns.map((c) => c.name.replace(/\./g, '_'));
  const files = new Map<number, ProtoFile>();
  const need = (): SchemaRegistryClient => {
    if (registry === undefined) throw new Error('the PROTOBUF format needs a schema registry, and none is configured');
    return registry;
  };
  const fileOf = (id: number): ProtoFile => {
    let file = files.get(id);
    if (file === undefined) {
      const found = need().schemaById(id);
      if (found === undefined) throw new Error(`Error retrieving Protobuf schema for id ${id}`, { cause: new Error(`Schema ${id} not found; error code: 40403`) });
      if (found.schemaType !== 'PROTOBUF') throw new Error(`Schema id ${id} is a ${found.schemaType} schema, not PROTOBUF`);
      file = parseProtoFile(found.schema, found.references ?? []);
      files.set(id, file);
    }
    return file;
  };
  const givenId = spec.properties[SCHEMA_ID_PROPERTY];
  let writer: Writer | undefined;
  const writerFor = (): Writer => {
    if (!framed) return { type: generated.messages[0]!, frame: (payload) => Buffer.from(payload) };
    if (givenId === undefined) {
      const id = need().register(subjectOf(topic ?? '', target), 'PROTOBUF', schemaText);
      return { type: generated.messages[0]!, frame: (payload) => frameMessage(id, [0], payload) };
    }
    const id = Number(givenId);
    const file = fileOf(id);
    const type = chooseMessage(file, spec.properties[FULL_SCHEMA_NAME_PROPERTY]);
    const indexes = messageIndexes(file, type);
    return { type, frame: (payload) => frameMessage(id, indexes, payload) };
  };
  const readerOf = (bytes: Buffer): { type: protobuf.Type; payload: Uint8Array } => {
    if (!framed) return { type: generated.messages[0]!, payload: bytes };
    const { schemaId, indexes, payload } = unframeMessage(bytes);
    return { type: messageAt(fileOf(schemaId), indexes), payload };
  };

  return {
    serialize(values) {
      if (values === null) return null;
      try {
        writer ??= writerFor();
        const row: Record<string, unknown> = {};
        for (let i = 0; i < fieldNames.length; i++) row[fieldNames[i]!] = values[i] ?? null;
        return writer.frame(writer.type.encode(toProtoObject(writer.type, row)).finish());
      } catch (error) {
        throw new SerializationError(format, target, error instanceof Error ? error.message : String(error), topic, error);
      }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try {
        const { type, payload } = readerOf(bytes);
        return fromNode(messageToNode(type, type.decode(payload)));
      } catch (error) {
        throw new DeserializationError(format, target, error instanceof Error ? error.message : String(error), topic, error);
      }
    },
  };
}
