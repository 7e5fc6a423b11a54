/**
 * JSON Schema for the registry: a schema is a JSON object or boolean whose
 * structural keywords (`type`, `properties`, `required`, `items`,
 * `additionalProperties`, `enum`, the combinators `allOf`, `anyOf`, `oneOf`
 * and `not`, `definitions`, `$defs` and `$ref`) are well formed. The
 * compatibility check covers the structural keywords and the sum types
 * `oneOf`/`anyOf`, with Confluent's rules for them: a reader reads a writer's
 * data when it accepts every type the writer allows (integer reads as
 * number), requires nothing the writer did not, knows every enum value,
 * reads each shared property and item, and takes the writer's properties
 * without a closed content model refusing them; a property the writer's open
 * content model could carry with any value cannot be narrowed by the reader;
 * every branch of a writer's sum type (a schema without one is its own only
 * branch) must be read by a branch of the reader's, so a sum type may gain
 * branches but not lose them (an optional property, `oneOf` null and a type,
 * cannot become required). `allOf`, `not`, `$ref` and value bounds are not compared.
 */

export type JsonSchema = boolean | Readonly<Record<string, unknown>>;

export class JsonSchemaError extends Error {}

const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);

export function parseJsonSchema(text: string): JsonSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new JsonSchemaError(`Invalid JSON: ${(error as Error).message}`);
  }
  checkSchema(json, '#');
  return json as JsonSchema;
}

function checkSchema(json: unknown, path: string): void {
  if (typeof json === 'boolean') return;
  if (!isObject(json)) throw new JsonSchemaError(`${path} is not a schema (an object or a boolean)`);
  const type = json['type'];
  if (type !== undefined) {
    const names = Array.isArray(type) ? type : [type];
    for (const name of names) if (typeof name !== 'string' || !TYPES.has(name)) throw new JsonSchemaError(`${path}/type: unknown type ${JSON.stringify(name)}`);
  }
  const properties = json['properties'];
  if (properties !== undefined) {
    if (!isObject(properties)) throw new JsonSchemaError(`${path}/properties is not an object`);
    for (const [name, schema] of Object.entries(properties)) checkSchema(schema, `${path}/properties/${name}`);
  }
  const required = json['required'];
  if (required !== undefined && (!Array.isArray(required) || !required.every((r) => typeof r === 'string'))) {
    throw new JsonSchemaError(`${path}/required is not an array of names`);
  }
  const items = json['items'];
  if (items !== undefined) {
    if (Array.isArray(items)) items.forEach((item, i) => checkSchema(item, `${path}/items/${i}`));
    else checkSchema(items, `${path}/items`);
  }
  const additional = json['additionalProperties'];
  if (additional !== undefined) checkSchema(additional, `${path}/additionalProperties`);
  const values = json['enum'];
  if (values !== undefined && !Array.isArray(values)) throw new JsonSchemaError(`${path}/enum is not an array`);
  for (const keyword of COMBINATORS) {
    const branches = json[keyword];
    if (branches === undefined) continue;
    if (!Array.isArray(branches) || branches.length === 0) throw new JsonSchemaError(`${path}/${keyword} is not a non-empty array of schemas`);
    branches.forEach((branch, i) => checkSchema(branch, `${path}/${keyword}/${i}`));
  }
  if (json['not'] !== undefined) checkSchema(json['not'], `${path}/not`);
  for (const keyword of ['definitions', '$defs']) {
    const definitions = json[keyword];
    if (definitions === undefined) continue;
    if (!isObject(definitions)) throw new JsonSchemaError(`${path}/${keyword} is not an object`);
    for (const [name, schema] of Object.entries(definitions)) checkSchema(schema, `${path}/${keyword}/${name}`);
  }
  if (json['$ref'] !== undefined && typeof json['$ref'] !== 'string') throw new JsonSchemaError(`${path}/$ref is not a string`);
}

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;

/** Why `reader` cannot read data valid under `writer`: one message per problem, empty when it can. */
export function jsonReadProblems(reader: JsonSchema, writer: JsonSchema, path = '#'): string[] {
  if (writer === false || reader === true) return [];
  if (reader === false) return [`TYPE_NARROWED at '${path}': the reader accepts nothing`];
  const w: Readonly<Record<string, unknown>> = writer === true ? {} : writer;
  const readerBranches = sumBranches(reader);
  const writerBranches = sumBranches(w);
  if (readerBranches !== undefined || writerBranches !== undefined) {
    return sumTypeProblems(readerBranches ?? [reader], writerBranches ?? [w], path);
  }
  const problems: string[] = [];
  const readerTypes = typesOf(reader);
  const writerTypes = typesOf(w);
  if (readerTypes !== undefined) {
    if (writerTypes === undefined) problems.push(`TYPE_NARROWED at '${path}': the reader allows only [${[...readerTypes].join(', ')}], the writer any type`);
    else {
      const lost = [...writerTypes].filter((t) => !readerTypes.has(t) && !(t === 'integer' && readerTypes.has('number')));
      if (lost.length > 0) problems.push(`TYPE_NARROWED at '${path}/type': the reader does not allow [${lost.join(', ')}]`);
    }
  }
  const writerRequired = new Set(asStrings(w['required']));
  for (const name of asStrings(reader['required'])) {
    if (!writerRequired.has(name)) problems.push(`REQUIRED_PROPERTY_ADDED at '${path}/required': the reader requires '${name}', which the writer does not`);
  }
  problems.push(...propertyProblems(reader, w, path));
  const readerEnum = reader['enum'];
  if (Array.isArray(readerEnum)) {
    const writerEnum = w['enum'];
    if (!Array.isArray(writerEnum)) problems.push(`ENUM_ARRAY_NARROWED at '${path}/enum': the reader allows only listed values, the writer any`);
    else {
      const known = new Set(readerEnum.map((v) => JSON.stringify(v)));
      const lost = writerEnum.filter((v) => !known.has(JSON.stringify(v)));
      if (lost.length > 0) problems.push(`ENUM_ARRAY_NARROWED at '${path}/enum': the reader lacks ${JSON.stringify(lost)}`);
    }
  }
  const readerItems = reader['items'];
  const writerItems = w['items'];
  if (isSchema(readerItems) && isSchema(writerItems)) problems.push(...jsonReadProblems(readerItems, writerItems, `${path}/items`));
  return problems;
}

/** The branches of a `oneOf` or `anyOf`, or undefined for a schema that is not a sum type. */
function sumBranches(schema: Readonly<Record<string, unknown>>): JsonSchema[] | undefined {
  const branches = schema['oneOf'] ?? schema['anyOf'];
  return Array.isArray(branches) ? branches.filter(isSchema) : undefined;
}

function sumTypeProblems(reader: readonly JsonSchema[], writer: readonly JsonSchema[], path: string): string[] {
  const problems: string[] = [];
  writer.forEach((branch, i) => {
    if (!reader.some((r) => jsonReadProblems(r, branch, path).length === 0)) {
      problems.push(`SUM_TYPE_NARROWED at '${path}': no branch of the reader reads the writer's branch ${i} ${JSON.stringify(branch)}`);
    }
  });
  return problems;
}

function propertyProblems(reader: Readonly<Record<string, unknown>>, writer: Readonly<Record<string, unknown>>, path: string): string[] {
  const problems: string[] = [];
  const readerProps = isObject(reader['properties']) ? reader['properties'] : {};
  const writerProps = isObject(writer['properties']) ? writer['properties'] : {};
  const writerOpen = writer['additionalProperties'] !== false;
  for (const [name, schema] of Object.entries(readerProps)) {
    const written = writerProps[name];
    if (written !== undefined) problems.push(...jsonReadProblems(schema as JsonSchema, written as JsonSchema, `${path}/properties/${name}`));
    else if (writerOpen && schema !== true && !(isObject(schema) && Object.keys(schema).length === 0)) {
      problems.push(`PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at '${path}/properties/${name}': the writer's open content model may carry '${name}' with any value`);
    }
  }
  if (reader['additionalProperties'] === false) {
    for (const name of Object.keys(writerProps)) {
      if (!(name in readerProps)) problems.push(`PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at '${path}/properties/${name}': the reader's closed content model refuses the writer's '${name}'`);
    }
    if (writerOpen) problems.push(`ADDITIONAL_PROPERTIES_NARROWED at '${path}/additionalProperties': the reader refuses properties the writer allows`);
  }
  return problems;
}

function typesOf(schema: Readonly<Record<string, unknown>>): Set<string> | undefined {
  const type = schema['type'];
  if (type === undefined) return undefined;
  return new Set((Array.isArray(type) ? type : [type]) as string[]);
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isObject(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
