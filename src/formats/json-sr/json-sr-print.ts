/**
 * PRINT's view of JSON_SR records (record-printer.ts): bytes in Confluent's
 * framing whose schema id the registry knows as a JSON schema, followed by
 * JSON text, shown as that text, as ksqlDB shows what the JSON Schema
 * deserializer returns.
 */
import { framedSchemaId, HEADER_SIZE } from '../avro/confluent-wire.js';
import { schemasById, type PrintDecode, type RecordPrinter } from '../record-printer.js';
import type { SchemaRegistryClient } from '../schema-registry-client.js';

export const JSON_SR_RECORD_PRINTER: RecordPrinter = {
  printOrder: 3,
  create: jsonSrPrintDecode,
};

function jsonSrPrintDecode(registry: SchemaRegistryClient): PrintDecode {
  const known = schemasById(registry, 'JSON', () => true);
  return (bytes) => {
    const schemaId = framedSchemaId(bytes);
    if (schemaId === undefined || bytes.length === HEADER_SIZE || known(schemaId) === null) return undefined;
    const text = bytes.subarray(HEADER_SIZE).toString('utf8').trim();
    try {
      JSON.parse(text);
    } catch {
      return undefined;
    }
    return text;
  };
}
