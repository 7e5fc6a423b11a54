/**
 * PRINT's view of Avro records (record-printer.ts): bytes in Confluent's
 * framing whose schema id the registry knows as an AVRO schema, decoded with
 * that writer schema as Confluent's KafkaAvroDeserializer decodes them
 * (bytes left after the datum are not read), and shown as Java shows the
 * result: a record, array, map or other container as Avro's
 * GenericData.toString writes it (`{"F": 1, "G": "x"}`: quoted, escaped
 * names and strings, ", " between items, logical types as their underlying
 * values, bytes as ISO-8859-1 text, fixed as Java's byte list, NaN and
 * infinities quoted), a top-level string, enum or number bare.
 */
import type avro from 'avsc';
import { formatJavaDouble, formatJavaFloat } from '../../schema/java-text.js';
import { schemasById, type PrintDecode, type RecordPrinter } from '../record-printer.js';
import type { SchemaRegistryClient } from '../schema-registry-client.js';
import { rawAvroType } from './avro-types.js';
import { framedSchemaId, HEADER_SIZE } from './confluent-wire.js';


export const AVRO_RECORD_PRINTER: RecordPrinter = {
  printOrder: 0,
  create: avroPrintDecode,
};

function avroPrintDecode(registry: SchemaRegistryClient): PrintDecode {
  const typeOf = schemasById(registry, 'AVRO', (found) => rawAvroType(found.schema));
  return (bytes) => {
    const schemaId = framedSchemaId(bytes);
    if (schemaId === undefined) return undefined;
    const type = typeOf(schemaId);
    if (type === null) return undefined;
    let decoded: { value: unknown; offset: number };
    try {
      decoded = type.decode(bytes, HEADER_SIZE);
    } catch {
      return undefined;
    }
    if (decoded.offset < 0) return undefined;
    return topLevelText(type, decoded.value);
  };
}

/** What Java's toString of the deserialized object gives: strings, enums and numbers bare, containers as Avro's JSON-like text. */
function topLevelText(type: avro.Type, value: unknown): string {
  const name = type.typeName;
  if (name === 'string' || name === 'enum') return String(value);
  if (name === 'union:wrapped') {
    if (value === null) return 'null';
    const [branch, inner] = Object.entries(value as object)[0]!;
    return topLevelText(branchType(type, branch), inner);
  }
  return datumText(type, value);
}

/** Avro's GenericData.toString of a datum of `type`. */
function datumText(type: avro.Type, value: unknown): string {
  switch (type.typeName) {
    case 'null':
      return 'null';
    case 'boolean':
    case 'int':
    case 'long':
      return String(value);
    case 'float':
      return floatText(value as number, true);
    case 'double':
      return floatText(value as number, false);
    case 'string':
    case 'enum':
      return quoted(String(value));
    case 'bytes':
      return quoted((value as Buffer).toString('latin1'));
    case 'fixed':
      return `[${[...(value as Buffer)].map((b) => (b > 127 ? b - 256 : b)).join(', ')}]`;
    case 'array': {
      const items = (type as avro.types.ArrayType).itemsType;
      return `[${(value as unknown[]).map((v) => datumText(items, v)).join(', ')}]`;
    }
    case 'map': {
      const values = (type as avro.types.MapType).valuesType;
      return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${quoted(k)}: ${datumText(values, v)}`).join(', ')}}`;
    }
    case 'record':
    case 'error': {
      const record = value as Record<string, unknown>;
      return `{${(type as avro.types.RecordType).fields.map((f) => `${quoted(f.name)}: ${datumText(f.type, record[f.name])}`).join(', ')}}`;
    }
    case 'union:wrapped': {
      if (value === null) return 'null';
      const [branch, inner] = Object.entries(value as object)[0]!;
      return datumText(branchType(type, branch), inner);
    }
    default:
      return String(value);
  }
}

function branchType(union: avro.Type, branch: string): avro.Type {
  return (union as avro.types.WrappedUnionType).types.find((t) => t.branchName === branch)!;
}

/** Java's Float.toString / Double.toString; GenericData quotes NaN and the infinities. */
function floatText(n: number, float: boolean): string {
  if (!Number.isFinite(n)) return `"${formatJavaDouble(n)}"`;
  return float ? formatJavaFloat(n) : formatJavaDouble(n);
}

/** A string in quotes, escaped as Avro's writeEscapedString escapes it. */
function quoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0x2000 && c <= 0x20ff)) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
