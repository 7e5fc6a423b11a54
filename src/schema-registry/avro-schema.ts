/**
 * Avro schemas as the registry needs them: the JSON text parsed into a tree of
 * types with named types resolved (records may refer to themselves, so the
 * tree can be cyclic), checked against the Avro specification's rules (names,
 * namespaces, no redefinition, unions without nested unions or duplicate
 * branches, enum symbols, fixed sizes, field defaults that match their type).
 * Logical types are attributes on their underlying type, as Avro reads them.
 */

type AvroPrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

interface AvroField {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly type: AvroType;
  readonly hasDefault: boolean;
}

export interface AvroNamed {
  /** The unqualified name. */
  readonly name: string;
  readonly fullName: string;
  readonly aliases: readonly string[];
}

export type AvroType =
  | { readonly kind: 'primitive'; readonly name: AvroPrimitiveName }
  | (AvroNamed & { readonly kind: 'record'; readonly fields: AvroField[] })
  | (AvroNamed & { readonly kind: 'enum'; readonly symbols: readonly string[]; readonly default: string | undefined })
  | (AvroNamed & { readonly kind: 'fixed'; readonly size: number })
  | { readonly kind: 'array'; readonly items: AvroType }
  | { readonly kind: 'map'; readonly values: AvroType }
  | { readonly kind: 'union'; readonly branches: readonly AvroType[] };

/** The named types known while parsing, by full name: a schema's references put theirs here first. */
export type AvroNames = Map<string, AvroType>;

export class AvroSchemaError extends Error {}

const PRIMITIVES = new Set<string>(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses Avro schema text; `names` holds the named types of referenced schemas and receives this schema's. */
export function parseAvroSchema(text: string, names: AvroNames = new Map()): AvroType {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AvroSchemaError(`Invalid JSON: ${(error as Error).message}`);
  }
  return parseType(json, '', names);
}

function parseType(json: unknown, namespace: string, names: AvroNames): AvroType {
  if (typeof json === 'string') return typeByName(json, namespace, names);
  if (Array.isArray(json)) return parseUnion(json, namespace, names);
  if (json === null || typeof json !== 'object') throw new AvroSchemaError(`Not a schema: ${JSON.stringify(json)}`);
  const obj = json as Record<string, unknown>;
  const type = obj['type'];
  if (type === undefined) throw new AvroSchemaError(`No type: ${JSON.stringify(json)}`);
  if (typeof type !== 'string') return parseType(type, namespace, names);
  switch (type) {
    case 'record':
    case 'error':
      return parseRecord(obj, namespace, names);
    case 'enum':
      return parseEnum(obj, namespace, names);
    case 'fixed':
      return parseFixed(obj, namespace, names);
    case 'array':
      if (!('items' in obj)) throw new AvroSchemaError('Array has no items type');
      return { kind: 'array', items: parseType(obj['items'], namespace, names) };
    case 'map':
      if (!('values' in obj)) throw new AvroSchemaError('Map has no values type');
      return { kind: 'map', values: parseType(obj['values'], namespace, names) };
    default:
      return typeByName(type, namespace, names);
  }
}

function typeByName(name: string, namespace: string, names: AvroNames): AvroType {
  if (PRIMITIVES.has(name)) return { kind: 'primitive', name: name as AvroPrimitiveName };
  const found = names.get(name.includes('.') || namespace === '' ? name : `${namespace}.${name}`) ?? names.get(name);
  if (found === undefined) throw new AvroSchemaError(`Unknown type '${name}'`);
  return found;
}

function parseUnion(json: unknown[], namespace: string, names: AvroNames): AvroType {
  const branches = json.map((branch) => parseType(branch, namespace, names));
  const seen = new Set<string>();
  for (const branch of branches) {
    if (branch.kind === 'union') throw new AvroSchemaError('A union may not directly contain another union');
    const id = branchIdentity(branch);
    if (seen.has(id)) throw new AvroSchemaError(`Duplicate in union: ${id}`);
    seen.add(id);
  }
  return { kind: 'union', branches };
}

/** What makes two union branches the same: the kind, or the full name of a named type. */
function branchIdentity(type: AvroType): string {
  if (type.kind === 'primitive') return type.name;
  if (type.kind === 'record' || type.kind === 'enum' || type.kind === 'fixed') return type.fullName;
  return type.kind;
}

function parseNamed(obj: Record<string, unknown>, namespace: string): AvroNamed & { namespace: string } {
  const name = obj['name'];
  if (typeof name !== 'string') throw new AvroSchemaError(`No name in schema: ${JSON.stringify(obj)}`);
  const declared = obj['namespace'];
  if (declared !== undefined && declared !== null && typeof declared !== 'string') throw new AvroSchemaError(`Invalid namespace: ${JSON.stringify(declared)}`);
  let fullName: string;
  if (name.includes('.')) fullName = name;
  else {
    const space = typeof declared === 'string' ? declared : namespace;
    fullName = space === '' ? name : `${space}.${name}`;
  }
  const parts = fullName.split('.');
  for (const part of parts) if (!NAME.test(part)) throw new AvroSchemaError(`Illegal name: ${fullName}`);
  if (PRIMITIVES.has(fullName)) throw new AvroSchemaError(`Illegal name: ${fullName}`);
  const aliases = obj['aliases'] ?? [];
  if (!Array.isArray(aliases) || !aliases.every((a) => typeof a === 'string')) throw new AvroSchemaError(`Invalid aliases of ${fullName}`);
  const ownSpace = parts.slice(0, -1).join('.');
  return {
    name: parts[parts.length - 1]!,
    fullName,
    aliases: aliases.map((a: string) => (a.includes('.') || ownSpace === '' ? a : `${ownSpace}.${a}`)),
    namespace: ownSpace,
  };
}

function define(names: AvroNames, type: AvroType & AvroNamed): void {
  if (names.has(type.fullName)) throw new AvroSchemaError(`Can't redefine: ${type.fullName}`);
  names.set(type.fullName, type);
}

function parseRecord(obj: Record<string, unknown>, namespace: string, names: AvroNames): AvroType {
  const { namespace: ownSpace, ...named } = parseNamed(obj, namespace);
  const fieldsJson = obj['fields'];
  if (!Array.isArray(fieldsJson)) throw new AvroSchemaError(`Record has no fields: ${named.fullName}`);
  const fields: AvroField[] = [];
  // Defined before its fields are parsed, so a field may refer to the record itself.
  const record = { kind: 'record' as const, ...named, fields };
  define(names, record);
  const fieldNames = new Set<string>();
  for (const fieldJson of fieldsJson) {
    if (fieldJson === null || typeof fieldJson !== 'object') throw new AvroSchemaError(`Invalid field in ${named.fullName}`);
    const f = fieldJson as Record<string, unknown>;
    const name = f['name'];
    if (typeof name !== 'string' || !NAME.test(name)) throw new AvroSchemaError(`Invalid field name in ${named.fullName}: ${JSON.stringify(name)}`);
    if (fieldNames.has(name)) throw new AvroSchemaError(`Duplicate field ${name} in record ${named.fullName}`);
    fieldNames.add(name);
    if (!('type' in f)) throw new AvroSchemaError(`No type for field ${name} of ${named.fullName}`);
    const type = parseType(f['type'], ownSpace, names);
    const aliases = f['aliases'] ?? [];
    if (!Array.isArray(aliases) || !aliases.every((a) => typeof a === 'string')) throw new AvroSchemaError(`Invalid aliases of field ${name}`);
    const hasDefault = 'default' in f;
    fields.push({ name, aliases, type, hasDefault });
    if (hasDefault && !defaultMatches(type, f['default'])) {
      throw new AvroSchemaError(`Invalid default for field ${name}: ${JSON.stringify(f['default'])} not a ${describeType(type)}`);
    }
  }
  return record;
}

function parseEnum(obj: Record<string, unknown>, namespace: string, names: AvroNames): AvroType {
  const { namespace: _space, ...named } = parseNamed(obj, namespace);
  const symbols = obj['symbols'];
  if (!Array.isArray(symbols)) throw new AvroSchemaError(`Enum has no symbols: ${named.fullName}`);
  const seen = new Set<string>();
  for (const symbol of symbols) {
    if (typeof symbol !== 'string' || !NAME.test(symbol)) throw new AvroSchemaError(`Illegal enum symbol in ${named.fullName}: ${JSON.stringify(symbol)}`);
    if (seen.has(symbol)) throw new AvroSchemaError(`Duplicate enum symbol: ${symbol}`);
    seen.add(symbol);
  }
  const fallback = obj['default'];
  if (fallback !== undefined && (typeof fallback !== 'string' || !seen.has(fallback))) {
    throw new AvroSchemaError(`The enum default ${JSON.stringify(fallback)} is not a symbol of ${named.fullName}`);
  }
  const type = { kind: 'enum' as const, ...named, symbols: symbols as string[], default: fallback as string | undefined };
  define(names, type);
  return type;
}

function parseFixed(obj: Record<string, unknown>, namespace: string, names: AvroNames): AvroType {
  const { namespace: _space, ...named } = parseNamed(obj, namespace);
  const size = obj['size'];
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new AvroSchemaError(`Invalid fixed size of ${named.fullName}: ${JSON.stringify(size)}`);
  const type = { kind: 'fixed' as const, ...named, size };
  define(names, type);
  return type;
}

/** Whether a field's JSON default is a value of its type (a union's default is of its first branch). */
function defaultMatches(type: AvroType, value: unknown): boolean {
  switch (type.kind) {
    case 'primitive':
      switch (type.name) {
        case 'null':
          return value === null;
        case 'boolean':
          return typeof value === 'boolean';
        case 'int':
        case 'long':
          return typeof value === 'number' && Number.isInteger(value);
        case 'float':
        case 'double':
          return typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
        case 'bytes':
        case 'string':
          return typeof value === 'string';
      }
      return false;
    case 'enum':
      return typeof value === 'string' && type.symbols.includes(value);
    case 'fixed':
      return typeof value === 'string' && value.length === type.size;
    case 'array':
      return Array.isArray(value) && value.every((item) => defaultMatches(type.items, item));
    case 'map':
      return isObject(value) && Object.values(value).every((v) => defaultMatches(type.values, v));
    case 'record':
      return isObject(value) && type.fields.every((f) => (f.name in value ? defaultMatches(f.type, value[f.name]) : f.hasDefault));
    case 'union':
      return type.branches.length > 0 && defaultMatches(type.branches[0]!, value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short name of a type for messages. */
export function describeType(type: AvroType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'record':
    case 'enum':
    case 'fixed':
      return `${type.kind} ${type.fullName}`;
    case 'array':
      return `array of ${describeType(type.items)}`;
    case 'map':
      return `map of ${describeType(type.values)}`;
    case 'union':
      return `union [${type.branches.map(describeType).join(', ')}]`;
  }
}
