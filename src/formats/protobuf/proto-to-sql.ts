/**
 * Schema inference: the SQL columns a Protobuf message describes, as ksqlDB
 * reads them through Connect's ProtobufData: the message's fields become the
 * columns of the key or the value (PROTOBUF always wraps), field names
 * upper-cased at every level unless kept. int32, sint32 and sfixed32 are
 * INT; the other integers (uint32 too, which INT cannot hold) BIGINT; float
 * and double DOUBLE; enums STRING; repeated fields ARRAY; maps MAP; the
 * google.protobuf wrappers their primitive; google.protobuf.Timestamp,
 * google.type.Date, google.type.TimeOfDay and confluent.type.Decimal
 * TIMESTAMP, DATE, TIME and DECIMAL (precision and scale from the field's
 * `confluent.field_meta` params); any other message a STRUCT.
 */
import protobuf from 'protobufjs';
import { decimalType, type SqlType } from '../../schema/sql-type.js';
import type { InferredColumns, SchemaColumnsOptions, SerdeTarget } from '../serde.js';
import { chooseMessage, parseProtoFile } from './proto-root.js';

export function protoSchemaColumns(schemaText: string, _target: SerdeTarget, options: SchemaColumnsOptions = {}): InferredColumns {
  const file = parseProtoFile(schemaText, options.references ?? []);
  const message = chooseMessage(file, options.fullSchemaName);
  const type = messageType(message, options.keepNames === true, new Set());
  return { columns: type.kind === 'STRUCT' ? type.fields : [], unwrapped: false };
}

function messageType(message: protobuf.Type, keepNames: boolean, seen: Set<protobuf.Type>): SqlType {
  if (seen.has(message)) throw new Error(`Protobuf message ${message.fullName.slice(1)} refers to itself, which SQL types cannot express`);
  const inner = new Set(seen).add(message);
  return {
    kind: 'STRUCT',
    fields: message.fieldsArray.map((f) => ({ name: keepNames ? f.name : f.name.toUpperCase(), type: fieldType(f, keepNames, inner) })),
  };
}

function fieldType(field: protobuf.Field, keepNames: boolean, seen: Set<protobuf.Type>): SqlType {
  if (field instanceof protobuf.MapField) {
    return { kind: 'MAP', key: scalarType(field.keyType), value: valueType(field, keepNames, seen) };
  }
  const value = valueType(field, keepNames, seen);
  return field.repeated ? { kind: 'ARRAY', element: value } : value;
}

function valueType(field: protobuf.Field, keepNames: boolean, seen: Set<protobuf.Type>): SqlType {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return { kind: 'STRING' };
  if (resolved instanceof protobuf.Type) return wellKnownType(resolved, field) ?? messageType(resolved, keepNames, seen);
  return scalarType(field.type);
}

/** The SQL type of a message ksqlDB maps to a primitive, or undefined for other messages. */
function wellKnownType(message: protobuf.Type, field?: protobuf.Field): SqlType | undefined {
  switch (message.fullName) {
    case '.google.protobuf.Timestamp': return { kind: 'TIMESTAMP' };
    case '.google.type.Date': return { kind: 'DATE' };
    case '.google.type.TimeOfDay': return { kind: 'TIME' };
    case '.confluent.type.Decimal': {
      const params = field === undefined ? new Map<string, string>() : fieldMetaParams(field);
      return decimalType(Number(params.get('precision') ?? 64), Number(params.get('scale') ?? 0));
    }
    default:
      return isWrapper(message) ? scalarType(message.fields.value!.type) : undefined;
  }
}

/** google.protobuf.BoolValue, Int32Value...: read as their primitive, absent as NULL. */
export function isWrapper(message: protobuf.Type): boolean {
  return message.fullName.startsWith('.google.protobuf.') && message.fullName.endsWith('Value') && message.fieldsArray.length === 1 &&
    message.fields.value !== undefined;
}

/** The key/value params of a field's `(confluent.field_meta)` option. */
export function fieldMetaParams(field: protobuf.Field): Map<string, string> {
  const out = new Map<string, string>();
  for (const option of field.parsedOptions ?? []) {
    const meta = (option as Record<string, unknown>)['(confluent.field_meta)'];
    const params = (meta as { params?: unknown } | undefined)?.params;
    for (const p of Array.isArray(params) ? params : params === undefined ? [] : [params]) {
      const { key, value } = p as { key?: unknown; value?: unknown };
      if (typeof key === 'string') out.set(key, String(value));
    }
  }
  return out;
}

function scalarType(name: string): SqlType {
  switch (name) {
    case 'int32': case 'sint32': case 'sfixed32': return { kind: 'INTEGER' };
    case 'uint32': case 'fixed32': case 'int64': case 'sint64': case 'sfixed64': case 'uint64': case 'fixed64': return { kind: 'BIGINT' };
    case 'float': case 'double': return { kind: 'DOUBLE' };
    case 'bool': return { kind: 'BOOLEAN' };
    case 'string': return { kind: 'STRING' };
    case 'bytes': return { kind: 'BYTES' };
    default: throw new Error(`Unsupported Protobuf type: ${name}`);
  }
}
