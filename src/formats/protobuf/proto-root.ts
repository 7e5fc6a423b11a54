/**
 * A `.proto` file parsed with protobufjs at run time, with what it imports:
 * schema references (other registered files, by import name), google's
 * well-known files protobufjs ships, and the files of the types ksqlDB maps
 * that it does not ship (google/type/date.proto, google/type/timeofday.proto,
 * confluent/type/decimal.proto, confluent/meta.proto), declared here with
 * their published field numbers. `messages` are the file's own top-level
 * messages in declaration order: Confluent's message indexes count them.
 */
import protobuf from 'protobufjs';
import { isSerializedDescriptor, readDescriptor, serializeDescriptor, type DescriptorFile } from './proto-descriptor.js';

/** A file a schema imports, as the registry resolves a reference: its import name and text. */
export interface ProtoImport {
  readonly name: string;
  readonly schema: string;
}

export interface ProtoFile {
  readonly root: protobuf.Root;
  readonly packageName: string | undefined;
  readonly syntax: string;
  readonly imports: readonly string[];
  /** The file's own top-level messages, in declaration order. */
  readonly messages: readonly protobuf.Type[];
}

export class ProtoSchemaError extends Error {}

const BUILT_IN_FILES: Readonly<Record<string, string>> = {
  'google/type/date.proto': 'syntax = "proto3"; package google.type; message Date { int32 year = 1; int32 month = 2; int32 day = 3; }',
  'google/type/timeofday.proto':
    'syntax = "proto3"; package google.type; message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }',
  'confluent/type/decimal.proto':
    'syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }',
  // The options themselves are read from the parsed text; only the message type is needed here.
  'confluent/meta.proto': 'syntax = "proto3"; package confluent; message Meta { string doc = 1; map<string, string> params = 2; }',
};

/**
 * Parses `text` (`.proto` text, or a serialized descriptor as Confluent's
 * clients send) and every file it imports; throws ProtoSchemaError when any
 * does not parse or a type is unknown.
 */
export function parseProtoFile(text: string, imports: readonly ProtoImport[] = []): ProtoFile {
  const main = readMain(text);
  const { root } = main;
  const messages = topLevelMessages(root, main.packageName);
  const byName = new Map(imports.map((i) => [i.name, i.schema]));
  const done = new Set<string>();
  const pending = [...main.imports];
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (done.has(name)) continue;
    done.add(name);
    const referenced = byName.get(name);
    if (referenced !== undefined) {
      if (isSerializedDescriptor(referenced)) throw new ProtoSchemaError(`the import "${name}" is a serialized descriptor: register it as .proto text`);
      const parsed = parseInto(referenced, root, name);
      pending.push(...(parsed.imports ?? []), ...(parsed.weakImports ?? []));
      continue;
    }
    const common = protobuf.common.get(name);
    if (common !== null && common !== undefined) {
      root.addJSON((common as { nested: protobuf.INamespace['nested'] }).nested!);
      continue;
    }
    const builtIn = BUILT_IN_FILES[name];
    if (builtIn === undefined) throw new ProtoSchemaError(`the import "${name}" is neither a reference nor a known file`);
    parseInto(builtIn, root, name);
  }
  try {
    root.resolveAll();
  } catch (error) {
    throw new ProtoSchemaError((error as Error).message);
  }
  return { root, packageName: main.packageName, syntax: main.syntax, imports: main.imports, messages };
}

/** The schema's own file, before its imports join its root. */
function readMain(text: string): DescriptorFile {
  if (isSerializedDescriptor(text)) {
    try {
      return readDescriptor(text);
    } catch (error) {
      throw new ProtoSchemaError(`the serialized descriptor does not decode: ${(error as Error).message}`);
    }
  }
  const root = new protobuf.Root();
  const parsed = parseInto(text, root, 'the schema');
  return { root, packageName: parsed.package, syntax: syntaxOf(text), imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])] };
}

/** The schema as a base64 FileDescriptorProto (Confluent's `format=serialized`). */
export function serializedSchema(text: string, imports: readonly ProtoImport[] = []): string {
  if (isSerializedDescriptor(text)) return text.trim();
  const file = parseProtoFile(text, imports);
  return serializeDescriptor(file.root, file.packageName, file.syntax, file.imports);
}

function parseInto(text: string, root: protobuf.Root, what: string): protobuf.IParserResult {
  try {
    return protobuf.parse(text, root, { keepCase: true });
  } catch (error) {
    throw new ProtoSchemaError(`${what} does not parse: ${(error as Error).message}`);
  }
}

function topLevelMessages(root: protobuf.Root, packageName: string | undefined): protobuf.Type[] {
  const namespace = packageName === undefined ? root : root.lookup(packageName);
  if (!(namespace instanceof protobuf.Namespace)) return [];
  return namespace.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
}

function syntaxOf(text: string): string {
  return /\bsyntax\s*=\s*["'](proto[23])["']/.exec(text)?.[1] ?? 'proto2';
}

/** The message called `name` (with or without its package, or a leading dot); undefined when there is none. */
function findMessage(file: ProtoFile, name: string): protobuf.Type | undefined {
  const candidates = [name, file.packageName === undefined ? name : `${file.packageName}.${name}`];
  for (const candidate of candidates) {
    const found = file.root.lookup(candidate.startsWith('.') ? candidate : `.${candidate}`);
    if (found instanceof protobuf.Type) return found;
  }
  return undefined;
}

/** The message a serde writes: the named one, else the file's first. */
export function chooseMessage(file: ProtoFile, fullName: string | undefined): protobuf.Type {
  if (fullName !== undefined && fullName.trim() !== '') {
    const found = findMessage(file, fullName.trim());
    if (found === undefined) throw new ProtoSchemaError(`the schema has no message ${fullName.trim()}`);
    return found;
  }
  const first = file.messages[0];
  if (first === undefined) throw new ProtoSchemaError('the schema declares no message');
  return first;
}

/** Confluent's message indexes of `type`: its place among the file's top-level messages, then among its parent's nested ones. */
export function messageIndexes(file: ProtoFile, type: protobuf.Type): number[] {
  const path: number[] = [];
  let current: protobuf.ReflectionObject = type;
  while (current.parent instanceof protobuf.Type) {
    const siblings: protobuf.Type[] = current.parent.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
    path.unshift(siblings.indexOf(current as protobuf.Type));
    current = current.parent;
  }
  const top = file.messages.indexOf(current as protobuf.Type);
  if (top < 0) throw new ProtoSchemaError(`the message ${type.fullName.slice(1)} is not declared in the schema`);
  return [top, ...path];
}

/** The message that `indexes` point at. */
export function messageAt(file: ProtoFile, indexes: readonly number[]): protobuf.Type {
  let type = file.messages[indexes[0] ?? 0];
  for (const index of indexes.slice(1)) {
    const nested: protobuf.Type[] | undefined = type?.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
    type = nested?.[index];
  }
  if (type === undefined) throw new ProtoSchemaError(`no message at index [${indexes.join(', ')}] of the schema`);
  return type;
}
