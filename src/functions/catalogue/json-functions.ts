/**
 * JSON functions over STRING values, and TO_JSON_STRING over any SQL value.
 * Text that is not JSON gives NULL (or false / 0 where ksqlDB says so), never an error.
 */
import type { SqlType } from '../../schema/sql-type.js';
import { defineScalar, type ScalarFunction } from '../function-definition.js';
import { isJsonObject, jsonNodeText, JsonNumber, readJsonTree, writeJsonTree, type JsonNode } from './json-tree.js';
import { buildJsonWriter } from './json-writer.js';
import { strict, TextCache } from './value-support.js';

type PathStep = string | number;

/** Parses the JSONPath subset ksqlDB's EXTRACTJSONFIELD takes: `$.a.b`, `$['a']`, `$.a[0]`. */
function parseJsonPath(path: string): PathStep[] | null {
  let i = 0;
  if (path[0] === '$') i = 1;
  const steps: PathStep[] = [];
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i + 1) return null;
      steps.push(path.slice(i + 1, j));
      i = j;
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return null;
      const inner = path.slice(i + 1, close).trim();
      const quoted = /^'(.*)'$|^"(.*)"$/s.exec(inner);
      if (quoted) steps.push(quoted[1] ?? quoted[2]!);
      else if (/^-?\d+$/.test(inner)) steps.push(Number(inner));
      else return null;
      i = close + 1;
    } else {
      return null;
    }
  }
  return steps;
}

const pathCache = new TextCache(parseJsonPath);

function extractJsonField(json: string, path: string): string | null {
  const steps = pathCache.get(path);
  if (steps === null) return null;
  let node: JsonNode | undefined = readJsonTree(json);
  for (const step of steps) {
    if (node === undefined || node === null) return null;
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step < 0 || step >= node.length) return null;
      node = node[step];
    } else {
      if (!isJsonObject(node)) return null;
      node = node.get(step);
    }
  }
  if (node === undefined) return null;
  // A JSON null that is there is the text null, as ksqlDB (Jackson's NullNode) gives it.
  return node === null ? 'null' : jsonNodeText(node);
}

function jsonArray(json: string | null): JsonNode[] | null {
  if (json === null) return null;
  const node = readJsonTree(json);
  return Array.isArray(node) ? node : null;
}

function integralEquals(node: JsonNode, value: bigint): boolean {
  if (!(node instanceof JsonNumber) || !/^-?\d+$/.test(node.text)) return false;
  return BigInt(node.text) === value;
}

const FLOAT_TEXT = /[.eE]/;

/** How JSON_ARRAY_CONTAINS compares an array item with the value, chosen from the value's type as ksqlDB does. */
function itemMatcher(type: SqlType | null): (node: JsonNode, value: unknown) => boolean {
  switch (type?.kind) {
    case 'INTEGER':
      return (n, v) => n instanceof JsonNumber && !FLOAT_TEXT.test(n.text) && BigInt(n.text) === BigInt(v as number);
    case 'BIGINT':
      return (n, v) => n instanceof JsonNumber && !FLOAT_TEXT.test(n.text) && BigInt(n.text) === v;
    case 'DOUBLE':
      return (n, v) => n instanceof JsonNumber && FLOAT_TEXT.test(n.text) && Number(n.text) === v;
    case 'STRING':
      return (n, v) => typeof n === 'string' && n === v;
    case 'BOOLEAN':
      return (n, v) => typeof n === 'boolean' && n === v;
    default:
      return () => false;
  }
}

function jsonConcat(...inputs: (string | null)[]): string | null {
  const nodes: JsonNode[] = [];
  for (const text of inputs) {
    if (text === null) return null;
    const node = readJsonTree(text);
    if (node === undefined) return null;
    nodes.push(node);
  }
  if (nodes.length > 0 && nodes.every(isJsonObject)) {
    const merged = new Map<string, JsonNode>();
    for (const n of nodes as Map<string, JsonNode>[]) for (const [k, v] of n) merged.set(k, v);
    return writeJsonTree(merged);
  }
  const items: JsonNode[] = [];
  for (const n of nodes) {
    if (Array.isArray(n)) items.push(...n);
    else items.push(n);
  }
  return writeJsonTree(items);
}

export const JSON_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'EXTRACTJSONFIELD',
    category: 'JSON',
    description: 'The value at a JSONPath in a JSON string, as a STRING; NULL when absent.',
    variants: [{ params: 'STRING jsonString, STRING jsonPath', returns: 'STRING', impl: strict(extractJsonField) }],
  }),
  defineScalar({
    name: 'JSON_ARRAY_CONTAINS',
    category: 'JSON',
    description: 'True when a JSON array string contains the value; false for anything that is not a JSON array.',
    variants: [
      {
        params: 'STRING jsonArray, T val',
        returns: 'BOOLEAN',
        bind: (ctx) => {
          const matches = itemMatcher(ctx.paramTypes[1] ?? null);
          return (json: string | null, value: unknown) => {
            const array = jsonArray(json);
            if (array === null) return false;
            if (value === null) return array.some((n) => n === null);
            return array.some((n) => n !== null && matches(n, value));
          };
        },
      },
    ],
  }),
  defineScalar({
    name: 'JSON_ARRAY_LENGTH',
    category: 'JSON',
    description: 'The length of a top-level JSON array, or NULL.',
    variants: [{ params: 'STRING jsonArray', returns: 'INTEGER', impl: (s: string | null) => jsonArray(s)?.length ?? null }],
  }),
  defineScalar({
    name: 'JSON_KEYS',
    category: 'JSON',
    description: 'The top-level keys of a JSON object, or NULL.',
    variants: [
      {
        params: 'STRING jsonObject',
        returns: 'ARRAY<STRING>',
        impl: strict((s: string) => {
          const node = readJsonTree(s);
          return isJsonObject(node) ? [...node.keys()] : null;
        }),
      },
    ],
  }),
  defineScalar({
    name: 'JSON_RECORDS',
    category: 'JSON',
    description: 'The top-level entries of a JSON object as a map of JSON texts, or NULL.',
    variants: [
      {
        params: 'STRING jsonObject',
        returns: 'MAP<STRING, STRING>',
        impl: strict((s: string) => {
          const node = readJsonTree(s);
          if (!isJsonObject(node)) return null;
          const out = new Map<string, string | null>();
          for (const [k, v] of node) out.set(k, jsonNodeText(v));
          return out;
        }),
      },
    ],
  }),
  defineScalar({
    name: 'JSON_ITEMS',
    category: 'JSON',
    description: 'The items of a JSON array as JSON strings, or NULL.',
    variants: [{ params: 'STRING jsonArray', returns: 'ARRAY<STRING>', impl: (s: string | null) => jsonArray(s)?.map(writeJsonTree) ?? null }],
  }),
  defineScalar({
    name: 'IS_JSON_STRING',
    category: 'JSON',
    description: 'True when the string parses as a JSON value.',
    variants: [{ params: 'STRING json', returns: 'BOOLEAN', impl: (s: string | null) => s !== null && readJsonTree(s) !== undefined }],
  }),
  defineScalar({
    name: 'JSON_CONCAT',
    category: 'JSON',
    description: 'Merges JSON objects, or concatenates JSON arrays (wrapping other values); NULL if any input is not JSON.',
    variants: [{ params: 'STRING... jsonStrings', returns: 'STRING', impl: jsonConcat }],
  }),
  defineScalar({
    name: 'TO_JSON_STRING',
    category: 'JSON',
    description: 'The JSON text of any value.',
    variants: [
      {
        params: 'T val',
        returns: 'STRING',
        bind: (ctx) => {
          const type = ctx.paramTypes[0];
          if (type === null || type === undefined) return () => 'null';
          return buildJsonWriter(type);
        },
      },
    ],
  }),
];
