/**
 * The JSON Schema ksqlDB registers for a source's key or value columns (its
 * JsonSchemaTranslator over Connect's JsonSchemaData): a row is an object
 * whose properties are the columns; every column, struct field, array
 * element and map value is optional, written as `oneOf` null and the type,
 * and a field's position is kept as `connect.index` (on the `oneOf`). Connect
 * types the JSON types cannot tell apart carry `connect.type`; DECIMAL, DATE,
 * TIME and TIMESTAMP carry Connect's logical name as `title`, with its
 * version and parameters. A map is an object of `additionalProperties` with
 * `connect.type: map`. A single unwrapped column is its optional type at the
 * root.
 */
import type { Column } from '../../schema/logical-schema.js';
import type { SqlType, StructField } from '../../schema/sql-type.js';

export type JsonSchemaObject = { readonly [keyword: string]: unknown };

const CONNECT_DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const CONNECT_DATE = 'org.apache.kafka.connect.data.Date';
const CONNECT_TIME = 'org.apache.kafka.connect.data.Time';
const CONNECT_TIMESTAMP = 'org.apache.kafka.connect.data.Timestamp';

/** The schema of a row: an object of the columns, or the single column's optional type when unwrapped. */
export function jsonSchemaOfColumns(columns: readonly Column[], unwrapped: boolean): JsonSchemaObject {
  if (unwrapped) return optional(typeSchema(columns[0]!.type));
  return objectSchema(columns);
}

function objectSchema(fields: readonly StructField[]): JsonSchemaObject {
  const properties: Record<string, unknown> = {};
  fields.forEach((f, index) => {
    properties[f.name] = { 'connect.index': index, ...optional(typeSchema(f.type)) };
  });
  return { type: 'object', properties };
}

function optional(schema: JsonSchemaObject): JsonSchemaObject {
  return { oneOf: [{ type: 'null' }, schema] };
}

function logical(type: 'integer' | 'number', title: string, connectType: string): JsonSchemaObject {
  return { type, title, 'connect.version': 1, 'connect.type': connectType };
}

function typeSchema(type: SqlType): JsonSchemaObject {
  switch (type.kind) {
    case 'BOOLEAN': return { type: 'boolean' };
    case 'INTEGER': return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT': return { type: 'integer', 'connect.type': 'int64' };
    case 'DOUBLE': return { type: 'number', 'connect.type': 'float64' };
    case 'STRING': return { type: 'string' };
    case 'BYTES': return { type: 'string', 'connect.type': 'bytes' };
    case 'DECIMAL':
      return {
        ...logical('number', CONNECT_DECIMAL, 'bytes'),
        'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
      };
    case 'DATE': return logical('integer', CONNECT_DATE, 'int32');
    case 'TIME': return logical('integer', CONNECT_TIME, 'int32');
    case 'TIMESTAMP': return logical('integer', CONNECT_TIMESTAMP, 'int64');
    case 'ARRAY': return { type: 'array', items: optional(typeSchema(type.element)) };
    case 'MAP': return { type: 'object', additionalProperties: optional(typeSchema(type.value)), 'connect.type': 'map' };
    case 'STRUCT': return objectSchema(type.fields);
  }
}

export const CONNECT_LOGICAL_NAMES = { decimal: CONNECT_DECIMAL, date: CONNECT_DATE, time: CONNECT_TIME, timestamp: CONNECT_TIMESTAMP } as const;
