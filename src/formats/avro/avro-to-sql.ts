/**
 * Schema inference: the SQL columns an Avro schema describes, as ksqlDB
 * reads them through Connect: a value record's fields become columns, field
 * names upper-cased at every level; any other schema, a key record, or a
 * value record with WRAP_SINGLE_VALUE=false, is one anonymous column (ROWKEY
 * for keys, ROWVAL for values) read unwrapped. Unions with null are their other
 * branch; enums are STRING; maps have STRING keys; logical types map to
 * DECIMAL, DATE, TIME and TIMESTAMP.
 */
import { KsqlError } from '../../common/errors.js';
import { decimalType, type SqlType } from '../../schema/sql-type.js';
import type { InferredColumns, SchemaColumnsOptions, SerdeTarget } from '../serde.js';

type Named = Map<string, unknown>;

export function avroSchemaColumns(schemaText: string, target: SerdeTarget, options: SchemaColumnsOptions = {}): InferredColumns {
  const schema = parse(schemaText);
  const named: Named = new Map();
  const root = resolveRef(schema, named, undefined);
  if (isObject(root) && root.type === 'record' && target === 'value' && options.wrapSingleValue !== false) {
    const type = sqlTypeOf(root, named, undefined, options.keepNames === true);
    if (type.kind !== 'STRUCT') throw new Error('unreachable');
    return { columns: type.fields.map((f) => ({ name: f.name, type: f.type })), unwrapped: false };
  }
  return { columns: [{ name: target === 'key' ? 'ROWKEY' : 'ROWVAL', type: sqlTypeOf(schema, named, undefined, options.keepNames === true) }], unwrapped: true };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || namespace === undefined || namespace === '' ? name : `${namespace}.${name}`;
}

function resolveRef(schema: unknown, named: Named, namespace: string | undefined): unknown {
  if (typeof schema !== 'string') return schema;
  return named.get(fullName(schema, namespace)) ?? named.get(schema) ?? schema;
}

function sqlTypeOf(schema: unknown, named: Named, namespace: string | undefined, keepNames: boolean): SqlType {
  const s = resolveRef(schema, named, namespace);
  if (Array.isArray(s)) {
    const branches = s.filter((b) => b !== 'null');
    if (branches.length !== 1) throw new KsqlError('BAD_STATEMENT', `Unsupported Avro union: ${JSON.stringify(s)}`);
    return sqlTypeOf(branches[0], named, namespace, keepNames);
  }
  if (typeof s === 'string') return primitive(s, undefined, {});
  if (!isObject(s)) throw new KsqlError('BAD_STATEMENT', `Unsupported Avro schema: ${JSON.stringify(s)}`);
  const type = s.type;
  switch (type) {
    case 'record': {
      const ns = typeof s.namespace === 'string' ? s.namespace : namespace;
      if (typeof s.name === 'string') named.set(fullName(s.name, ns), s);
      const fields = Array.isArray(s.fields) ? (s.fields as Record<string, unknown>[]) : [];
      return { kind: 'STRUCT', fields: fields.map((f) => ({ name: keepNames ? String(f.name) : String(f.name).toUpperCase(), type: sqlTypeOf(f.type, named, ns, keepNames) })) };
    }
    case 'enum':
    case 'fixed':
      if (typeof s.name === 'string') named.set(fullName(s.name, typeof s.namespace === 'string' ? s.namespace : namespace), s);
      return type === 'enum' ? { kind: 'STRING' } : { kind: 'BYTES' };
    case 'array':
      return { kind: 'ARRAY', element: sqlTypeOf(s.items, named, namespace, keepNames) };
    case 'map':
      return { kind: 'MAP', key: { kind: 'STRING' }, value: sqlTypeOf(s.values, named, namespace, keepNames) };
    default:
      if (typeof type === 'string') return primitive(type, typeof s.logicalType === 'string' ? s.logicalType : undefined, s);
      return sqlTypeOf(type, named, namespace, keepNames);
  }
}

function primitive(name: string, logicalType: string | undefined, attrs: Record<string, unknown>): SqlType {
  switch (logicalType) {
    case 'decimal':
      return decimalType(Number(attrs.precision ?? 64), Number(attrs.scale ?? 0));
    case 'date':
      return { kind: 'DATE' };
    case 'time-millis':
    case 'time-micros':
      return { kind: 'TIME' };
    case 'timestamp-millis':
    case 'timestamp-micros':
      return { kind: 'TIMESTAMP' };
    default:
      break;
  }
  switch (name) {
    case 'boolean': return { kind: 'BOOLEAN' };
    case 'int': return { kind: 'INTEGER' };
    case 'long': return { kind: 'BIGINT' };
    case 'float':
    case 'double': return { kind: 'DOUBLE' };
    case 'string': return { kind: 'STRING' };
    case 'bytes': return { kind: 'BYTES' };
    default: throw new KsqlError('BAD_STATEMENT', `Unsupported Avro type: ${name}`);
  }
}
