/**
 * PRINT's view of Protobuf records (record-printer.ts): bytes in Confluent's
 * Protobuf framing whose schema id the registry knows as a PROTOBUF schema,
 * decoded as the message their indexes name, and shown as ksqlDB shows them:
 * protobuf-java's TextFormat short debug string (`NAME: "x" N: 1 INNER { A: 2 }`):
 * fields set on the wire in field-number order, strings and bytes quoted
 * with C escapes (non-ASCII bytes in octal), enums by name, map entries as
 * `key`/`value` messages sorted by key, numbers as Java prints them.
 */
import protobuf from 'protobufjs';
import { formatJavaDouble, formatJavaFloat } from '../../schema/java-text.js';
import { schemasById, type PrintDecode, type RecordPrinter } from '../record-printer.js';
import type { SchemaRegistryClient } from '../schema-registry-client.js';
import { messageAt, parseProtoFile } from './proto-root.js';
import { unframeMessage } from './proto-wire.js';

export const PROTOBUF_RECORD_PRINTER: RecordPrinter = {
  printOrder: 1,
  create: protobufPrintDecode,
};

function protobufPrintDecode(registry: SchemaRegistryClient): PrintDecode {
  const fileOf = schemasById(registry, 'PROTOBUF', (found) => parseProtoFile(found.schema, found.references ?? []));
  return (bytes) => {
    if (bytes.length < 6 || bytes[0] !== 0) return undefined;
    try {
      const { schemaId, indexes, payload } = unframeMessage(bytes);
      const file = fileOf(schemaId);
      if (file === null) return undefined;
      const type = messageAt(file, indexes);
      return messageText(type, type.decode(payload), file.syntax === 'proto3');
    } catch {
      return undefined;
    }
  };
}

/**
 * The fields of `message` set on the wire, as TextFormat's short form writes
 * them. In proto3 a scalar outside a oneof and not `optional` has no
 * presence: at its default value it is not set, whatever the bytes held.
 */
function messageText(type: protobuf.Type, message: protobuf.Message | Record<string, unknown>, proto3: boolean): string {
  const parts: string[] = [];
  const fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  for (const field of fields) {
    field.resolve();
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const value = (message as Record<string, unknown>)[field.name];
    if (value === null || value === undefined) continue;
    if (field instanceof protobuf.MapField) {
      const { keyType } = field;
      const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareKeys(a, b, keyType));
      for (const [key, entry] of entries) {
        const keyText = namedText('key', keyValue(key, keyType), null, keyType, proto3);
        parts.push(`${field.name} { ${keyText} ${namedText('value', entry, field.resolvedType, field.type, proto3)} }`);
      }
    } else if (field.repeated) {
      for (const item of value as unknown[]) parts.push(namedText(field.name, item, field.resolvedType, field.type, proto3));
    } else if (!(proto3 && hasNoPresence(field) && isDefault(value))) {
      parts.push(namedText(field.name, value, field.resolvedType, field.type, proto3));
    }
  }
  return parts.join(' ');
}

/** `name: value`, or `name { fields }` for a message. */
function namedText(name: string, value: unknown, resolved: protobuf.Type | protobuf.Enum | null, scalarType: string, proto3: boolean): string {
  if (resolved instanceof protobuf.Type) {
    const inner = messageText(resolved, value as protobuf.Message, proto3);
    return inner === '' ? `${name} { }` : `${name} { ${inner} }`;
  }
  if (resolved instanceof protobuf.Enum) return `${name}: ${resolved.valuesById[value as number] ?? String(value)}`;
  return `${name}: ${scalarText(scalarType, value)}`;
}

function hasNoPresence(field: protobuf.Field): boolean {
  return !(field.resolvedType instanceof protobuf.Type) && field.partOf === null && field.options?.['proto3_optional'] !== true;
}

function isDefault(value: unknown): boolean {
  if (typeof value === 'object' && value !== null && 'isZero' in value) return (value as { isZero(): boolean }).isZero();
  if (value instanceof Uint8Array) return value.length === 0;
  return value === 0 || value === '' || value === false;
}

function scalarText(type: string, value: unknown): string {
  switch (type) {
    case 'string':
      return quoted(Buffer.from(value as string, 'utf8'));
    case 'bytes':
      return quoted(Buffer.from(value as Uint8Array));
    case 'float':
      return formatJavaFloat(value as number);
    case 'double':
      return formatJavaDouble(value as number);
    default:
      // Integers (64-bit ones arrive as Long or number) and booleans.
      return String(value);
  }
}

/** Map keys arrive as object keys (text): back to the key type's value. */
function keyValue(key: string, keyType: string): unknown {
  return keyType === 'bool' ? key === 'true' : key;
}

function compareKeys(a: string, b: string, keyType: string): number {
  if (keyType === 'string' || keyType === 'bool') return a < b ? -1 : a > b ? 1 : 0;
  const diff = BigInt(a) - BigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** TextFormat's escapeBytes: C escapes, printable ASCII as is, every other byte in octal. */
function quoted(bytes: Buffer): string {
  let out = '"';
  for (const b of bytes) {
    switch (b) {
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x0b: out += '\\v'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x27: out += "\\'"; break;
      case 0x22: out += '\\"'; break;
      default:
        out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
    }
  }
  return `${out}"`;
}
