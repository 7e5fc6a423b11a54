import test from 'ava';
import protobuf from 'protobufjs';
import {
  confluentFrame, confluentProtobufFrame, createSerde, DeserializationError, lookupFormat, parseProtoFile, validateFormat,
} from '../../../src/formats/index.js';
import { Decimal } from '../../../src/schema/decimal.js';
import type { Column } from '../../../src/schema/logical-schema.js';
import { BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, STRING, TIME, TIMESTAMP, type SqlType } from '../../../src/schema/sql-type.js';
import { keyColumn, valueColumn } from '../columns.js';
import { memoryRegistry } from '../avro/registry-stub.js';

function serde(columns: Column[], options: { target?: 'key' | 'value'; properties?: Record<string, string>; format?: string } = {}) {
  const registry = memoryRegistry();
  const s = createSerde({
    format: options.format ?? 'PROTOBUF', target: options.target ?? 'value', columns, topic: 't', registry, properties: options.properties ?? {},
  });
  return { serde: s, registry };
}

function decodeWith(schema: string, messageName: string, payload: Buffer): Record<string, unknown> {
  const type = protobuf.parse(schema, { keepCase: true }).root.lookupType(messageName);
  return type.toObject(type.decode(payload), { longs: String, defaults: false }) as Record<string, unknown>;
}

const STRUCT_TYPE: SqlType = { kind: 'STRUCT', fields: [{ name: 'A', type: INTEGER }, { name: 'B', type: { kind: 'ARRAY', element: STRING } }] };

test('a record is magic byte 0, the registered schema id, the message index [0] as one 0 byte, then the message', (t) => {
  const { serde: s, registry } = serde([valueColumn('FOO', INTEGER), valueColumn('BAR', STRING), valueColumn('BIG', BIGINT)]);
  const bytes = s.serialize([7, 'x', 12345678901234567n])!;
  t.is(bytes[0], 0);
  const registered = registry.latest('t-value')!;
  t.is(bytes.readInt32BE(1), registered.id);
  t.is(registered.schemaType, 'PROTOBUF');
  t.is(bytes[5], 0, 'message index [0]');
  t.deepEqual(decodeWith(registered.schema, 'ConnectDefault1', bytes.subarray(6)), { FOO: 7, BAR: 'x', BIG: '12345678901234567' });
  t.deepEqual(s.deserialize(bytes), [7, 'x', 12345678901234567n]);
  t.is(s.serialize(null), null);
  t.is(s.deserialize(null), null);
});

test('the generated schema follows ksqlDB: ConnectDefault1, nested ConnectDefaultN messages, maps, well-known types', (t) => {
  const { registry } = serde([]);
  const schema = lookupFormat('PROTOBUF').registrySchema!({
    target: 'value', features: [], properties: {},
    columns: [
      valueColumn('S', STRUCT_TYPE), valueColumn('M', { kind: 'MAP', key: STRING, value: DOUBLE }), valueColumn('D', decimalType(4, 2)),
      valueColumn('DT', DATE), valueColumn('TM', TIME), valueColumn('TS', TIMESTAMP), valueColumn('L', { kind: 'ARRAY', element: STRUCT_TYPE }),
    ],
  });
  t.regex(schema, /^syntax = "proto3";/);
  t.regex(schema, /import "confluent\/type\/decimal.proto";/);
  t.regex(schema, /import "google\/protobuf\/timestamp.proto";/);
  t.regex(schema, /message ConnectDefault1 \{\n {2}ConnectDefault2 S = 1;\n {2}map<string, double> M = 2;/);
  t.regex(schema, /confluent.type.Decimal D = 3 \[\(confluent.field_meta\) = \{ params: \[\{ key: "precision", value: "4" \}, \{ key: "scale", value: "2" \}\] \}\];/);
  t.regex(schema, /google.type.Date DT = 4;\n {2}google.type.TimeOfDay TM = 5;\n {2}google.protobuf.Timestamp TS = 6;\n {2}repeated ConnectDefault3 L = 7;/);
  t.regex(schema, / {2}message ConnectDefault2 \{\n {4}int32 A = 1;\n {4}repeated string B = 2;/);
  const named = lookupFormat('PROTOBUF').registrySchema!({ target: 'key', features: [], properties: { fullSchemaName: 'com.acme.Key' }, columns: [keyColumn('K', STRING)] });
  t.regex(named, /package com.acme;\n\nmessage Key \{\n {2}string K = 1;/);
  t.is(registry.subjects.size, 0);
});

test('well-known types round trip and are written as google and confluent messages', (t) => {
  const columns = [valueColumn('D', decimalType(6, 2)), valueColumn('DT', DATE), valueColumn('TM', TIME), valueColumn('TS', TIMESTAMP), valueColumn('B', BYTES)];
  const { serde: s, registry } = serde(columns);
  const row = [new Decimal('-1234.50'), -10, 3_723_004, 1_600_000_000_123, Buffer.from([1, 2])];
  const bytes = s.serialize(row)!;
  const type = parseProtoFile(registry.latest('t-value')!.schema).messages[0]!;
  const decoded = type.toObject(type.decode(bytes.subarray(6)), { longs: String }) as Record<string, unknown>;
  t.deepEqual(decoded.DT, { year: 1969, month: 12, day: 22 });
  t.deepEqual(decoded.TM, { hours: 1, minutes: 2, seconds: 3, nanos: 4_000_000 });
  t.deepEqual(decoded.TS, { seconds: '1600000000', nanos: 123_000_000 });
  t.deepEqual(decoded.D, { value: Buffer.from([0xfe, 0x1d, 0xc6]), precision: 6, scale: 2 });
  const back = s.deserialize(bytes)!;
  t.is((back[0] as Decimal).toFixed(2), '-1234.50');
  t.deepEqual(back.slice(1), [-10, 3_723_004, 1_600_000_000_123, Buffer.from([1, 2])]);
});

test('NULL reads back as proto3 defaults, except messages; OPTIONAL and WRAPPER keep NULL primitives', (t) => {
  const columns = [valueColumn('I', INTEGER), valueColumn('S', STRING), valueColumn('B', BOOLEAN), valueColumn('L', { kind: 'ARRAY', element: BIGINT }),
    valueColumn('ST', STRUCT_TYPE), valueColumn('TS', TIMESTAMP)];
  const nulls = [null, null, null, null, null, null];
  const plain = serde(columns).serde;
  t.deepEqual(plain.deserialize(plain.serialize(nulls)), [0, '', false, [], null, null]);
  for (const representation of ['OPTIONAL', 'wrapper']) {
    const { serde: s, registry } = serde(columns, { properties: { nullableRepresentation: representation } });
    t.deepEqual(s.deserialize(s.serialize(nulls)), [null, null, null, [], null, null], representation);
    t.deepEqual(s.deserialize(s.serialize([0, '', false, [1n], { A: null, B: null }, 0])), [0, '', false, [1n], { A: null, B: [] }, 0], representation);
    t.regex(registry.latest('t-value')!.schema, representation === 'OPTIONAL' ? /optional int32 I = 1;/ : /google.protobuf.Int32Value I = 1;/);
  }
});

test('a key is always a message, even of one column', (t) => {
  const { serde: s, registry } = serde([keyColumn('K', STRING)], { target: 'key' });
  const bytes = s.serialize(['a'])!;
  t.deepEqual(decodeWith(registry.latest('t-key')!.schema, 'ConnectDefault1', bytes.subarray(6)), { K: 'a' });
  t.deepEqual(s.deserialize(bytes), ['a']);
  t.false(lookupFormat('PROTOBUF').supportedFeatures.has('UNWRAP_SINGLES'));
});

test('a record written with another message of a registered schema is read through its message indexes', (t) => {
  const registry = memoryRegistry();
  const schema = 'syntax = "proto3"; package p; message First { string x = 1; } message Second { message Inner { int32 n = 1; } int64 id = 1; Inner inner = 2; }';
  const id = registry.register('other', 'PROTOBUF', schema);
  const root = protobuf.parse(schema, { keepCase: true }).root;
  const inner = root.lookupType('p.Second.Inner');
  const s = createSerde({ format: 'PROTOBUF', target: 'value', columns: [valueColumn('N', INTEGER)], topic: 't', registry });
  const framed = confluentProtobufFrame(id, [1, 0], inner.encode({ n: 5 }).finish());
  t.deepEqual([...framed.subarray(5, 8)], [4, 2, 0], 'count 2, then 1 and 0, zig-zag');
  t.deepEqual(s.deserialize(framed), [5]);
  // VALUE_SCHEMA_ID and VALUE_SCHEMA_FULL_NAME: written with that message and its indexes.
  const writer = createSerde({
    format: 'PROTOBUF', target: 'value', columns: [valueColumn('ID', BIGINT), valueColumn('INNER', { kind: 'STRUCT', fields: [{ name: 'N', type: INTEGER }] })],
    topic: 't', registry, properties: { schemaId: String(id), fullSchemaName: 'p.Second' },
  });
  const bytes = writer.serialize([9n, { N: 3 }])!;
  t.deepEqual([...bytes.subarray(5, 7)], [2, 2], 'indexes [1]');
  t.deepEqual(decodeWith(schema, 'p.Second', bytes.subarray(7)), { id: '9', inner: { n: 3 } });
  t.deepEqual(writer.deserialize(bytes), [9n, { N: 3 }]);
});

test('bytes that are not a framed message of a known schema are a DeserializationError', (t) => {
  const { serde: s } = serde([valueColumn('FOO', STRING)]);
  const good = s.serialize(['x'])!;
  const magic = t.throws(() => s.deserialize(Buffer.from([1, 0, 0, 0, 1, 0])), { instanceOf: DeserializationError }) as DeserializationError;
  t.is(magic.detail, 'Unknown magic byte!');
  const unknown = t.throws(() => s.deserialize(confluentFrame(99, good.subarray(5))), { instanceOf: DeserializationError }) as DeserializationError;
  t.deepEqual(unknown.causes.slice(-2), ['Error retrieving Protobuf schema for id 99', 'Schema 99 not found; error code: 40403']);
  t.throws(() => s.deserialize(good.subarray(0, good.length - 1)), { instanceOf: DeserializationError });
  t.throws(() => s.deserialize(confluentFrame(good.readInt32BE(1), Buffer.from([0x0a, 0xff, 0xff]))), { instanceOf: DeserializationError });
});

test('PROTOBUF_NOSR writes the bare message of the generated schema and needs no registry', (t) => {
  const columns = [valueColumn('I', INTEGER), valueColumn('S', STRING)];
  const s = createSerde({ format: 'PROTOBUF_NOSR', target: 'value', columns });
  const bytes = s.serialize([1, 'a'])!;
  t.deepEqual([...bytes], [0x08, 0x01, 0x12, 0x01, 0x61]);
  t.deepEqual(s.deserialize(bytes), [1, 'a']);
  t.false(lookupFormat('PROTOBUF_NOSR').supportsSchemaInference === true);
});

test('maps need STRING keys, with ksqlDB\'s message', (t) => {
  for (const format of ['PROTOBUF', 'PROTOBUF_NOSR']) {
    t.throws(() => validateFormat({ format, target: 'value', columns: [valueColumn('M', { kind: 'MAP', key: INTEGER, value: DOUBLE })] }), {
      message: new RegExp(`${format} format only supports MAP types with STRING keys`),
    });
  }
});
