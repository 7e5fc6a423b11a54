/**
 * What a schema-based format needs of a Schema Registry. Synchronous: the
 * serdes call it while serializing or deserializing a record, so the engine
 * gives them a client over the embedded registry's store (in-process, the
 * same store the REST API serves) and formats cache what they fetch by id.
 */

/** One registered schema: its global id and text (`schemaType` as the registry names it: AVRO, PROTOBUF, JSON). */
export interface RegisteredSchema {
  readonly id: number;
  readonly schemaType: string;
  readonly schema: string;
  /** What the schema imports, transitively, by the name it imports them with; absent or empty when nothing. */
  readonly references?: readonly ReferencedSchema[];
  /** The version under the subject asked for (`latest` answers it). */
  readonly version?: number;
}

/** A schema another one references: the name it is imported by (a file name for PROTOBUF) and its text. */
export interface ReferencedSchema {
  readonly name: string;
  readonly schema: string;
}

/** A reference to give `register`: the import name, and the subject and version registered under. */
export interface SchemaReferenceSpec {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export interface SchemaRegistryClient {
  /**
   * Registers `schema` under `subject` (or finds it there) and returns its
   * id; `id` asks for that id; `references` are the schemas it imports.
   * Throws when the registry refuses it.
   */
  register(subject: string, schemaType: string, schema: string, id?: number, references?: readonly SchemaReferenceSpec[]): number;
  /** The schema with that id; undefined when no schema has it. */
  schemaById(id: number): RegisteredSchema | undefined;
  /** The subject's latest live version; undefined when the subject has none. */
  latest(subject: string): RegisteredSchema | undefined;
}

/** Confluent's default subject naming (TopicNameStrategy). */
export function subjectOf(topic: string, target: 'key' | 'value'): string {
  return `${topic}-${target}`;
}
