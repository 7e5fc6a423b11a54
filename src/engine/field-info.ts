/**
 * Columns and SQL types in the shape of ksqlDB's REST entities (`FieldInfo`,
 * `SchemaInfo`), as DESCRIBE and EXPLAIN answer them: a type name, struct
 * fields, the member schema of arrays and maps, and DECIMAL's parameters.
 */
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import type { SqlType } from '../schema/sql-type.js';

export interface SchemaInfo {
  readonly type: SqlType['kind'];
  readonly fields: readonly FieldInfo[] | null;
  readonly memberSchema: SchemaInfo | null;
  /** Only DECIMAL has parameters; absent otherwise, as ksqlDB omits an empty map. */
  readonly parameters?: { readonly precision: number; readonly scale: number };
}

export interface FieldInfo {
  readonly name: string;
  readonly schema: SchemaInfo;
  /** KEY or HEADER; absent for value columns and struct fields. */
  readonly type?: 'KEY' | 'HEADER';
  /** The header a HEADER('key') column reads; absent for a HEADERS column. */
  readonly headerKey?: string;
}

export function describeSqlType(type: SqlType): SchemaInfo {
  switch (type.kind) {
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: describeSqlType(type.element) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: describeSqlType(type.value) };
    case 'STRUCT':
      return { type: 'STRUCT', fields: type.fields.map((f) => ({ name: f.name, schema: describeSqlType(f.type) })), memberSchema: null };
    case 'DECIMAL':
      return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: type.precision, scale: type.scale } };
    default:
      return { type: type.kind, fields: null, memberSchema: null };
  }
}

function describeColumn(column: Column): FieldInfo {
  const schema = describeSqlType(column.type);
  if (column.namespace === 'KEY') return { name: column.name, schema, type: 'KEY' };
  if (column.namespace === 'HEADERS') {
    return column.headerKey ? { name: column.name, schema, type: 'HEADER', headerKey: column.headerKey } : { name: column.name, schema, type: 'HEADER' };
  }
  return { name: column.name, schema };
}

/** Key columns first, then value and header columns, in declaration order. */
export function describeColumns(schema: LogicalSchema): FieldInfo[] {
  return [...schema.key, ...schema.value].map(describeColumn);
}
