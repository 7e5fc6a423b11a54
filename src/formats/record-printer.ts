/**
 * How PRINT, which knows nothing of a topic's formats, recognizes a record
 * of a schema-based format and shows it, as ksqlDB's RecordFormatter does
 * with the Schema Registry's deserializers. A format that has one sets
 * `recordPrinter` on its FormatDefinition; PRINT tries every registered
 * format that does, beside its own text and KAFKA candidates.
 */
import type { SchemaRegistryClient } from './schema-registry-client.js';

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
