/**
 * Protobuf schemas in the registry: a schema must parse with protobufjs,
 * with its references as the files it imports, and every type it names must
 * resolve. Two `.proto` texts are the same schema when their package,
 * imports and parsed types (with options) are (whitespace, comments and the
 * quoting of imports do not matter), so they share an id; a serialized
 * descriptor is compared as sent.
 *
 * Compatibility follows Confluent's Protobuf rules, reader against writer:
 * the reader must keep the writer's package and every message the writer
 * declares (MESSAGE_REMOVED); a field number both use must keep its kind
 * (scalar, enum, message, map), its label (repeated or not) and its named
 * type, and a scalar may only change within a group that shares a wire
 * encoding (int32/uint32/int64/uint64/bool, sint32/sint64, fixed32/sfixed32,
 * fixed64/sfixed64, string/bytes); proto2 required fields may be neither
 * added nor removed. Adding and removing other fields is compatible: an
 * unknown field is skipped and a missing one reads as its default.
 */
import protobuf from 'protobufjs';
import type { ProtoFile } from '../formats/protobuf/proto-root.js';

/** What makes two Protobuf texts the same schema (see above); the text itself when it does not parse. */
export function protobufIdentity(text: string): string {
  try {
    const parsed = protobuf.parse(text, new protobuf.Root(), { keepCase: true });
    return JSON.stringify([parsed.package ?? null, [...(parsed.imports ?? [])].sort(), parsed.root.toJSON({ keepComments: false })]);
  } catch {
    return text;
  }
}

const WIRE_GROUPS: readonly (readonly string[])[] = [
  ['int32', 'uint32', 'int64', 'uint64', 'bool'],
  ['sint32', 'sint64'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
  ['string', 'bytes'],
];

/** Why `reader` cannot read what `writer` wrote: one message per problem, empty when it can. */
export function protobufReadProblems(reader: ProtoFile, writer: ProtoFile): string[] {
  const problems: string[] = [];
  if ((reader.packageName ?? '') !== (writer.packageName ?? '')) {
    problems.push(`PACKAGE_CHANGED: package ${writer.packageName ?? '(none)'} became ${reader.packageName ?? '(none)'}`);
  }
  const readerTypes = declaredMessages(reader);
  for (const [name, writerType] of declaredMessages(writer)) {
    const readerType = readerTypes.get(name);
    if (readerType === undefined) {
      problems.push(`MESSAGE_REMOVED: message ${name} is missing`);
      continue;
    }
    problems.push(...messageProblems(name, readerType, writerType, reader.packageName, writer.packageName));
  }
  return problems;
}

function messageProblems(
  name: string, reader: protobuf.Type, writer: protobuf.Type, readerPackage: string | undefined, writerPackage: string | undefined,
): string[] {
  const problems: string[] = [];
  for (const w of writer.fieldsArray) {
    const r = reader.fieldsById[w.id];
    if (r === undefined) {
      if (w.required) problems.push(`REQUIRED_FIELD_REMOVED: ${name}.${w.name} (field ${w.id}) is required and missing`);
      continue;
    }
    const where = `${name}.${r.name} (field ${w.id})`;
    if (kindOf(r) !== kindOf(w)) {
      problems.push(`FIELD_KIND_CHANGED: ${where} was a ${kindOf(w)} and is a ${kindOf(r)}`);
    } else if (r.repeated !== w.repeated) {
      problems.push(`FIELD_LABEL_CHANGED: ${where} ${w.repeated ? 'was' : 'was not'} repeated`);
    } else if (kindOf(w) === 'scalar' && !sameWireGroup(r.type, w.type)) {
      problems.push(`FIELD_SCALAR_KIND_CHANGED: ${where} was ${w.type} and is ${r.type}`);
    } else if (kindOf(w) !== 'scalar' && typeName(r, readerPackage) !== typeName(w, writerPackage)) {
      problems.push(`FIELD_NAMED_TYPE_CHANGED: ${where} was ${typeName(w, writerPackage)} and is ${typeName(r, readerPackage)}`);
    }
  }
  for (const r of reader.fieldsArray) {
    if (r.required && writer.fieldsById[r.id] === undefined) problems.push(`REQUIRED_FIELD_ADDED: ${name}.${r.name} (field ${r.id}) is required and new`);
  }
  return problems;
}

function kindOf(field: protobuf.Field): string {
  if (field instanceof protobuf.MapField) return 'map';
  if (field.resolvedType instanceof protobuf.Enum) return 'enum';
  if (field.resolvedType instanceof protobuf.Type) return 'message';
  return 'scalar';
}

/** A named type without its package, so a package change is reported once, not per field. */
function typeName(field: protobuf.Field, packageName: string | undefined): string {
  const resolved = field.resolvedType;
  const full = resolved === null ? field.type : resolved.fullName.slice(1);
  const own = packageName !== undefined && full.startsWith(`${packageName}.`) ? full.slice(packageName.length + 1) : full;
  return field instanceof protobuf.MapField ? `map<${field.keyType}, ${own}>` : own;
}

function sameWireGroup(a: string, b: string): boolean {
  return a === b || WIRE_GROUPS.some((group) => group.includes(a) && group.includes(b));
}

/** Every message the file itself declares, nested ones too, by name relative to its package. */
function declaredMessages(file: ProtoFile): Map<string, protobuf.Type> {
  const out = new Map<string, protobuf.Type>();
  const visit = (type: protobuf.Type, prefix: string): void => {
    const name = `${prefix}${type.name}`;
    out.set(name, type);
    for (const nested of type.nestedArray) if (nested instanceof protobuf.Type) visit(nested, `${name}.`);
  };
  for (const message of file.messages) visit(message, '');
  return out;
}
