/**
 * A schema of any type, checked and ready for compatibility checks. AVRO and
 * JSON text is kept compacted (whitespace does not make a new schema);
 * PROTOBUF text is kept as sent, parsed with the files its references name
 * (protobuf-schema.ts).
 */
import { avroReadProblems } from './avro-compatibility.js';
import { AvroSchemaError, parseAvroSchema, type AvroNames, type AvroType } from './avro-schema.js';
import { JsonSchemaError, jsonReadProblems, parseJsonSchema, type JsonSchema } from './json-schema.js';
import { parseProtoFile, ProtoSchemaError, type ProtoFile, type ProtoImport } from '../formats/protobuf/proto-root.js';
import { protobufReadProblems } from './protobuf-schema.js';
import { RegistryError } from './registry-error.js';
import type { SchemaContent, SchemaReference } from './schema-content.js';

type ParsedBody =
  | { readonly type: 'AVRO'; readonly avro: AvroType }
  | { readonly type: 'JSON'; readonly json: JsonSchema }
  | { readonly type: 'PROTOBUF'; readonly protobuf: ProtoFile };

export interface ParsedSchema {
  /** The content as stored: the text compacted for AVRO and JSON. */
  readonly content: SchemaContent;
  readonly body: ParsedBody;
}

/** Finds a referenced schema's content; throws a RegistryError when there is none. */
type ResolveReference = (reference: SchemaReference) => SchemaContent;

/** Parses `content`, resolving its references; a schema that does not parse is a 42201. */
export function parseSchema(content: SchemaContent, resolve: ResolveReference): ParsedSchema {
  try {
    switch (content.schemaType) {
      case 'AVRO': {
        const names: AvroNames = new Map();
        defineReferencedNames(content.references, resolve, names, new Set());
        const avro = parseAvroSchema(content.schema, names);
        return { content: { ...content, schema: compact(content.schema) }, body: { type: 'AVRO', avro } };
      }
      case 'JSON': {
        for (const reference of content.references) resolve(reference);
        const json = parseJsonSchema(content.schema);
        return { content: { ...content, schema: compact(content.schema) }, body: { type: 'JSON', json } };
      }
      case 'PROTOBUF': {
        if (content.schema.trim() === '') throw new RegistryError('INVALID_SCHEMA', 'Invalid schema: the PROTOBUF schema is empty');
        const imports = referencedFiles(content.references, resolve, new Set());
        return { content, body: { type: 'PROTOBUF', protobuf: parseProtoFile(content.schema, imports) } };
      }
    }
  } catch (error) {
    if (error instanceof AvroSchemaError || error instanceof JsonSchemaError || error instanceof ProtoSchemaError) {
      throw new RegistryError('INVALID_SCHEMA', `Invalid schema ${content.schemaType}: ${error.message}`);
    }
    throw error;
  }
}

/** Parses referenced Avro schemas (theirs first) so their named types are known; each once. */
function defineReferencedNames(references: readonly SchemaReference[], resolve: ResolveReference, names: AvroNames, done: Set<string>): void {
  for (const reference of references) {
    const key = `${reference.subject}\u0000${reference.version}`;
    if (done.has(key)) continue;
    done.add(key);
    const referenced = resolve(reference);
    if (referenced.schemaType !== 'AVRO') throw new RegistryError('INVALID_SCHEMA', `Invalid schema: the reference ${reference.name} is a ${referenced.schemaType} schema`);
    defineReferencedNames(referenced.references, resolve, names, done);
    parseAvroSchema(referenced.schema, names);
  }
}

/** The Protobuf files `references` name, theirs included, each once, by import name. */
function referencedFiles(references: readonly SchemaReference[], resolve: ResolveReference, done: Set<string>): ProtoImport[] {
  const out: ProtoImport[] = [];
  for (const reference of references) {
    if (done.has(reference.name)) continue;
    done.add(reference.name);
    const referenced = resolve(reference);
    if (referenced.schemaType !== 'PROTOBUF') throw new RegistryError('INVALID_SCHEMA', `Invalid schema: the reference ${reference.name} is a ${referenced.schemaType} schema`);
    out.push({ name: reference.name, schema: referenced.schema }, ...referencedFiles(referenced.references, resolve, done));
  }
  return out;
}

function compact(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

/** Why a reader with schema `reader` cannot read data written with `writer` (empty when it can). */
export function readProblems(reader: ParsedSchema, writer: ParsedSchema): string[] {
  const r = reader.body;
  const w = writer.body;
  if (r.type !== w.type) return [`TYPE_MISMATCH: a ${r.type} schema cannot read ${w.type} data`];
  if (r.type === 'AVRO' && w.type === 'AVRO') return avroReadProblems(r.avro, w.avro);
  if (r.type === 'JSON' && w.type === 'JSON') return jsonReadProblems(r.json, w.json);
  if (r.type === 'PROTOBUF' && w.type === 'PROTOBUF') return protobufReadProblems(r.protobuf, w.protobuf);
  return [];
}
