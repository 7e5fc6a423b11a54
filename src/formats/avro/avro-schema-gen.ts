/**
 * The Avro schema ksqlDB generates for a source's key or value columns
 * (ksqlDB's AvroSchemas over Connect's AvroData): every column, struct
 * field, array element and map value is optional (a union with null,
 * default null); records are named after their path from the root record
 * (`KsqlDataSourceSchema_COL_FIELD`) in the root's namespace and carry
 * `connect.name`; DECIMAL, DATE, TIME and TIMESTAMP use Avro's logical types
 * with Connect's parameters. A single unwrapped column is the column's own
 * type at the root, not optional (a null is a null record).
 */
import type { Column } from '../../schema/logical-schema.js';
import type { SqlType } from '../../schema/sql-type.js';

export const DEFAULT_AVRO_SCHEMA_FULL_NAME = 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema';

export type AvroSchemaJson = string | { readonly [k: string]: unknown } | readonly unknown[];

/** The schema of a row: a record of the columns, or the single column's type when unwrapped. */
export function avroSchemaOfColumns(columns: readonly Column[], unwrapped: boolean, fullName: string): AvroSchemaJson {
  if (unwrapped) return typeSchema(columns[0]!.type, fullName);
  return recordSchema(columns.map((c) => ({ name: c.name, type: c.type })), fullName);
}

/** An Avro-compatible field name: ksqlDB replaces the dots of qualified names. */
export function avroFieldName(name: string): string {
  return name.replace(/\./g, '_');
}

function recordSchema(fields: readonly { name: string; type: SqlType }[], fullName: string): AvroSchemaJson {
  const dot = fullName.lastIndexOf('.');
  return {
    type: 'record',
    name: dot < 0 ? fullName : fullName.slice(dot + 1),
    ...(dot < 0 ? {} : { namespace: fullName.slice(0, dot) }),
    fields: fields.map((f) => ({ name: avroFieldName(f.name), type: optional(typeSchema(f.type, `${fullName}_${f.name}`)), default: null })),
    'connect.name': fullName,
  };
}

function optional(schema: AvroSchemaJson): AvroSchemaJson {
  return ['null', schema];
}

/** The schema of one SQL type; `name` is the path name a record at this place gets. */
function typeSchema(type: SqlType, name: string): AvroSchemaJson {
  switch (type.kind) {
    case 'BOOLEAN': return 'boolean';
    case 'INTEGER': return 'int';
    case 'BIGINT': return 'long';
    case 'DOUBLE': return 'double';
    case 'STRING': return 'string';
    case 'BYTES': return 'bytes';
    case 'DECIMAL':
      return {
        type: 'bytes',
        scale: type.scale,
        precision: type.precision,
        'connect.version': 1,
        'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
        'connect.name': 'org.apache.kafka.connect.data.Decimal',
        logicalType: 'decimal',
      };
    case 'DATE':
      return { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Date', logicalType: 'date' };
    case 'TIME':
      return { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Time', logicalType: 'time-millis' };
    case 'TIMESTAMP':
      return { type: 'long', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Timestamp', logicalType: 'timestamp-millis' };
    case 'ARRAY':
      return { type: 'array', items: optional(typeSchema(type.element, name)) };
    case 'MAP':
      return { type: 'map', values: optional(typeSchema(type.value, `${name}_MapValue`)) };
    case 'STRUCT':
      return recordSchema(type.fields, name);
  }
}

/** Why a name cannot be an Avro field name (Avro's own wording), or undefined. */
export function avroNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Empty name';
  if (!/^[A-Za-z_]/.test(name)) return `Illegal initial character: ${name}`;
  const bad = /[^A-Za-z0-9_]/.exec(name);
  return bad === null ? undefined : `Illegal character in: ${name}`;
}
