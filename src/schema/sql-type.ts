/**
 * SQL types, as ksqlDB has them. `kind` is the discriminant (the word "type"
 * means a SQL type throughout the code base).
 *
 * Runtime value representation (every layer relies on it; see docs/architecture.md):
 *   BOOLEAN   boolean
 *   INTEGER   number (a 32-bit integer)
 *   BIGINT    bigint (always; never a number, so no digit is ever lost)
 *   DOUBLE    number
 *   DECIMAL   Decimal from decimal.js, already rounded to the type's scale
 *   STRING    string
 *   BYTES     Buffer
 *   DATE      number: days since 1970-01-01
 *   TIME      number: milliseconds since midnight
 *   TIMESTAMP number: milliseconds since the epoch, UTC
 *   ARRAY     Array of element values
 *   MAP       Map from key value to value (insertion order kept)
 *   STRUCT    plain object keyed by the field names as declared, in declared order
 * SQL NULL is `null` at every level; `undefined` never appears in a value.
 */

export type SqlType =
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'INTEGER' }
  | { readonly kind: 'BIGINT' }
  | { readonly kind: 'DOUBLE' }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'STRING' }
  | { readonly kind: 'BYTES' }
  | { readonly kind: 'DATE' }
  | { readonly kind: 'TIME' }
  | { readonly kind: 'TIMESTAMP' }
  | { readonly kind: 'ARRAY'; readonly element: SqlType }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: 'STRUCT'; readonly fields: readonly StructField[] };

export interface StructField {
  readonly name: string;
  readonly type: SqlType;
}

export type SqlTypeKind = SqlType['kind'];

export const BOOLEAN: SqlType = Object.freeze({ kind: 'BOOLEAN' });
export const INTEGER: SqlType = Object.freeze({ kind: 'INTEGER' });
export const BIGINT: SqlType = Object.freeze({ kind: 'BIGINT' });
export const DOUBLE: SqlType = Object.freeze({ kind: 'DOUBLE' });
export const STRING: SqlType = Object.freeze({ kind: 'STRING' });
export const BYTES: SqlType = Object.freeze({ kind: 'BYTES' });
export const DATE: SqlType = Object.freeze({ kind: 'DATE' });
export const TIME: SqlType = Object.freeze({ kind: 'TIME' });
export const TIMESTAMP: SqlType = Object.freeze({ kind: 'TIMESTAMP' });

/** ksqlDB's largest decimal precision. */
export const MAX_DECIMAL_PRECISION = 1000;

export function decimalType(precision: number, scale: number): SqlType {
  return { kind: 'DECIMAL', precision, scale };
}

export function arrayType(element: SqlType): SqlType {
  return { kind: 'ARRAY', element };
}

export function mapType(key: SqlType, value: SqlType): SqlType {
  return { kind: 'MAP', key, value };
}

export function structType(fields: readonly StructField[]): SqlType {
  return { kind: 'STRUCT', fields };
}

export function isNumeric(t: SqlType): boolean {
  return t.kind === 'INTEGER' || t.kind === 'BIGINT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL';
}

export function isPrimitive(t: SqlType): boolean {
  return t.kind !== 'ARRAY' && t.kind !== 'MAP' && t.kind !== 'STRUCT';
}

export function sqlTypesEqual(a: SqlType, b: SqlType): boolean {
  switch (a.kind) {
    case 'DECIMAL':
      return b.kind === 'DECIMAL' && a.precision === b.precision && a.scale === b.scale;
    case 'ARRAY':
      return b.kind === 'ARRAY' && sqlTypesEqual(a.element, b.element);
    case 'MAP':
      return b.kind === 'MAP' && sqlTypesEqual(a.key, b.key) && sqlTypesEqual(a.value, b.value);
    case 'STRUCT':
      return (
        b.kind === 'STRUCT' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => f.name === b.fields[i]!.name && sqlTypesEqual(f.type, b.fields[i]!.type))
      );
    default:
      return a.kind === b.kind;
  }
}

/** Quotes an identifier the way ksqlDB prints it in schemas: always back-quoted. */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** ksqlDB's SQL spelling of a type, e.g. `STRUCT<\`A\` INTEGER, \`B\` ARRAY<STRING>>`. */
export function formatSqlType(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatSqlType(t.element)}>`;
    case 'MAP':
      return `MAP<${formatSqlType(t.key)}, ${formatSqlType(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${quoteIdentifier(f.name)} ${formatSqlType(f.type)}`).join(', ')}>`;
    default:
      return t.kind;
  }
}
