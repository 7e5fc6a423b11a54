/**
 * The session a request body carries, read one way for /ksql and the query
 * endpoints: property overrides (normalized, parsed per property) and
 * variables (names upper-cased, as DEFINE stores them).
 */
import { KsqlError } from '../common/errors.js';
import { normalizePropertyName, parseOverride, type PropertyValue } from '../engine/config.js';
import { badRequest } from './error-response.js';

export interface RequestSession {
  readonly properties: Record<string, PropertyValue>;
  readonly variables: Map<string, string>;
}

/** Reads `fields[propertiesField]` and `fields.sessionVariables`, objects of scalars when present. */
export function readRequestSession(fields: Record<string, unknown>, propertiesField: string): RequestSession {
  const properties: Record<string, PropertyValue> = {};
  for (const [name, value] of Object.entries(scalarMap(fields[propertiesField], propertiesField))) {
    const key = normalizePropertyName(name);
    properties[key] = parseOverride(key, value);
  }
  const variables = new Map<string, string>();
  for (const [name, value] of Object.entries(scalarMap(fields.sessionVariables, 'sessionVariables'))) variables.set(name.toUpperCase(), String(value));
  return { properties, variables };
}

function scalarMap(value: unknown, field: string): Record<string, PropertyValue> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`'${field}' must be a JSON object.`);
  const result: Record<string, PropertyValue> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new KsqlError('BAD_REQUEST', `'${field}.${k}' must be a string, number or boolean.`);
    }
    result[k] = v;
  }
  return result;
}
