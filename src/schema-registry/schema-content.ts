/** What a client registers: the schema text, its type and the schemas it references. */

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

/** Two registrations are the same schema when this matches: the id is shared across subjects. */
export function contentIdentity(content: SchemaContent): string {
  return JSON.stringify([content.schemaType, content.schema, content.references.map((r) => [r.name, r.subject, r.version])]);
}
