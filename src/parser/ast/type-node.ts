/**
 * SQL types as written in statements. A type that uses only built-in types is
 * a plain `SqlType` (src/schema/sql-type.ts); a type that names a custom type
 * (`CREATE TYPE ADDRESS AS STRUCT<...>`) anywhere inside it is built from the
 * `*TypeNode` shapes below, with a `NamedType` leaf for each custom name. The
 * analyzer turns a TypeNode into a SqlType with `resolveTypeNode`.
 */
import { arrayType, mapType, structType, type SqlType } from '../../schema/sql-type.js';

/** A reference to a type registered with CREATE TYPE; `name` is normalized. */
export interface NamedType {
  readonly kind: 'NamedType';
  readonly name: string;
}

export interface ArrayTypeNode {
  readonly kind: 'ArrayTypeNode';
  readonly element: TypeNode;
}

export interface MapTypeNode {
  readonly kind: 'MapTypeNode';
  readonly key: TypeNode;
  readonly value: TypeNode;
}

export interface StructTypeNodeField {
  readonly name: string;
  readonly type: TypeNode;
}

export interface StructTypeNode {
  readonly kind: 'StructTypeNode';
  readonly fields: readonly StructTypeNodeField[];
}

/** Only used when a named type occurs inside; otherwise the type is a SqlType. */
export type CompositeTypeNode = ArrayTypeNode | MapTypeNode | StructTypeNode;

export type TypeNode = SqlType | NamedType | CompositeTypeNode;

export function namedType(name: string): NamedType {
  return { kind: 'NamedType', name };
}

/** True when the node is a fully built-in SqlType (no custom names inside). */
export function isSqlType(node: TypeNode): node is SqlType {
  return node.kind !== 'NamedType' && node.kind !== 'ArrayTypeNode' && node.kind !== 'MapTypeNode' && node.kind !== 'StructTypeNode';
}

/** ARRAY<element>: a SqlType when the element is one, else an ArrayTypeNode. */
export function makeArrayType(element: TypeNode): TypeNode {
  return isSqlType(element) ? arrayType(element) : { kind: 'ArrayTypeNode', element };
}

export function makeMapType(key: TypeNode, value: TypeNode): TypeNode {
  return isSqlType(key) && isSqlType(value) ? mapType(key, value) : { kind: 'MapTypeNode', key, value };
}

export function makeStructType(fields: readonly StructTypeNodeField[]): TypeNode {
  if (fields.every((f) => isSqlType(f.type))) {
    return structType(fields.map((f) => ({ name: f.name, type: f.type as SqlType })));
  }
  return { kind: 'StructTypeNode', fields };
}

/**
 * Turns a TypeNode into a SqlType, asking `lookup` for each custom type name.
 * `lookup` returns undefined for an unknown name; the caller decides the error.
 */
export function resolveTypeNode(node: TypeNode, lookup: (name: string) => SqlType | undefined): SqlType | undefined {
  switch (node.kind) {
    case 'NamedType':
      return lookup(node.name);
    case 'ArrayTypeNode': {
      const element = resolveTypeNode(node.element, lookup);
      return element === undefined ? undefined : arrayType(element);
    }
    case 'MapTypeNode': {
      const key = resolveTypeNode(node.key, lookup);
      const value = resolveTypeNode(node.value, lookup);
      return key === undefined || value === undefined ? undefined : mapType(key, value);
    }
    case 'StructTypeNode': {
      const fields = [];
      for (const f of node.fields) {
        const type = resolveTypeNode(f.type, lookup);
        if (type === undefined) return undefined;
        fields.push({ name: f.name, type });
      }
      return structType(fields);
    }
    default:
      return node;
  }
}
