/**
 * Protobuf messages <-> the nodes and values the serdes work with.
 *
 * Reading (`messageToNode`): a decoded message becomes a JSON-like node
 * for the JSON reader's name matching and coercions, as AVRO's values do:
 * 64-bit integers and decimals as exact digits, bytes as base64, enums as
 * their names, the well-known messages as the numbers ksqlDB's types hold
 * (TIMESTAMP epoch millis, DATE days, TIME millis of the day). Absent
 * fields read as proto3 does (ksqlDB's documented rule): a scalar as its
 * default (0, "", false, empty bytes), a list or map empty, but a message,
 * a wrapper or an `optional` scalar as NULL.
 *
 * Writing (`toProtoObject`): a runtime row (a struct object keyed by
 * column names) or a parsed JSON node becomes the plain object protobufjs
 * encodes for a given message: fields matched by name exactly, then
 * case-insensitively, NULL left out (so it reads back as its default, or as
 * NULL where the schema can tell), numbers in the field's type.
 */
import protobuf from 'protobufjs';
import { civilFromDays, daysFromCivil } from '../../schema/civil-calendar.js';
import { Decimal } from '../../schema/decimal.js';
import { LosslessNumber } from '../json/lossless-json.js';
import { fieldMetaParams, isWrapper } from './proto-to-sql.js';

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** A decoded message -> a node keyed by field name. */
export function messageToNode(type: protobuf.Type, message: protobuf.Message | Record<string, unknown>): Record<string, unknown> {
  const values = message as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    // protobufjs sets only the fields it decoded: a field with presence that is not there is NULL.
    const present = Object.hasOwn(values, field.name);
    out[field.name] = !present && hasPresence(field) ? null : fieldToNode(field, values[field.name]);
  }
  return out;
}

function fieldToNode(field: protobuf.Field, value: unknown): unknown {
  if (field instanceof protobuf.MapField) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) out[k] = singleToNode(field, v, false);
    return out;
  }
  if (field.repeated) return ((value ?? []) as unknown[]).map((v) => singleToNode(field, v, false));
  return singleToNode(field, value, hasPresence(field));
}

function hasPresence(field: protobuf.Field): boolean {
  // proto3 `optional`, oneof members and proto2 fields (explicit presence); protobufjs types the getter loosely.
  return Boolean((field as unknown as { hasPresence: unknown }).hasPresence);
}

function singleToNode(field: protobuf.Field, value: unknown, presence: boolean): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return value == null ? null : wellKnownToNode(resolved, value as Record<string, unknown>);
  if (value == null && presence) return null;
  if (resolved instanceof protobuf.Enum) {
    const number = Number(value ?? 0);
    return resolved.valuesById[number] ?? String(number);
  }
  return scalarToNode(field.type, value ?? field.typeDefault);
}

function scalarToNode(type: string, value: unknown): unknown {
  if (LONG_TYPES.has(type)) return new LosslessNumber(String(value ?? 0));
  if (type === 'bytes') return Buffer.from((value ?? []) as Uint8Array).toString('base64');
  if (type === 'uint32' || type === 'fixed32') return new LosslessNumber(String(value ?? 0));
  return value;
}

function wellKnownToNode(type: protobuf.Type, value: Record<string, unknown>): unknown {
  switch (type.fullName) {
    case '.google.protobuf.Timestamp': {
      const seconds = BigInt(String(value.seconds ?? 0));
      const nanos = Number(value.nanos ?? 0);
      return new LosslessNumber((seconds * 1000n + BigInt(Math.floor(nanos / 1e6))).toString());
    }
    case '.google.type.Date':
      return daysFromCivil(Number(value.year ?? 0), Number(value.month ?? 0), Number(value.day ?? 0));
    case '.google.type.TimeOfDay':
      return ((Number(value.hours ?? 0) * 60 + Number(value.minutes ?? 0)) * 60 + Number(value.seconds ?? 0)) * 1000 +
        Math.floor(Number(value.nanos ?? 0) / 1e6);
    case '.confluent.type.Decimal':
      return new LosslessNumber(decimalFromBytes(value.value as Uint8Array | undefined, Number(value.scale ?? 0)).toFixed());
    default:
      if (isWrapper(type)) return scalarToNode(type.fields.value!.type, value.value ?? type.fields.value!.typeDefault);
      return messageToNode(type, value);
  }
}

/** A row object or JSON node -> the object protobufjs encodes as `type`. */
export function toProtoObject(type: protobuf.Type, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map) {
    throw new Error(`Expected a struct for the Protobuf message ${type.fullName.slice(1)}, got ${describe(value)}`);
  }
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(object);
  for (const field of type.fieldsArray) {
    const key = field.name in object ? field.name : keys.find((k) => k.toUpperCase() === field.name.toUpperCase());
    const item = key === undefined ? undefined : object[key];
    if (item == null) continue;
    out[field.name] = fieldToProto(field, item);
  }
  return out;
}

function fieldToProto(field: protobuf.Field, value: unknown): unknown {
  if (field instanceof protobuf.MapField) {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) if (k != null) out[String(k)] = singleToProto(field, v);
    return out;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new Error(`Expected a list for the Protobuf field ${field.name}, got ${describe(value)}`);
    return value.map((v) => singleToProto(field, v));
  }
  return singleToProto(field, value);
}

function singleToProto(field: protobuf.Field, value: unknown): unknown {
  const resolved = field.resolvedType;
  // A NULL element of a list or value of a map has no Protobuf form but the type's default.
  if (resolved instanceof protobuf.Type) return value == null ? {} : wellKnownToProto(resolved, value, field);
  if (resolved instanceof protobuf.Enum) {
    if (value == null) return 0;
    const text = plain(value);
    const number = typeof text === 'string' && /^-?\d+$/.test(text) === false ? resolved.values[text] : Number(text);
    if (number === undefined || Number.isNaN(number)) throw new Error(`${String(text)} is not a value of the enum ${resolved.fullName.slice(1)}`);
    return number;
  }
  return scalarToProto(field.type, value);
}

function scalarToProto(type: string, value: unknown): unknown {
  if (value == null) return undefined;
  const v = plain(value);
  switch (type) {
    case 'string':
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'bool':
      if (typeof v !== 'boolean') throw new Error(`Expected a boolean, got ${describe(value)}`);
      return v;
    case 'bytes':
      if (Buffer.isBuffer(v)) return v;
      if (typeof v === 'string') return Buffer.from(v, 'base64');
      throw new Error(`Expected bytes, got ${describe(value)}`);
    case 'float':
    case 'double':
      return Number(v);
    default:
      if (LONG_TYPES.has(type)) return integerText(v);
      return Number(integerText(v));
  }
}

function wellKnownToProto(type: protobuf.Type, value: unknown, field: protobuf.Field): unknown {
  switch (type.fullName) {
    case '.google.protobuf.Timestamp': {
      const millis = BigInt(integerText(plain(value)));
      const seconds = millis >= 0n ? millis / 1000n : -((-millis + 999n) / 1000n);
      return { seconds: seconds.toString(), nanos: Number(millis - seconds * 1000n) * 1e6 };
    }
    case '.google.type.Date': {
      const date = civilFromDays(Number(integerText(plain(value))));
      return { year: date.year, month: date.month, day: date.day };
    }
    case '.google.type.TimeOfDay': {
      const ms = Number(integerText(plain(value)));
      return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor(ms / 60_000) % 60, seconds: Math.floor(ms / 1000) % 60, nanos: (ms % 1000) * 1e6 };
    }
    case '.confluent.type.Decimal':
      return decimalToProto(value, field);
    default:
      if (isWrapper(type)) return { value: scalarToProto(type.fields.value!.type, value) };
      return toProtoObject(type, value);
  }
}

function decimalToProto(value: unknown, field: protobuf.Field): Record<string, unknown> {
  const decimal = value instanceof Decimal ? value : new Decimal(String(plain(value)));
  const params = fieldMetaParams(field);
  const scale = params.has('scale') ? Number(params.get('scale')) : Math.max(decimal.decimalPlaces(), 0);
  const unscaled = BigInt(decimal.times(new Decimal(10).pow(scale)).toFixed(0));
  const precision = params.has('precision') ? Number(params.get('precision')) : Math.max(unscaled < 0n ? (-unscaled).toString().length : unscaled.toString().length, scale);
  return { value: twosComplement(unscaled), precision, scale };
}

/** Big-endian two's complement in as few bytes as hold the sign (Java's BigInteger.toByteArray). */
function twosComplement(value: bigint): Buffer {
  let bytes = 1;
  while (value < -(1n << BigInt(bytes * 8 - 1)) || value >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  const unsigned = value < 0n ? value + (1n << BigInt(bytes * 8)) : value;
  return Buffer.from(unsigned.toString(16).padStart(bytes * 2, '0'), 'hex');
}

function decimalFromBytes(bytes: Uint8Array | undefined, scale: number): Decimal {
  if (bytes === undefined || bytes.length === 0) return new Decimal(0).div(new Decimal(10).pow(scale));
  const buf = Buffer.from(bytes);
  let unscaled = BigInt(`0x${buf.toString('hex')}`);
  if ((buf[0]! & 0x80) !== 0) unscaled -= 1n << BigInt(buf.length * 8);
  return new Decimal(unscaled.toString()).div(new Decimal(10).pow(scale));
}

/** A runtime value or JSON node as plain JavaScript: exact numbers as text. */
function plain(value: unknown): unknown {
  if (value instanceof LosslessNumber) return value.text;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Decimal) return value.toFixed();
  return value;
}

/** The integer a number, numeric text or bigint holds, as text (fractions truncate, as Java's longValue). */
function integerText(value: unknown): string {
  if (typeof value === 'number') return Math.trunc(value).toString();
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return value.trim();
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return new Decimal(value.trim()).trunc().toFixed();
  throw new Error(`Expected a number, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a map';
  return typeof value === 'object' ? 'a struct' : `${typeof value} ${String(value)}`;
}

