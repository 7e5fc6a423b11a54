/**
 * A JSON node written with a given Avro schema (a registered one, rather
 * than the one generated from columns): fields matched by name exactly, then
 * case-insensitively; a missing or null field takes its default; numbers, booleans
 * and objects go into strings as their text; a union takes its first
 * non-null branch the value fits; a NULL left in a field that takes none
 * fails with Kafka Connect's words, as ksqlDB's serializer does. Used for VALUE_SCHEMA_ID / KEY_SCHEMA_ID
 * sinks, and by the test driver for records a test writes with its own schema.
 */
import type avro from 'avsc';
import { Decimal } from '../../schema/decimal.js';
import { LosslessNumber } from '../json/lossless-json.js';

/** A parsed JSON node -> the avsc value of `type` (avro-types.ts conventions). */
export function jsonToAvro(type: avro.Type, node: unknown): unknown {
  const name = type.typeName;
  if (node === null || node === undefined) return null;
  switch (name) {
    case 'string':
      return node instanceof LosslessNumber ? node.text : typeof node === 'object' ? JSON.stringify(node) : String(node);
    case 'boolean':
    case 'enum':
      return node instanceof LosslessNumber ? node.text : node;
    case 'int':
    case 'float':
    case 'double':
      return node instanceof LosslessNumber ? Number(node.text) : node;
    case 'long':
    case 'abstract:long':
      return BigInt(node instanceof LosslessNumber ? node.text : String(node));
    case 'bytes':
    case 'fixed':
      return Buffer.from(String(node), 'base64');
    case 'logical:decimal':
      return new Decimal(node instanceof LosslessNumber ? node.text : String(node));
    case 'array':
      return (node as unknown[]).map((item) => jsonToAvro((type as avro.types.ArrayType).itemsType, item));
    case 'map': {
      const values = (type as avro.types.MapType).valuesType as avro.Type;
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, jsonToAvro(values, v)]));
    }
    case 'record':
    case 'error': {
      const object = node as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of (type as avro.types.RecordType).fields) {
        const key = field.name in object ? field.name : Object.keys(object).find((k) => k.toUpperCase() === field.name.toUpperCase());
        const value = key === undefined ? null : jsonToAvro(field.type, object[key]);
        out[field.name] = value === null ? field.defaultValue() ?? null : value;
        if (out[field.name] === null && !acceptsNull(field.type)) {
          throw new Error(`Invalid value: null used for required field: "${field.name}", schema type: ${connectTypeName(field.type)}`);
        }
      }
      return out;
    }
    case 'union:unwrapped':
    case 'union:wrapped': {
      const wrapped = name === 'union:wrapped';
      for (const branch of (type as avro.types.UnwrappedUnionType).types) {
        if (branch.typeName === 'null') continue;
        try {
          const value = jsonToAvro(branch, node);
          if (branch.isValid(value)) return wrapped ? { [branch.branchName!]: value } : value;
        } catch {
          // Not this branch: try the next one.
        }
      }
      throw new Error(`no branch of ${JSON.stringify(type.schema())} takes ${JSON.stringify(node)}`);
    }
    default:
      return node;
  }
}

function acceptsNull(type: avro.Type): boolean {
  return type.typeName === 'null' || ((type.typeName === 'union:unwrapped' || type.typeName === 'union:wrapped')
    && (type as avro.types.UnwrappedUnionType).types.some((t) => t.typeName === 'null'));
}

/** The Kafka Connect schema type an Avro type converts to (as Connect names it in its errors). */
function connectTypeName(type: avro.Type): string {
  switch (type.typeName) {
    case 'int':
    case 'logical:date':
    case 'logical:time-millis':
      return 'INT32';
    case 'long':
    case 'abstract:long':
    case 'logical:timestamp-millis':
      return 'INT64';
    case 'float':
      return 'FLOAT32';
    case 'double':
      return 'FLOAT64';
    case 'bytes':
    case 'fixed':
    case 'logical:decimal':
      return 'BYTES';
    case 'record':
    case 'error':
      return 'STRUCT';
    case 'enum':
      return 'STRING';
    default:
      return type.typeName.toUpperCase();
  }
}
