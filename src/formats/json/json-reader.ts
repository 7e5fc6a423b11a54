/**
 * Schema-directed reading of parsed JSON (from JSON.parse or parseJsonLossless)
 * into runtime values, with the coercions of ksqlDB's JSON deserializer:
 * - field names match exactly first, then case-insensitively (JSON key upper-cased);
 *   missing fields are NULL;
 * - INTEGER, BIGINT, DOUBLE, DECIMAL, DATE, TIME, TIMESTAMP accept numbers and
 *   numeric strings; integers go into DOUBLE and DECIMAL; fractions truncate into
 *   integer types (Java's intValue/longValue), but a number beyond the type's
 *   range is refused (NumberRangeError) where Java would wrap it;
 * - STRING accepts any node: numbers and booleans as their text, objects as
 *   compact JSON, arrays as "[a, b]";
 * - BYTES from base64 text; DECIMAL must fit its precision and scale exactly.
 * A value that cannot be coerced throws CoercionError with ksqlDB's wording;
 * `describeJsonFailure` adds the ", path: $.A.B" ksqlDB appends.
 */
import { javaHashMapOrder, type HashMapSizing } from '../../schema/java-hash-map-order.js';
import { Decimal } from '../../schema/decimal.js';
import { formatSqlType, type SqlType, type StructField } from '../../schema/sql-type.js';
import { compileDecimalFit } from '../decimal-fit.js';
import { CoercionError, NumberRangeError } from '../serde-errors.js';
import {
  decodeBase64, formatJavaDouble, numberFormatMessage, parseJavaDecimal, parseJavaDouble, parseJavaInt, parseJavaLong,
} from '../../schema/java-text.js';
import { LosslessNumber } from './lossless-json.js';

/** Reads one parsed JSON node (null/undefined allowed) into a runtime value of a fixed SQL type. */
export type JsonReader = (node: unknown) => unknown;

const MILLIS_PER_DAY = 86_400_000;
const readerCache = new WeakMap<SqlType, JsonReader>();

/** Converts a parsed JSON node to the runtime value of `type` (readers are cached per type object). */
export function jsonToValue(node: unknown, type: SqlType): unknown {
  let reader = readerCache.get(type);
  if (reader === undefined) {
    reader = compileJsonReader(type);
    readerCache.set(type, reader);
  }
  return reader(node);
}

/**
 * Builds the reader for a SQL type once; call it per record. `maps`: how the
 * format's deserializer builds a MAP, which decides its entries' order.
 */
export function compileJsonReader(type: SqlType, maps: HashMapSizing = 'sized'): JsonReader {
  switch (type.kind) {
    case 'BOOLEAN':
      return (node) => {
        if (node == null) return null;
        if (typeof node === 'boolean') return node;
        throw invalidConversion(node, 'BOOLEAN');
      };
    case 'INTEGER':
      return (node) => (node == null ? null : readInt(node, 'INTEGER'));
    case 'DATE':
      return (node) => (node == null ? null : readInt(node, 'DATE'));
    case 'TIME':
      return (node) => {
        if (node == null) return null;
        const ms = readInt(node, 'TIME');
        if (ms < 0 || ms > MILLIS_PER_DAY) {
          throw new CoercionError(
            `Time values must use number of milliseconds greater than 0 and less than ${MILLIS_PER_DAY}.`,
          );
        }
        return ms;
      };
    case 'BIGINT':
      return (node) => {
        if (node == null) return null;
        if (typeof node === 'number' && Number.isSafeInteger(node)) return BigInt(node);
        return readLong(node, 'BIGINT');
      };
    case 'TIMESTAMP':
      return (node) => {
        if (node == null) return null;
        if (typeof node === 'number' && Number.isSafeInteger(node)) return node;
        return Number(readLong(node, 'TIMESTAMP'));
      };
    case 'DOUBLE':
      return (node) => {
        if (node == null) return null;
        if (typeof node === 'number') return node;
        if (node instanceof LosslessNumber) return Number(node.text);
        if (typeof node === 'string') {
          const d = parseJavaDouble(node);
          if (d === undefined) throw stringCoercion('DOUBLE');
          return d;
        }
        throw invalidConversion(node, 'DOUBLE');
      };
    case 'DECIMAL': {
      const fit = compileDecimalFit(type.precision, type.scale);
      const required = formatSqlType(type);
      return (node) => {
        if (node == null) return null;
        if (typeof node === 'number') return fit(new Decimal(node));
        if (node instanceof LosslessNumber) return fit(new Decimal(node.text));
        if (typeof node === 'string') {
          const d = parseJavaDecimal(node);
          if (d === undefined) throw new CoercionError(numberFormatMessage(node));
          return fit(d);
        }
        throw invalidConversion(node, required);
      };
    }
    case 'STRING':
      return readString;
    case 'BYTES':
      return (node) => {
        if (node == null) return null;
        if (typeof node === 'string') {
          const bytes = decodeBase64(node);
          if (bytes === undefined) throw new CoercionError(`Value is not a valid Base64 encoded string: ${node}`);
          return bytes;
        }
        throw invalidConversion(node, 'BYTES');
      };
    case 'ARRAY': {
      const element = compileJsonReader(type.element, maps);
      const required = formatSqlType(type);
      return (node) => {
        if (node == null) return null;
        if (!Array.isArray(node)) throw invalidConversion(node, required);
        const n = node.length;
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = element(node[i]);
        return out;
      };
    }
    case 'MAP': {
      const key = compileJsonReader(type.key, maps);
      const value = compileJsonReader(type.value, maps);
      const required = formatSqlType(type);
      return (node) => {
        if (node == null) return null;
        if (!isJsonObject(node)) throw invalidConversion(node, required);
        // ksqlDB reads a map into a java.util.HashMap: its entries come in that map's order.
        const entries: (readonly [string, unknown])[] = [];
        for (const k in node) entries.push([k, node[k]]);
        const out = new Map<unknown, unknown>();
        for (const [k, v] of javaHashMapOrder(entries, maps)) out.set(key(k), value(v));
        return out;
      };
    }
    case 'STRUCT':
      return compileStructReader(type.fields, formatSqlType(type), maps);
  }
}

/**
 * Reads a JSON object into an array of field values in declared order: the
 * shape of a wrapped row as well as of a STRUCT. Exact name first, then the
 * first key whose upper-case form equals the field name.
 *
 * Which key feeds which field depends only on the object's keys in order, and
 * records of a topic mostly repeat them: the last key list and which key
 * feeds each field are kept, so a record with the same keys is read in one
 * pass over them, comparing each key with the remembered one.
 */
export function compileFieldsReader(
  fields: readonly StructField[],
  requiredType: string,
  maps: HashMapSizing = 'sized',
): (node: unknown) => unknown[] | null {
  const n = fields.length;
  const names = fields.map((f) => f.name);
  const readers = fields.map((f) => compileJsonReader(f.type, maps));
  let keys: string[] = [];
  /** For each field, the position in `keys` of the key feeding it, or -1. */
  let sources: number[] = names.map(() => -1);
  /** The values of the object being read, by key position (reused: it holds on to one record's values at most). */
  const seen: unknown[] = [];
  return (node) => {
    if (node == null) return null;
    if (!isJsonObject(node)) throw invalidConversion(node, requiredType);
    let j = 0;
    let same = true;
    for (const k in node) {
      if (j >= keys.length || keys[j] !== k) {
        same = false;
        break;
      }
      seen[j++] = node[k];
    }
    if (!same || j !== keys.length) {
      keys = [];
      for (const k in node) keys.push(k);
      sources = fieldSources(names, keys);
      for (let i = 0; i < keys.length; i++) seen[i] = node[keys[i]!];
    }
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const source = sources[i]!;
      out[i] = readers[i]!(source >= 0 ? seen[source] : undefined);
    }
    return out;
  };
}

/** For each field name, the position in `keys` of the key feeding it: its exact name, else the first key equal to it in upper case; -1 for none. */
export function fieldSources(names: readonly string[], keys: readonly string[]): number[] {
  const upper = keys.map((k) => k.toUpperCase());
  return names.map((name) => {
    const exact = keys.indexOf(name);
    return exact >= 0 ? exact : upper.indexOf(name);
  });
}

function compileStructReader(fields: readonly StructField[], requiredType: string, maps: HashMapSizing): JsonReader {
  const readFields = compileFieldsReader(fields, requiredType, maps);
  const names = fields.map((f) => f.name);
  const n = names.length;
  return (node) => {
    const values = readFields(node);
    if (values === null) return null;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) setOwn(out, names[i]!, values[i]);
    return out;
  };
}

/** Sets a data property, even for the name "__proto__". */
export function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[name] = value;
  }
}

function findCaseInsensitive(node: Record<string, unknown>, name: string): string | undefined {
  for (const k in node) {
    if (k.toUpperCase() === name) return k;
  }
  return undefined;
}

export function isJsonObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !(node instanceof LosslessNumber);
}

function readString(node: unknown): unknown {
  if (node == null) return null;
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (node instanceof LosslessNumber) return node.text;
  if (Array.isArray(node)) {
    const parts = new Array<string>(node.length);
    for (let i = 0; i < node.length; i++) {
      const v = node[i];
      parts[i] = v == null ? 'null' : (readString(v) as string);
    }
    return `[${parts.join(', ')}]`;
  }
  return stringifyJsonNode(node);
}

/** Compact JSON text of a parsed node, LosslessNumbers written as their digits. */
export function stringifyJsonNode(node: unknown): string {
  if (node == null) return 'null';
  if (typeof node === 'string') return JSON.stringify(node);
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (node instanceof LosslessNumber) return node.text;
  if (Array.isArray(node)) return `[${node.map(stringifyJsonNode).join(',')}]`;
  const obj = node as Record<string, unknown>;
  const parts: string[] = [];
  for (const k in obj) parts.push(`${JSON.stringify(k)}:${stringifyJsonNode(obj[k])}`);
  return `{${parts.join(',')}}`;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
/** Beyond every integer type: a literal this large is out of range without expanding its digits. */
const LONG_BOUND = new Decimal(2).pow(64);

/**
 * Java's intValue() of a numeric node (a fraction truncates), or parseInt of
 * text. A number beyond 32 bits is refused: intValue would wrap it silently.
 */
function readInt(node: unknown, required: string): number {
  if (typeof node === 'number') {
    if ((node | 0) === node) return node;
    if (!Number.isFinite(node)) throw invalidConversion(node, required);
    const n = Math.trunc(node);
    if (n < INT_MIN || n > INT_MAX) throw outOfRange(node, required, `${INT_MIN}`, `${INT_MAX}`);
    return n;
  }
  if (typeof node === 'string') {
    const n = parseJavaInt(node);
    if (n === undefined) throw stringCoercion(required);
    return n;
  }
  if (node instanceof LosslessNumber) {
    const n = losslessToBigInt(node);
    if (n === undefined || n < INT_MIN || n > INT_MAX) throw outOfRange(node, required, `${INT_MIN}`, `${INT_MAX}`);
    return Number(n);
  }
  throw invalidConversion(node, required);
}

/** Java's longValue() of a numeric node, or parseLong of text; a number beyond 64 bits is refused. */
function readLong(node: unknown, required: string): bigint {
  if (typeof node === 'number') {
    if (!Number.isFinite(node)) throw invalidConversion(node, required);
    const n = Math.trunc(node);
    // 2^63 is exact as a double; every double below it fits a long.
    if (n < -(2 ** 63) || n >= 2 ** 63) throw outOfRange(node, required, `${LONG_MIN}`, `${LONG_MAX}`);
    return BigInt(n);
  }
  if (typeof node === 'string') {
    const n = parseJavaLong(node);
    if (n === undefined) throw stringCoercion(required);
    return n;
  }
  if (node instanceof LosslessNumber) {
    const n = losslessToBigInt(node);
    if (n === undefined || n < LONG_MIN || n > LONG_MAX) throw outOfRange(node, required, `${LONG_MIN}`, `${LONG_MAX}`);
    return n;
  }
  throw invalidConversion(node, required);
}

/** The integer part of a long literal, or undefined when it is too large to matter (beyond every integer type). */
function losslessToBigInt(node: LosslessNumber): bigint | undefined {
  if (node.isInteger) return BigInt(node.text);
  const d = new Decimal(node.text).trunc();
  return d.abs().gte(LONG_BOUND) ? undefined : BigInt(d.toFixed());
}

/** Jackson's node class name for a parsed value, as ksqlDB's messages show it. */
export function jsonNodeTypeName(node: unknown): string {
  if (typeof node === 'string') return 'TextNode';
  if (typeof node === 'boolean') return 'BooleanNode';
  if (node === null || node === undefined) return 'NullNode';
  if (typeof node === 'number') {
    if (!Number.isInteger(node)) return 'DecimalNode';
    if ((node | 0) === node) return 'IntNode';
    return Math.abs(node) < 2 ** 63 ? 'LongNode' : 'BigIntegerNode';
  }
  if (node instanceof LosslessNumber) {
    if (!node.isInteger) return 'DecimalNode';
    return BigInt.asIntN(64, BigInt(node.text)) === BigInt(node.text) ? 'LongNode' : 'BigIntegerNode';
  }
  return Array.isArray(node) ? 'ArrayNode' : 'ObjectNode';
}

function invalidConversion(node: unknown, required: string): CoercionError {
  return new CoercionError(`Can't convert type. sourceType: ${jsonNodeTypeName(node)}, requiredType: ${required}`);
}

/** Jackson's wording for a number outside an integer type, with ksqlDB's SQL type name. */
function outOfRange(node: number | LosslessNumber, required: string, min: string, max: string): NumberRangeError {
  return new NumberRangeError(`Numeric value (${numberNodeText(node)}) out of range of ${required} (${min} - ${max})`);
}

/** A number as Jackson prints its node: integers with all their digits, others as Java's Double.toString. */
function numberNodeText(node: number | LosslessNumber): string {
  if (node instanceof LosslessNumber) return node.isInteger ? node.text : formatJavaDouble(Number(node.text));
  return Number.isInteger(node) && Math.abs(node) < 1e21 ? String(node) : formatJavaDouble(node);
}

function stringCoercion(required: string): CoercionError {
  return new CoercionError(`Can't coerce string to type. targetType: ${required}`);
}

/**
 * Where and why a node fails its type, as ksqlDB's JSON deserializer reports
 * it: the converter's own message and the path parts from the top ("$",
 * ".A", "[0]", ".k.value"). ksqlDB wraps the message once per level of the
 * path, each wrapper naming the path from its level down.
 */
export interface JsonFailure {
  readonly message: string;
  readonly path: readonly string[];
}

export function describeJsonFailure(node: unknown, type: SqlType, path: readonly string[]): JsonFailure | undefined {
  if (node == null) return undefined;
  if (type.kind === 'ARRAY' && Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const found = describeJsonFailure(node[i], type.element, [...path, `[${i}]`]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (type.kind === 'MAP' && isJsonObject(node)) {
    for (const k in node) {
      const found =
        describeJsonFailure(k, type.key, [...path, `.${k}.key`]) ?? describeJsonFailure(node[k], type.value, [...path, `.${k}.value`]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (type.kind === 'STRUCT' && isJsonObject(node)) {
    for (const field of type.fields) {
      const value = Object.hasOwn(node, field.name) ? node[field.name] : lookupCaseInsensitive(node, field.name);
      const found = describeJsonFailure(value, field.type, [...path, `.${field.name}`]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  try {
    jsonToValue(node, type);
    return undefined;
  } catch (error) {
    return { message: error instanceof Error ? error.message : String(error), path };
  }
}

function lookupCaseInsensitive(node: Record<string, unknown>, name: string): unknown {
  const key = findCaseInsensitive(node, name);
  return key === undefined ? undefined : node[key];
}
