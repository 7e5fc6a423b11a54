/** What a client registers: the schema text, its type and the schemas it references. */
import { protobufIdentity } from './protobuf-schema.js';

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** The order GET /schemas/types lists them in, as Confluent does. */
export const SCHEMA_TYPES: readonly SchemaType[] = ['JSON', 'PROTOBUF', 'AVRO'];

export function isSchemaType(value: unknown): value is SchemaType {
  return typeof value === 'string' && (SCHEMA_TYPES as readonly string[]).includes(value);
}

/** A schema this one imports: `name` is how the schema text refers to it (a type name or file name). */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export interface SchemaContent {
  readonly schema: string;
  readonly schemaType: SchemaType;
  readonly references: readonly SchemaReference[];
}

/**
 * Two registrations are the same schema when this matches, and then share an
 * id across subjects. AVRO and JSON text is compared as JSON with its object
 * keys in order (whitespace and attribute order do not matter; arrays, such
 * as Avro's fields, keep theirs), and an Avro primitive written as
 * `{"type":"int"}` is the same as `"int"`. The text must be valid JSON.
 * PROTOBUF text is compared by its parsed descriptor (protobuf-schema.ts).
 */
export function contentIdentity(content: SchemaContent): string {
  const text = content.schemaType === 'PROTOBUF' ? protobufIdentity(content.schema) : JSON.stringify(normalize(JSON.parse(content.schema), content.schemaType === 'AVRO'));
  return JSON.stringify([content.schemaType, text, content.references.map((r) => [r.name, r.subject, r.version])]);
}

function normalize(value: unknown, avro: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(item, avro));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (avro && entries.length === 1 && entries[0]![0] === 'type' && typeof entries[0]![1] === 'string') return entries[0]![1];
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, normalize(v, avro)]));
}
