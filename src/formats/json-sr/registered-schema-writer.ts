/**
 * Writing a row with a registered JSON Schema (KEY_SCHEMA_ID /
 * VALUE_SCHEMA_ID) instead of the one generated from the columns, as
 * ksqlDB's ConnectSRSchemaDataTranslator does: each column goes to the
 * schema's property of the same name (every column must have one), the
 * object lists the schema's properties in `connect.index` order, and a
 * property no column fills takes its `default`, else null, unless it is
 * `required`, which fails the record. An unwrapped column, or a schema that
 * is not an object, is written as the columns' own JSON.
 */
import type { Column } from '../../schema/logical-schema.js';
import { compileJsonWriter } from '../json/json-writer.js';

type Node = Readonly<Record<string, unknown>>;

/** Column values -> JSON text shaped by the registered schema; throws when the schema cannot take the row. */
export function compileRegisteredWriter(
  schemaText: string, columns: readonly Column[], fallback: (values: readonly unknown[]) => string | null,
): (values: readonly unknown[]) => string | null {
  const object = objectSchemaOf(JSON.parse(schemaText));
  if (object === undefined) return fallback;
  const properties = orderedProperties(object);
  const names = new Set(properties.map((p) => p.name));
  const missing = columns.find((c) => !names.has(c.name));
  if (missing !== undefined) throw new Error(`Schema from Schema Registry misses field with name: ${missing.name}`);
  const required = new Set(Array.isArray(object['required']) ? (object['required'] as unknown[]) : []);
  const parts = properties.map(({ name, schema }, i) => {
    const column = columns.findIndex((c) => c.name === name);
    const prefix = (i === 0 ? '{' : ',') + JSON.stringify(name) + ':';
    const fallbackText = 'default' in schema ? JSON.stringify(schema['default']) : 'null';
    const write = column < 0 ? undefined : compileJsonWriter(columns[column]!.type);
    return { name, column, prefix, fallbackText, write, required: required.has(name) && fallbackText === 'null' };
  });
  return (values) => {
    let out = '';
    for (const part of parts) {
      const value = part.column < 0 ? null : values[part.column];
      if (value == null && part.required) {
        throw new Error(`Conversion error: null value for field '${part.name}', which is required and has no default value`);
      }
      out += part.prefix + (value == null ? part.fallbackText : part.write!(value));
    }
    return parts.length === 0 ? '{}' : out + '}';
  };
}

/** The object schema at the root, through a `oneOf` with null; undefined when the root is not an object. */
function objectSchemaOf(schema: unknown): Node | undefined {
  if (!isNode(schema)) return undefined;
  const union = schema['oneOf'] ?? schema['anyOf'];
  if (Array.isArray(union)) {
    const others = union.filter((b) => !(isNode(b) && b['type'] === 'null'));
    return others.length === 1 ? objectSchemaOf(others[0]) : undefined;
  }
  if (schema['connect.type'] === 'map') return undefined;
  return schema['type'] === 'object' || isNode(schema['properties']) ? schema : undefined;
}

function orderedProperties(object: Node): { name: string; schema: Node }[] {
  const entries = isNode(object['properties']) ? Object.entries(object['properties']) : [];
  return entries
    .map(([name, schema], position) => {
      const node = isNode(schema) ? schema : {};
      return { name, schema: node, index: typeof node['connect.index'] === 'number' ? node['connect.index'] : position };
    })
    .sort((a, b) => a.index - b.index);
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
