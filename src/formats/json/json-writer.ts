/**
 * Schema-directed writing of runtime values as JSON text, as ksqlDB's JSON
 * serializer writes them (compact, no spaces):
 *   BIGINT    exact digits          DECIMAL   a number with its scale kept (1.50)
 *   DOUBLE    Java's Double.toString (1.0, 1.0E10); NaN/Infinity as strings
 *   BYTES     base64 string         DATE      days    TIME  ms of day    TIMESTAMP  epoch ms
 *   MAP       object, keys as strings
 *   STRUCT    object with the field names as declared, in declared order
 * The test driver compares records by these rules (`valueToJsonText`); query
 * results over REST follow ksqlDB's REST mapper instead (src/server/result-json.ts).
 */
import type { Decimal } from '../../schema/decimal.js';
import type { SqlType, StructField } from '../../schema/sql-type.js';
import { compileDecimalText, formatJavaDouble } from '../../schema/java-text.js';

/** Writes one runtime value (null allowed) of a fixed SQL type as JSON text. */
export type JsonWriter = (value: unknown) => string;

const writerCache = new WeakMap<SqlType, JsonWriter>();

/** The JSON text of a runtime value of `type` (writers are cached per type object). */
export function valueToJsonText(value: unknown, type: SqlType): string {
  let writer = writerCache.get(type);
  if (writer === undefined) {
    writer = compileJsonWriter(type);
    writerCache.set(type, writer);
  }
  return writer(value);
}

/**
 * A writer of its own for some types, at any depth (undefined for the rest):
 * how the REST API writes temporal values while containers stay these.
 */
export type JsonWriterOverride = (type: SqlType) => JsonWriter | undefined;

/** Builds the writer for a SQL type once; call it per record. */
export function compileJsonWriter(type: SqlType, override?: JsonWriterOverride): JsonWriter {
  const own = override?.(type);
  if (own !== undefined) return own;
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => (v == null ? 'null' : v ? 'true' : 'false');
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (v) => (v == null ? 'null' : String(v));
    case 'BIGINT':
      return (v) => (v == null ? 'null' : (v as bigint).toString());
    case 'DOUBLE':
      return writeDouble;
    case 'DECIMAL': {
      const text = compileDecimalText(type.scale);
      return (v) => (v == null ? 'null' : text(v as Decimal));
    }
    case 'STRING':
      return (v) => (v == null ? 'null' : JSON.stringify(v));
    case 'BYTES':
      return (v) => (v == null ? 'null' : `"${(v as Buffer).toString('base64')}"`);
    case 'ARRAY': {
      const element = compileJsonWriter(type.element, override);
      return (v) => {
        if (v == null) return 'null';
        const items = v as readonly unknown[];
        if (items.length === 0) return '[]';
        let out = '[' + element(items[0]);
        for (let i = 1; i < items.length; i++) out += ',' + element(items[i]);
        return out + ']';
      };
    }
    case 'MAP': {
      const value = compileJsonWriter(type.value, override);
      return (v) => {
        if (v == null) return 'null';
        let out = '{';
        let first = true;
        for (const [k, item] of v as ReadonlyMap<unknown, unknown>) {
          out += (first ? '' : ',') + JSON.stringify(String(k)) + ':' + value(item);
          first = false;
        }
        return out + '}';
      };
    }
    case 'STRUCT': {
      const writeFields = compileFieldsWriter(type.fields, override);
      const names = type.fields.map((f) => f.name);
      const values = new Array<unknown>(names.length);
      return (v) => {
        if (v == null) return 'null';
        const obj = v as Record<string, unknown>;
        for (let i = 0; i < names.length; i++) values[i] = Object.hasOwn(obj, names[i]!) ? obj[names[i]!] : null;
        return writeFields(values);
      };
    }
  }
}

/**
 * Writes field values (in declared order) as one JSON object: the shape of a
 * wrapped row and of a STRUCT. Property-name prefixes are built once.
 */
export function compileFieldsWriter(fields: readonly StructField[], override?: JsonWriterOverride): (values: readonly unknown[]) => string {
  const n = fields.length;
  if (n === 0) return () => '{}';
  const prefixes = fields.map((f, i) => (i === 0 ? '{' : ',') + JSON.stringify(f.name) + ':');
  const writers = fields.map((f) => compileJsonWriter(f.type, override));
  return (values) => {
    let out = '';
    for (let i = 0; i < n; i++) out += prefixes[i]! + writers[i]!(values[i]);
    return out + '}';
  };
}

function writeDouble(v: unknown): string {
  if (v == null) return 'null';
  const d = v as number;
  if (Number.isFinite(d)) return formatJavaDouble(d);
  return `"${formatJavaDouble(d)}"`;
}
