/**
 * Protobuf schemas in Confluent's "serialized" form: a base64-encoded
 * FileDescriptorProto, which Confluent's clients register and ask for
 * (`?format=serialized`) instead of `.proto` text. `readDescriptor` turns
 * one into protobufjs reflection; `serializeDescriptor` writes the
 * descriptor of a parsed file, its type names fully qualified and its map
 * entries named `<Field>Entry`, as protoc writes them.
 */
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Whether schema text is a serialized descriptor rather than `.proto` text (which always has spaces or `;`). */
export function isSerializedDescriptor(text: string): boolean {
  return BASE64.test(text.trim());
}

export interface DescriptorFile {
  readonly root: protobuf.Root;
  readonly packageName: string | undefined;
  readonly syntax: string;
  readonly imports: readonly string[];
}

export function readDescriptor(text: string): DescriptorFile {
  const file = descriptor.FileDescriptorProto.decode(Buffer.from(text.trim(), 'base64')) as unknown as descriptor.IFileDescriptorProto;
  const root = protobuf.Root.fromDescriptor({ file: [file] }, { keepCase: true });
  return {
    root,
    packageName: file.package === '' || file.package == null ? undefined : file.package,
    syntax: file.syntax === '' || file.syntax == null ? 'proto2' : file.syntax,
    imports: file.dependency ?? [],
  };
}

/** The base64 FileDescriptorProto of a file's own types (those of its package), importing what it imports. */
export function serializeDescriptor(root: protobuf.Root, packageName: string | undefined, syntax: string, imports: readonly string[]): string {
  const set = (root as unknown as { toDescriptor(edition: string): descriptor.IFileDescriptorSet }).toDescriptor(syntax);
  const own = (set.file ?? []).find((f) => (f.package ?? '') === (packageName ?? '')) ?? descriptor.FileDescriptorProto.create({});
  own.dependency = [...imports];
  const namespace = packageName === undefined ? root : root.lookup(packageName);
  for (const message of own.messageType ?? []) {
    const type = namespace instanceof protobuf.Namespace ? namespace.get(message.name ?? '') : null;
    if (type instanceof protobuf.Type) qualify(message, type);
  }
  return Buffer.from(descriptor.FileDescriptorProto.encode(own).finish()).toString('base64');
}

/** Fully qualified type names, and protoc's names for map entries, in one message descriptor and its nested ones. */
function qualify(message: descriptor.IDescriptorProto, type: protobuf.Type): void {
  const entries = new Set<descriptor.IDescriptorProto>();
  for (const field of message.field ?? []) {
    const reflected = type.fields[field.name ?? ''];
    if (reflected instanceof protobuf.MapField) {
      const entry = (message.nestedType ?? []).find((n) => n.name === field.typeName);
      const entryName = `${(field.name ?? '').replace(/(?:^|_)([a-z])/g, (_: string, c: string) => c.toUpperCase())}Entry`;
      field.typeName = `${type.fullName}.${entryName}`;
      if (entry === undefined) continue;
      entries.add(entry);
      entry.name = entryName;
      const value = (entry.field ?? []).find((f) => f.name === 'value');
      if (value !== undefined && reflected.resolvedType !== null) value.typeName = reflected.resolvedType.fullName;
    } else if (reflected?.resolvedType) {
      field.typeName = reflected.resolvedType.fullName;
    }
  }
  for (const nested of message.nestedType ?? []) {
    const inner = entries.has(nested) ? null : type.get(nested.name ?? '');
    if (inner instanceof protobuf.Type) qualify(nested, inner);
  }
}
