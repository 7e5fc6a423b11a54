/**
 * A JSON node written with a given Avro schema (a registered one, rather
 * than the one generated from columns): fields matched by name exactly, then
 * case-insensitively; a missing or null field takes its default; numbers, booleans
 * and objects go into strings as their text; a union takes its first
 * non-null branch the value fits. Used for VALUE_SCHEMA_ID / KEY_SCHEMA_ID
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
