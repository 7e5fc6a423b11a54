/**
 * How PRINT, which knows nothing of a topic's formats, recognizes a record
 * of a schema-based format and shows it, as ksqlDB's RecordFormatter does
 * with the Schema Registry's deserializers. A format that has one sets
 * `recordPrinter` on its FormatDefinition; PRINT tries every registered
 * format that does, beside its own text and KAFKA candidates.
 */
import type { RegisteredSchema, SchemaRegistryClient } from './schema-registry-client.js';

/** Shows bytes as PRINT's text, or undefined when they are not in the format. */
export type PrintDecode = (bytes: Buffer) => string | undefined;

export interface RecordPrinter {
  /**
   * The format's place among PRINT's candidates: its position in ksqlDB's
   * list (RecordFormatter.Format): AVRO 0, PROTOBUF 1, JSON 2, JSON_SR 3,
   * KAFKA_INT 4, KAFKA_BIGINT 5, KAFKA_DOUBLE 6, KAFKA_STRING 7. The first
   * candidate left that decodes a record shows it.
   */
  readonly printOrder: number;
  /** A decoder for one PRINT, over the registry its records' schema ids are looked up in. */
  create(registry: SchemaRegistryClient): PrintDecode;
}

/** PRINT's position of ksqlDB's built-in candidates, beside which formats' printers slot in. */
export const PRINT_ORDER = {
  JSON: 2,
  KAFKA_INT: 4,
  KAFKA_BIGINT: 5,
  KAFKA_DOUBLE: 6,
  KAFKA_STRING: 7,
} as const;

/**
 * What `read` makes of the registry's schema of each id, when it is of
 * `schemaType`; null for an unknown id, another type, a registry that cannot
 * be asked or a schema `read` refuses (those bytes are not this format's to
 * PRINT). The registry is asked once per id.
 */
export function schemasById<T>(registry: SchemaRegistryClient, schemaType: string, read: (found: RegisteredSchema) => T): (id: number) => T | null {
  const known = new Map<number, T | null>();
  return (id) => {
    let value = known.get(id);
    if (value === undefined) {
      try {
        const found = registry.schemaById(id);
        value = found?.schemaType === schemaType ? read(found) : null;
      } catch {
        value = null;
      }
      known.set(id, value);
    }
    return value;
  };
}
