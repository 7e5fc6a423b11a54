/**
 * The registry of every built-in function. `createFunctionRegistry()` gives a
 * fresh registry holding them all; callers may register more (UDAFs, UDTFs).
 */
import type { FunctionDefinition } from './function-definition.js';
import { FunctionRegistry } from './registry.js';
import { BYTES_FUNCTIONS } from './catalogue/bytes-functions.js';
import { COLLECTION_FUNCTIONS } from './catalogue/collection-functions.js';
import { DATETIME_FUNCTIONS } from './catalogue/datetime-functions.js';
import { JSON_FUNCTIONS } from './catalogue/json-functions.js';
import { LAMBDA_FUNCTIONS } from './catalogue/lambda-functions.js';
import { MASK_FUNCTIONS } from './catalogue/mask-functions.js';
import { MATH_FUNCTIONS } from './catalogue/math-functions.js';
import { NULL_FUNCTIONS } from './catalogue/null-functions.js';
import { REGEX_FUNCTIONS } from './catalogue/regex-functions.js';
import { STRING_FUNCTIONS } from './catalogue/string-functions.js';
import { URL_FUNCTIONS } from './catalogue/url-functions.js';
import { AGGREGATE_FUNCTIONS } from './aggregates/index.js';
import { TABLE_FUNCTIONS } from './table-functions.js';

export const BUILTIN_SCALAR_FUNCTIONS: readonly FunctionDefinition[] = [
  ...STRING_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...MASK_FUNCTIONS,
  ...NULL_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...JSON_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...LAMBDA_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...BYTES_FUNCTIONS,
];

export function createFunctionRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const def of BUILTIN_SCALAR_FUNCTIONS) registry.register(def);
  for (const def of AGGREGATE_FUNCTIONS) registry.register(def);
  for (const def of TABLE_FUNCTIONS) registry.register(def);
  return registry;
}
