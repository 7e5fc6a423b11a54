/**
 * Runtime values <-> the values avsc encodes (avro-types.ts conventions).
 * Writing follows the generated schema (avro-schema-gen.ts), compiled once
 * per SQL type. Reading goes through the JSON reader's coercions: a decoded
 * Avro value becomes a JSON-like node (longs and decimals as exact digits,
 * bytes as base64, records as plain objects keyed by field name) that
 * `compileJsonReader` turns into the column's type, so fields match by name
 * (exactly, then case-insensitively), missing ones are NULL and types
 * coerce as ksqlDB's connect translation does.
 */
import { Decimal } from '../../schema/decimal.js';
import type { SqlType } from '../../schema/sql-type.js';
import { LosslessNumber } from '../json/lossless-json.js';
import { avroFieldName } from './avro-schema-gen.js';

export type AvroWriter = (value: unknown) => unknown;

/** Runtime value of `type` -> the avsc value of the generated schema. */
export function compileAvroWriter(type: SqlType): AvroWriter {
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'STRING':
    case 'BYTES':
    case 'DECIMAL':
    case 'DATE':
    case 'TIME':
      return (v) => v ?? null;
    case 'TIMESTAMP':
      return (v) => (v == null ? null : BigInt(v as number));
    case 'ARRAY': {
      const element = compileAvroWriter(type.element);
      return (v) => (v == null ? null : (v as unknown[]).map(element));
    }
    case 'MAP': {
      const value = compileAvroWriter(type.value);
      return (v) => {
        if (v == null) return null;
        const out: Record<string, unknown> = {};
        for (const [k, item] of v as Map<unknown, unknown>) out[String(k)] = value(item);
        return out;
      };
    }
    case 'STRUCT': {
      const fields = type.fields.map((f) => ({ from: f.name, to: avroFieldName(f.name), write: compileAvroWriter(f.type) }));
      return (v) => {
        if (v == null) return null;
        const struct = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const f of fields) out[f.to] = f.write(struct[f.from]);
        return out;
      };
    }
  }
}

/** A decoded avsc value -> a node for the JSON reader. */
export function avroToNode(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      return new LosslessNumber(value.toString());
    case 'object':
      break;
    default:
      return value;
  }
  if (value instanceof Decimal) return new LosslessNumber(value.toFixed());
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(avroToNode);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = avroToNode((value as Record<string, unknown>)[k]);
  return out;
}
