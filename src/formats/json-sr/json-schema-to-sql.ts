/**
 * Schema inference: the SQL columns a registered JSON Schema describes, as
 * ksqlDB reads them (Connect's JsonSchemaData, then its Connect-to-SQL
 * translation). A value object's properties become columns, in
 * `connect.index` order, names upper-cased at every level; any other root, a
 * key, or a value object with WRAP_SINGLE_VALUE=false is one anonymous column
 * (ROWKEY or ROWVAL) read unwrapped.
 *
 * Types: `oneOf`/`anyOf` of null and one schema is that schema; integer and
 * number follow `connect.type` (int8/16/32 INTEGER, int64 BIGINT, float32/64
 * DOUBLE, bytes BYTES) and default to BIGINT and DOUBLE; Connect's logical
 * titles give DECIMAL (precision and scale from `connect.parameters`), DATE,
 * TIME and TIMESTAMP; enums are STRING; an object with `connect.type: map`
 * is a MAP with STRING keys of its `additionalProperties`, and so is an
 * array of {key, value} objects with `connect.type: map`. `$ref`s into the
 * same document (`#/definitions/...`, `#/$defs/...`) are followed. A
 * property whose type ksqlDB cannot read (null, a union of several types, no
 * type at all) is left out, as ksqlDB leaves it out; at the root it is an error.
 */
import { KsqlError } from '../../common/errors.js';
import { arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, TIME, TIMESTAMP, type SqlType } from '../../schema/sql-type.js';
import type { InferredColumns, SchemaColumnsOptions, SerdeTarget } from '../serde.js';
import { CONNECT_LOGICAL_NAMES } from './json-schema-gen.js';

type Node = Readonly<Record<string, unknown>>;

/** A schema ksqlDB cannot turn into a SQL type: skipped as a property, refused at the root. */
class UnsupportedSchema extends Error {}

const DEFAULT_DECIMAL_PRECISION = 64;

export function jsonSchemaColumns(schemaText: string, target: SerdeTarget, options: SchemaColumnsOptions = {}): InferredColumns {
  let root: unknown;
  try {
    root = JSON.parse(schemaText);
  } catch (error) {
    throw new KsqlError('BAD_STATEMENT', `Invalid JSON Schema: ${(error as Error).message}`);
  }
  const reader = new SchemaReader(root, options.keepNames === true);
  let type: SqlType;
  try {
    type = reader.sqlType(root);
  } catch (error) {
    if (error instanceof UnsupportedSchema) throw new KsqlError('BAD_STATEMENT', `Unsupported type at root of schema: ${error.message}`);
    throw error;
  }
  if (type.kind === 'STRUCT' && target === 'value' && options.wrapSingleValue !== false) {
    if (type.fields.length === 0) {
      throw new KsqlError('BAD_STATEMENT', `Schema does not include any columns with types that ksqlDB supports.\nschema: ${schemaText}`);
    }
    return { columns: type.fields.map((f) => ({ name: f.name, type: f.type })), unwrapped: false };
  }
  return { columns: [{ name: target === 'key' ? 'ROWKEY' : 'ROWVAL', type }], unwrapped: true };
}

class SchemaReader {
  /** `$ref`s being followed, so a recursive schema is refused instead of looping. */
  private readonly following = new Set<string>();

  constructor(private readonly root: unknown, private readonly keepNames: boolean) {}

  sqlType(schema: unknown): SqlType {
    if (!isNode(schema)) throw new UnsupportedSchema(`schema ${JSON.stringify(schema)} has no type`);
    const ref = schema['$ref'];
    if (typeof ref === 'string') return this.followRef(ref);
    const union = asArray(schema['oneOf']) ?? asArray(schema['anyOf']);
    if (union !== undefined) return this.unionType(union);
    const all = asArray(schema['allOf']);
    if (all !== undefined) return this.allOfType(all);
    if (Array.isArray(schema['enum'])) return STRING;
    const type = this.typeName(schema);
    switch (type) {
      case 'boolean': return BOOLEAN;
      case 'integer':
      case 'number': return numberType(schema, type);
      case 'string': return schema['connect.type'] === 'bytes' ? bytesType(schema) : STRING;
      case 'array': return this.arrayType(schema);
      case 'object': return this.objectType(schema);
      default: throw new UnsupportedSchema(`schema ${JSON.stringify(schema)} has no type ksqlDB reads`);
    }
  }

  private followRef(ref: string): SqlType {
    if (!ref.startsWith('#')) throw new UnsupportedSchema(`the reference ${ref} is not in the schema`);
    if (this.following.has(ref)) throw new UnsupportedSchema(`the reference ${ref} is recursive`);
    let target: unknown = this.root;
    for (const part of ref.slice(1).split('/').filter((p) => p !== '')) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isNode(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new UnsupportedSchema(`the reference ${ref} points nowhere`);
    this.following.add(ref);
    try {
      return this.sqlType(target);
    } finally {
      this.following.delete(ref);
    }
  }

  /** `type` as written, or implied by object or array keywords; a list of types with null is its other type. */
  private typeName(schema: Node): string | undefined {
    const type = schema['type'];
    if (typeof type === 'string') return type;
    if (Array.isArray(type)) {
      const others = type.filter((t) => t !== 'null');
      if (others.length === 1 && typeof others[0] === 'string') return others[0];
      throw new UnsupportedSchema(`the type list ${JSON.stringify(type)} is a union of several types`);
    }
    if ('properties' in schema || 'additionalProperties' in schema) return 'object';
    if ('items' in schema) return 'array';
    return undefined;
  }

  private unionType(branches: readonly unknown[]): SqlType {
    const others = branches.filter((b) => !(isNode(b) && b['type'] === 'null'));
    if (others.length !== 1) throw new UnsupportedSchema(`a union of ${others.length} types`);
    return this.sqlType(others[0]);
  }

  /** Connect reads an allOf only as a constrained number or string (const, enum, format). */
  private allOfType(branches: readonly unknown[]): SqlType {
    const nodes = branches.filter(isNode);
    const number = nodes.find((b) => b['type'] === 'number' || b['type'] === 'integer');
    if (number !== undefined) return this.sqlType(number);
    if (nodes.some((b) => b['type'] === 'string')) return STRING;
    throw new UnsupportedSchema('an allOf that is not a constrained number or string');
  }

  private arrayType(schema: Node): SqlType {
    const items = schema['items'];
    if (items === undefined) throw new UnsupportedSchema('an array schema without its items type');
    if (schema['connect.type'] === 'map' && isNode(items) && isNode(items['properties'])) {
      return mapType(STRING, this.sqlType((items['properties'] as Node)['value']));
    }
    return arrayType(this.sqlType(items));
  }

  private objectType(schema: Node): SqlType {
    if (schema['connect.type'] === 'map') return mapType(STRING, this.sqlType(schema['additionalProperties']));
    const properties = isNode(schema['properties']) ? Object.entries(schema['properties']) : [];
    const indexed = properties.map(([name, property], position) => {
      const index = isNode(property) && typeof property['connect.index'] === 'number' ? property['connect.index'] : position;
      return { name, property, index };
    });
    indexed.sort((a, b) => a.index - b.index);
    const fields: { name: string; type: SqlType }[] = [];
    for (const { name, property } of indexed) {
      try {
        fields.push({ name: this.keepNames ? name : name.toUpperCase(), type: this.sqlType(property) });
      } catch (error) {
        if (!(error instanceof UnsupportedSchema)) throw error;
      }
    }
    return { kind: 'STRUCT', fields };
  }
}

function numberType(schema: Node, type: 'integer' | 'number'): SqlType {
  const title = schema['title'];
  switch (schema['connect.type']) {
    case 'int8':
    case 'int16':
      return INTEGER;
    case 'int32':
      return title === CONNECT_LOGICAL_NAMES.date ? DATE : title === CONNECT_LOGICAL_NAMES.time ? TIME : INTEGER;
    case 'int64':
      return title === CONNECT_LOGICAL_NAMES.timestamp ? TIMESTAMP : BIGINT;
    case 'float32':
    case 'float64':
      return DOUBLE;
    case 'bytes':
      return bytesType(schema);
    case undefined:
      return type === 'integer' ? BIGINT : DOUBLE;
    default:
      throw new UnsupportedSchema(`unknown connect.type ${JSON.stringify(schema['connect.type'])}`);
  }
}

/** Connect's bytes: a DECIMAL when titled as Connect's Decimal, else BYTES. */
function bytesType(schema: Node): SqlType {
  if (schema['title'] !== CONNECT_LOGICAL_NAMES.decimal) return BYTES;
  const parameters = isNode(schema['connect.parameters']) ? schema['connect.parameters'] : {};
  const precision = Number(parameters['connect.decimal.precision'] ?? DEFAULT_DECIMAL_PRECISION);
  return decimalType(precision, Number(parameters['scale'] ?? 0));
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
