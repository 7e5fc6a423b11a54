/**
 * The AVRO format: Confluent's wire format (confluent-wire.ts) over Avro
 * binary, schemas in a Schema Registry. Writing uses the schema ksqlDB
 * generates from the columns (avro-schema-gen.ts), registered under
 * `<topic>-key` / `<topic>-value` (the engine registers it when the
 * statement runs; the serde looks its id up on the first record written). Reading
 * decodes each record with its writer schema, fetched by the record's id
 * and cached, then matches fields to columns by name (avro-values.ts): a
 * writer schema older or newer than the columns reads as far as names
 * match, as ksqlDB's translation does. A single key column is bare unless
 * WRAP_SINGLES; a single value column is wrapped unless UNWRAP_SINGLES.
 * With KEY_SCHEMA_ID / VALUE_SCHEMA_ID, records are written with that
 * registered schema instead, the row matched to it by field names
 * (avro-from-json.ts over the row's JSON rendering).
 */
import type avro from 'avsc';
import { KsqlError } from '../../common/errors.js';
import type { Column } from '../../schema/logical-schema.js';
import { formatSqlType, structType } from '../../schema/sql-type.js';
import { typeContains } from '../columns-text.js';
import { createJsonSerde, isUnwrapped } from '../json/json-format.js';
import { parseJsonText } from '../json/lossless-json.js';
import { jsonToAvro } from './avro-from-json.js';
import { compileFieldsReader, compileJsonReader } from '../json/json-reader.js';
import { subjectOf, type SchemaRegistryClient } from '../schema-registry-client.js';
import { DeserializationError, SerializationError } from '../serde-errors.js';
import {
  FULL_SCHEMA_NAME_PROPERTY, SCHEMA_ID_PROPERTY, type FormatDefinition, type Serde, type SerdeFeature, type SerdeSpec,
} from '../serde.js';
import { avroFieldName, avroNameProblem, avroSchemaOfColumns, DEFAULT_AVRO_SCHEMA_FULL_NAME, type AvroSchemaJson } from './avro-schema-gen.js';
import { avroSchemaColumns } from './avro-to-sql.js';
import { AVRO_RECORD_PRINTER } from './avro-print.js';
import { avroType } from './avro-types.js';
import { avroToNode, compileAvroWriter } from './avro-values.js';
import { frame, unframe } from './confluent-wire.js';

const FORMAT = 'AVRO';

export const AVRO_FORMAT: FormatDefinition = {
  name: FORMAT,
  supportedFeatures: new Set<SerdeFeature>(['WRAP_SINGLES', 'UNWRAP_SINGLES']),
  supportedProperties: new Set([FULL_SCHEMA_NAME_PROPERTY, SCHEMA_ID_PROPERTY]),
  inheritableProperties: new Set<string>(),
  supportsSchemaInference: true,
  registrySchemaType: FORMAT,
  schemaColumns: avroSchemaColumns,
  registrySchema: (spec) => JSON.stringify(generatedSchema(spec)),
  checkColumns(columns) {
    if (columns.some((c) => typeContains(c.type, (t) => t.kind === 'MAP' && t.key.kind !== 'STRING'))) {
      return 'Avro only supports MAPs with STRING keys';
    }
    for (const name of fieldNames(columns)) {
      const problem = avroNameProblem(avroFieldName(name));
      if (problem !== undefined) return `Schema is not compatible with Avro: ${problem}`;
    }
    return undefined;
  },
  checkProperties(properties) {
    const name = properties[FULL_SCHEMA_NAME_PROPERTY];
    if (name !== undefined && name.trim() === '') {
      throw new KsqlError('BAD_STATEMENT', `fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${name.trim()}}`);
    }
  },
  createSerde(spec) {
    return createAvroSerde(spec);
  },
  recordPrinter: AVRO_RECORD_PRINTER,
};

/** Every column and nested struct field name: each becomes an Avro field name. */
function fieldNames(columns: readonly Column[]): string[] {
  const names: string[] = [];
  for (const c of columns) {
    names.push(c.name);
    typeContains(c.type, (t) => {
      if (t.kind === 'STRUCT') for (const f of t.fields) names.push(f.name);
      return false;
    });
  }
  return names;
}

/** The schema ksqlDB generates for the spec's columns, wrapping and full name. */
function generatedSchema(spec: Omit<SerdeSpec, 'topic' | 'registry'>): AvroSchemaJson {
  const fullName = spec.properties[FULL_SCHEMA_NAME_PROPERTY]?.trim() || DEFAULT_AVRO_SCHEMA_FULL_NAME;
  return avroSchemaOfColumns(spec.columns, isUnwrapped(spec.target, spec.columns, spec.features), fullName);
}

function createAvroSerde(spec: SerdeSpec): Serde {
  const { columns, target, topic, registry } = spec;
  const unwrapped = isUnwrapped(target, columns, spec.features);
  const schema = generatedSchema(spec);
  const writerType = avroType(schema);
  const rowType = structType(columns.map((c) => ({ name: c.name, type: c.type })));
  let toAvro: (values: readonly unknown[]) => unknown;
  let fromNode: (node: unknown) => unknown[] | null;
  if (unwrapped) {
    const write = compileAvroWriter(columns[0]!.type);
    // Read through Kafka Connect in ksqlDB: maps are default-sized HashMaps.
    const read = compileJsonReader(columns[0]!.type, 'default');
    toAvro = (values) => write(values[0]);
    fromNode = (node) => [read(node)];
  } else {
    const write = compileAvroWriter(rowType);
    const names = columns.map((c) => c.name);
    toAvro = (values) => write(Object.fromEntries(names.map((n, i) => [n, values[i] ?? null])));
    fromNode = compileFieldsReader(rowType.kind === 'STRUCT' ? rowType.fields : [], formatSqlType(rowType), 'default');
  }
  const readers = new Map<number, avro.Type>();
  const givenId = spec.properties[SCHEMA_ID_PROPERTY];
  let writer: { id: number; encode: (values: readonly unknown[]) => Buffer } | undefined;
  const writerFor = (): { id: number; encode: (values: readonly unknown[]) => Buffer } => {
    if (givenId === undefined) {
      const id = need().register(subjectOf(topic ?? '', target), FORMAT, JSON.stringify(schema));
      return { id, encode: (values) => writerType.toBuffer(toAvro(values)) };
    }
    const id = Number(givenId);
    const type = writerOf(id);
    const toJson = createJsonSerde({ target, columns, properties: {}, features: spec.features });
    return { id, encode: (values) => type.toBuffer(jsonToAvro(type, parseJsonText(toJson.serialize(values)!.toString('utf8')))) };
  };
  const need = (): SchemaRegistryClient => {
    if (registry === undefined) throw new Error('the AVRO format needs a schema registry, and none is configured');
    return registry;
  };

  const writerOf = (id: number): avro.Type => {
    let type = readers.get(id);
    if (type === undefined) {
      const found = need().schemaById(id);
      if (found === undefined) throw new Error(`Error retrieving Avro ${target} schema for id ${id}`, { cause: new Error(`Schema ${id} not found; error code: 40403`) });
      if (found.schemaType !== FORMAT) throw new Error(`Schema id ${id} is a ${found.schemaType} schema, not AVRO`);
      type = avroType(found.schema);
      readers.set(id, type);
    }
    return type;
  };

  return {
    serialize(values) {
      if (values === null || (unwrapped && values[0] == null)) return null;
      try {
        writer ??= writerFor();
        return frame(writer.id, writer.encode(values));
      } catch (error) {
        throw new SerializationError(FORMAT, target, error instanceof Error ? error.message : String(error), topic, error);
      }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try {
        const { schemaId, payload } = unframe(bytes);
        const decoded = writerOf(schemaId).fromBuffer(payload);
        return fromNode(avroToNode(decoded));
      } catch (error) {
        throw new DeserializationError(FORMAT, target, error instanceof Error ? error.message : String(error), topic, error);
      }
    },
  };
}
