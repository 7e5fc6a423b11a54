import test from 'ava';
import { lookupFormat } from '../../../src/formats/index.js';
import type { SchemaColumnsOptions } from '../../../src/formats/index.js';
import { serializedSchema } from '../../../src/formats/protobuf/proto-root.js';
import { formatSqlType } from '../../../src/schema/sql-type.js';

function columns(schema: string, options: SchemaColumnsOptions = {}, target: 'key' | 'value' = 'value'): string[] {
  const inferred = lookupFormat('PROTOBUF').schemaColumns!(schema, target, options);
  if (inferred.unwrapped) throw new Error('PROTOBUF never reads a message as one anonymous column');
  return inferred.columns.map((c) => `${c.name} ${formatSqlType(c.type)}`);
}

test('scalars, enums, lists, maps and nested messages map as Connect maps them; names are upper-cased', (t) => {
  const schema = `syntax = "proto3";
    message V {
      enum Suit { SPADES = 0; HEARTS = 1; }
      message Inner { sint32 x = 1; }
      bool b = 1; int32 i = 2; uint32 u = 3; int64 l = 4; fixed64 f = 5; float fl = 6; double d = 7; string s = 8; bytes by = 9;
      Suit suit = 10; repeated string tags = 11; map<string, Inner> m = 12; Inner inner = 13;
    }`;
  t.deepEqual(columns(schema), [
    'B BOOLEAN', 'I INTEGER', 'U BIGINT', 'L BIGINT', 'F BIGINT', 'FL DOUBLE', 'D DOUBLE', 'S STRING', 'BY BYTES', 'SUIT STRING',
    'TAGS ARRAY<STRING>', 'M MAP<STRING, STRUCT<`X` INTEGER>>', 'INNER STRUCT<`X` INTEGER>',
  ]);
});

test('wrappers are their primitive; Timestamp, Date, TimeOfDay and confluent Decimal are TIMESTAMP, DATE, TIME and DECIMAL', (t) => {
  const schema = `syntax = "proto3";
    import "google/protobuf/wrappers.proto"; import "google/protobuf/timestamp.proto"; import "google/type/date.proto";
    import "google/type/timeofday.proto"; import "confluent/type/decimal.proto"; import "confluent/meta.proto";
    message V {
      google.protobuf.Int64Value w = 1; google.protobuf.Timestamp ts = 2; google.type.Date d = 3; google.type.TimeOfDay t = 4;
      confluent.type.Decimal dec = 5 [(confluent.field_meta) = { params: [{ value: "4", key: "precision" }, { value: "2", key: "scale" }]}];
    }`;
  t.deepEqual(columns(schema), ['W BIGINT', 'TS TIMESTAMP', 'D DATE', 'T TIME', 'DEC DECIMAL(4, 2)']);
});

test('a key message gives key columns; the full name picks the message; keepNames keeps the case; references resolve imports', (t) => {
  const schema = 'syntax = "proto3"; package p; message A { uint32 k1 = 1; } message B { string k2 = 1; }';
  t.deepEqual(columns(schema, {}, 'key'), ['K1 BIGINT']);
  t.deepEqual(columns(schema, { fullSchemaName: 'B' }, 'key'), ['K2 STRING']);
  t.deepEqual(columns(schema, { fullSchemaName: 'p.B', keepNames: true }, 'key'), ['k2 STRING']);
  t.throws(() => columns(schema, { fullSchemaName: 'C' }), { message: /no message C/ });
  const main = 'syntax = "proto3"; import "event.proto"; message Logistics { Event event = 1; }';
  t.deepEqual(columns(main, { references: [{ name: 'event.proto', schema: 'syntax = "proto3"; message Event { int64 timestamp = 1; }' }] }), [
    'EVENT STRUCT<`TIMESTAMP` BIGINT>',
  ]);
  t.throws(() => columns(main), { message: /event.proto/ });
});

test('a schema serialized as a base64 FileDescriptorProto (Confluent\'s clients\' form) reads as its .proto text does', (t) => {
  const schema = `syntax = "proto3"; package p;
    message V { message Inner { sint32 x = 1; } map<string, Inner> inner_map = 1; repeated Inner list = 2; optional int64 o = 3; }`;
  const serialized = serializedSchema(schema);
  t.regex(serialized, /^[A-Za-z0-9+/]+=*$/);
  t.deepEqual(columns(serialized), columns(schema));
  t.deepEqual(columns(serialized), ['INNER_MAP MAP<STRING, STRUCT<`X` INTEGER>>', 'LIST ARRAY<STRUCT<`X` INTEGER>>', 'O BIGINT']);
  t.is(serializedSchema(serialized), serialized);
});
