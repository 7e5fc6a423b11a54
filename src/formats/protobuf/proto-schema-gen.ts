/**
 * The `.proto` text ksqlDB generates for a source's key or value columns
 * (Connect's ProtobufData): one message, `ConnectDefault1` unless a full
 * schema name is given (its dotted prefix becomes the package), fields
 * numbered from 1 in column order; each STRUCT is a message nested in the
 * message that uses it, named `ConnectDefault2`, `ConnectDefault3`... in the
 * order they are met; ARRAY is `repeated`, MAP `map<string, V>`; DECIMAL,
 * DATE, TIME and TIMESTAMP are confluent.type.Decimal (precision and scale
 * in `confluent.field_meta`), google.type.Date, google.type.TimeOfDay and
 * google.protobuf.Timestamp. Keys are always a message (PROTOBUF cannot
 * unwrap single columns). The nullable representation decides how a NULL
 * primitive can be told from its default: none (proto3 defaults), OPTIONAL
 * (`optional` fields) or WRAPPER (google.protobuf wrapper messages).
 */
import type { Column } from '../../schema/logical-schema.js';
import type { SqlType, StructField } from '../../schema/sql-type.js';

export const DEFAULT_PROTOBUF_MESSAGE_NAME = 'ConnectDefault1';

export type NullableRepresentation = 'DEFAULT' | 'OPTIONAL' | 'WRAPPER';

const WRAPPERS: Partial<Record<SqlType['kind'], string>> = {
  BOOLEAN: 'google.protobuf.BoolValue',
  INTEGER: 'google.protobuf.Int32Value',
  BIGINT: 'google.protobuf.Int64Value',
  DOUBLE: 'google.protobuf.DoubleValue',
  STRING: 'google.protobuf.StringValue',
  BYTES: 'google.protobuf.BytesValue',
};

const SCALARS: Partial<Record<SqlType['kind'], string>> = {
  BOOLEAN: 'bool', INTEGER: 'int32', BIGINT: 'int64', DOUBLE: 'double', STRING: 'string', BYTES: 'bytes',
};

interface Generation {
  readonly nullable: NullableRepresentation;
  readonly imports: Set<string>;
  nextName: number;
}

/** The schema text for `columns` (each a field of the one message). */
export function protoSchemaOfColumns(columns: readonly Column[], fullName: string | undefined, nullable: NullableRepresentation): string {
  const name = fullName === undefined || fullName.trim() === '' ? DEFAULT_PROTOBUF_MESSAGE_NAME : fullName.trim();
  const dot = name.lastIndexOf('.');
  const gen: Generation = { nullable, imports: new Set(), nextName: 2 };
  const body = messageText(dot < 0 ? name : name.slice(dot + 1), columns, gen, '');
  const lines = ['syntax = "proto3";', ''];
  if (dot >= 0) lines.push(`package ${name.slice(0, dot)};`, '');
  if (gen.imports.size > 0) lines.push(...[...gen.imports].sort().map((i) => `import "${i}";`), '');
  return `${lines.join('\n')}\n${body}`;
}

function messageText(name: string, fields: readonly StructField[], gen: Generation, indent: string): string {
  const nested: string[] = [];
  const lines = fields.map((f, i) => `${indent}  ${fieldText(f.name, f.type, i + 1, gen, nested, indent)}`);
  const inner = nested.length === 0 ? '' : `\n${nested.join('\n')}`;
  return `${indent}message ${name} {\n${lines.join('\n')}\n${inner}${indent}}\n`;
}

function fieldText(name: string, type: SqlType, number: number, gen: Generation, nested: string[], indent: string): string {
  const fieldName = name.replace(/\./g, '_');
  switch (type.kind) {
    case 'ARRAY':
      return `repeated ${elementType(type.element, gen, nested, indent)} ${fieldName} = ${number};`;
    case 'MAP':
      return `map<string, ${elementType(type.value, gen, nested, indent)}> ${fieldName} = ${number};`;
    case 'DECIMAL':
      gen.imports.add('confluent/meta.proto');
      return `${elementType(type, gen, nested, indent)} ${fieldName} = ${number} [(confluent.field_meta) = { params: [{ key: "precision", value: "${type.precision}" }, { key: "scale", value: "${type.scale}" }] }];`;
    default: {
      const wrapper = gen.nullable === 'WRAPPER' ? WRAPPERS[type.kind] : undefined;
      if (wrapper !== undefined) {
        gen.imports.add('google/protobuf/wrappers.proto');
        return `${wrapper} ${fieldName} = ${number};`;
      }
      const optional = gen.nullable === 'OPTIONAL' && SCALARS[type.kind] !== undefined ? 'optional ' : '';
      return `${optional}${elementType(type, gen, nested, indent)} ${fieldName} = ${number};`;
    }
  }
}

/** The type name of a field, list element or map value: a scalar, a well-known message or a nested message. */
function elementType(type: SqlType, gen: Generation, nested: string[], indent: string): string {
  const scalar = SCALARS[type.kind];
  if (scalar !== undefined) return scalar;
  switch (type.kind) {
    case 'DECIMAL':
      gen.imports.add('confluent/type/decimal.proto');
      return 'confluent.type.Decimal';
    case 'DATE':
      gen.imports.add('google/type/date.proto');
      return 'google.type.Date';
    case 'TIME':
      gen.imports.add('google/type/timeofday.proto');
      return 'google.type.TimeOfDay';
    case 'TIMESTAMP':
      gen.imports.add('google/protobuf/timestamp.proto');
      return 'google.protobuf.Timestamp';
    case 'STRUCT': {
      const name = `ConnectDefault${gen.nextName++}`;
      nested.push(messageText(name, type.fields, gen, `${indent}  `));
      return name;
    }
    default:
      throw new Error(`PROTOBUF cannot hold a ${type.kind} directly inside an ARRAY or MAP`);
  }
}
