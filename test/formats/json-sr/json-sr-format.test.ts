import test from 'ava';
import { confluentFrame, createSerde, DeserializationError, lookupFormat, SerializationError, validateFormat, type SerdeFeature } from '../../../src/formats/index.js';
import { Decimal } from '../../../src/schema/decimal.js';
import type { Column } from '../../../src/schema/logical-schema.js';
import {
  arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIME, TIMESTAMP,
} from '../../../src/schema/sql-type.js';
import { keyColumn, valueColumn } from '../columns.js';
import { memoryRegistry, type MemoryRegistry } from '../avro/registry-stub.js';

function serde(
  columns: Column[],
  options: { target?: 'key' | 'value'; features?: SerdeFeature[]; properties?: Record<string, string>; registry?: MemoryRegistry } = {},
) {
  const registry = options.registry ?? memoryRegistry();
  const s = createSerde({
    format: 'JSON_SR', target: options.target ?? 'value', columns, topic: 't', registry,
    features: options.features ?? [], properties: options.properties ?? {},
  });
  return { serde: s, registry };
}

const ALL_TYPES: Column[] = [
  valueColumn('B', BOOLEAN), valueColumn('I', INTEGER), valueColumn('L', BIGINT), valueColumn('D', DOUBLE),
  valueColumn('S', STRING), valueColumn('BY', BYTES), valueColumn('DEC', decimalType(4, 2)), valueColumn('DT', DATE),
  valueColumn('TM', TIME), valueColumn('TS', TIMESTAMP), valueColumn('A', arrayType(STRING)), valueColumn('M', mapType(STRING, INTEGER)),
  valueColumn('ST', structType([{ name: 'F', type: INTEGER }])),
];

const ALL_VALUES: unknown[] = [
  true, 7, 12345678901234567n, 1.5, 'x', Buffer.from([1, 2]), new Decimal('12.50'), 19000, 3600000, 1700000000000,
  ['a', null], new Map([['k', 1]]), { F: 2 },
];

test('a record is magic byte 0, the registered schema id, then the JSON text; it reads back as written', (t) => {
  const { serde: s, registry } = serde(ALL_TYPES);
  const bytes = s.serialize(ALL_VALUES)!;
  t.is(bytes[0], 0);
  const registered = registry.latest('t-value')!;
  t.is(bytes.readInt32BE(1), registered.id);
  t.is(registered.schemaType, 'JSON');
  t.is(
    bytes.subarray(5).toString(),
    '{"B":true,"I":7,"L":12345678901234567,"D":1.5,"S":"x","BY":"AQI=","DEC":12.50,"DT":19000,"TM":3600000,' +
      '"TS":1700000000000,"A":["a",null],"M":{"k":1},"ST":{"F":2}}',
  );
  t.deepEqual(s.deserialize(bytes), ALL_VALUES);
  t.is(s.serialize(null), null);
  t.is(s.deserialize(null), null);
});

test('the generated schema is ksqlDB\'s: an object of optional properties with connect.index, connect types and logical titles', (t) => {
  const { serde: s, registry } = serde(ALL_TYPES);
  s.serialize(ALL_VALUES);
  const optional = (index: number, schema: object) => ({ 'connect.index': index, oneOf: [{ type: 'null' }, schema] });
  t.deepEqual(JSON.parse(registry.latest('t-value')!.schema), {
    type: 'object',
    properties: {
      B: optional(0, { type: 'boolean' }),
      I: optional(1, { type: 'integer', 'connect.type': 'int32' }),
      L: optional(2, { type: 'integer', 'connect.type': 'int64' }),
      D: optional(3, { type: 'number', 'connect.type': 'float64' }),
      S: optional(4, { type: 'string' }),
      BY: optional(5, { type: 'string', 'connect.type': 'bytes' }),
      DEC: optional(6, {
        type: 'number', title: 'org.apache.kafka.connect.data.Decimal', 'connect.version': 1, 'connect.type': 'bytes',
        'connect.parameters': { scale: '2', 'connect.decimal.precision': '4' },
      }),
      DT: optional(7, { type: 'integer', title: 'org.apache.kafka.connect.data.Date', 'connect.version': 1, 'connect.type': 'int32' }),
      TM: optional(8, { type: 'integer', title: 'org.apache.kafka.connect.data.Time', 'connect.version': 1, 'connect.type': 'int32' }),
      TS: optional(9, { type: 'integer', title: 'org.apache.kafka.connect.data.Timestamp', 'connect.version': 1, 'connect.type': 'int64' }),
      A: optional(10, { type: 'array', items: { oneOf: [{ type: 'null' }, { type: 'string' }] } }),
      M: optional(11, {
        type: 'object', additionalProperties: { oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int32' }] }, 'connect.type': 'map',
      }),
      ST: optional(12, { type: 'object', properties: { F: optional(0, { type: 'integer', 'connect.type': 'int32' }) } }),
    },
  });
});

test('a single key column is written bare under an optional schema; a single value column only with UNWRAP_SINGLES', (t) => {
  const { serde: key, registry } = serde([keyColumn('K', STRING)], { target: 'key' });
  t.is(key.serialize(['a'])!.subarray(5).toString(), '"a"');
  t.deepEqual(JSON.parse(registry.latest('t-key')!.schema), { oneOf: [{ type: 'null' }, { type: 'string' }] });
  t.is(key.serialize([null]), null, 'a NULL key is a null key');
  const { serde: unwrapped } = serde([valueColumn('V', INTEGER)], { features: ['UNWRAP_SINGLES'] });
  t.is(unwrapped.serialize([5])!.subarray(5).toString(), '5');
  t.deepEqual(unwrapped.deserialize(confluentFrame(1, Buffer.from('5'))), [5]);
  const { serde: wrapped } = serde([valueColumn('V', INTEGER)]);
  t.is(wrapped.serialize([5])!.subarray(5).toString(), '{"V":5}');
  const { serde: multi } = serde([keyColumn('A', INTEGER), keyColumn('B', STRING)], { target: 'key' });
  t.deepEqual(multi.deserialize(multi.serialize([1, 'b'])), [1, 'b']);
});

test('reading skips the prefix whatever its id and coerces as JSON does; unprefixed or unreadable bytes are deserialization errors', (t) => {
  const { serde: s } = serde([valueColumn('FOO', STRING), valueColumn('BAR', BIGINT)]);
  t.deepEqual(s.deserialize(confluentFrame(999, Buffer.from('{"foo":10,"BAR":"12"}'))), ['10', 12n]);
  const plain = t.throws(() => s.deserialize(Buffer.from('{"FOO":"x"}')), { instanceOf: DeserializationError });
  t.is(
    plain.message,
    'Failed to deserialize value from topic: t. Got unexpected JSON serialization format that did not start with the magic byte. ' +
      'If this stream was not serialized using the JsonSchemaConverter, then make sure the stream is declared with JSON format (not JSON_SR).',
  );
  t.is((plain as DeserializationError).format, 'JSON_SR');
  t.throws(() => s.deserialize(Buffer.alloc(0)), { instanceOf: DeserializationError });
  t.throws(() => s.deserialize(Buffer.from([0, 0, 0])), { instanceOf: DeserializationError });
  const badType = t.throws(() => s.deserialize(confluentFrame(1, Buffer.from('{"BAR":true}'))), { instanceOf: DeserializationError });
  t.regex(badType.message, /Can't convert type\. sourceType: BooleanNode, requiredType: BIGINT, path: \$\.BAR/);
});

test('without a registry the JSON_SR serde fails per record, as a serde error', (t) => {
  const s = createSerde({ format: 'JSON_SR', target: 'value', columns: [valueColumn('V', INTEGER)], topic: 't' });
  t.throws(() => s.serialize([1]), { instanceOf: SerializationError, message: /needs a schema registry/ });
});

test('JSON_SR refuses maps with non-string keys as JSON does, and a blank full schema name', (t) => {
  t.throws(() => validateFormat({ format: 'JSON_SR', target: 'value', columns: [valueColumn('M', mapType(INTEGER, STRING))] }), {
    message: /JSON only supports MAP types with STRING keys/,
  });
  t.throws(() => validateFormat({ format: 'json_sr', target: 'value', columns: [], properties: { fullSchemaName: ' ' } }), {
    message: /fullSchemaName cannot be empty/,
  });
  t.throws(() => validateFormat({ format: 'JSON_SR', target: 'value', columns: [], properties: { delimiter: ',' } }), {
    message: 'JSON_SR does not support the following configs: [delimiter]',
  });
});

test('with a schema id records carry it and follow the registered schema: its order, defaults, and nulls for other properties', (t) => {
  const registry = memoryRegistry();
  const id = registry.register('other', 'JSON', JSON.stringify({
    type: 'object',
    properties: {
      extra: { type: 'string', 'connect.index': 2 }, b: { type: 'integer', 'connect.index': 1 }, a: { type: 'string', 'connect.index': 0 },
      d: { type: 'integer', default: 3, 'connect.index': 3 },
    },
  }));
  const { serde: s } = serde([valueColumn('b', BIGINT), valueColumn('a', STRING)], { registry, properties: { schemaId: String(id) } });
  const bytes = s.serialize([1n, 'x'])!;
  t.is(bytes.readInt32BE(1), id);
  t.is(bytes.subarray(5).toString(), '{"a":"x","b":1,"extra":null,"d":3}');
  t.deepEqual(s.deserialize(bytes), [1n, 'x']);
  t.is(registry.latest('t-value'), undefined, 'nothing is registered for the topic');

  const requiredId = registry.register('r', 'JSON', JSON.stringify({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }));
  const { serde: required } = serde([valueColumn('a', STRING)], { registry, properties: { schemaId: String(requiredId) } });
  t.throws(() => required.serialize([null]), { instanceOf: SerializationError, message: /'a', which is required/ });
  const { serde: missing } = serde([valueColumn('z', STRING)], { registry, properties: { schemaId: String(requiredId) } });
  t.throws(() => missing.serialize(['q']), { instanceOf: SerializationError, message: /Schema from Schema Registry misses field with name: z/ });
});

test('schema inference: properties become upper-cased columns in connect.index order, with ksqlDB\'s type mapping', (t) => {
  const infer = lookupFormat('JSON_SR').schemaColumns!;
  const schema = {
    type: 'object',
    definitions: { point: { type: 'object', properties: { x: { type: 'number' } } } },
    properties: {
      late: { 'connect.index': 5, type: 'string' },
      id: { 'connect.index': 0, oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int32' }] },
      n: { 'connect.index': 1, type: 'integer' },
      dec: { 'connect.index': 2, type: 'number', title: 'org.apache.kafka.connect.data.Decimal', 'connect.type': 'bytes', 'connect.parameters': { scale: '2', 'connect.decimal.precision': '9' } },
      at: { 'connect.index': 3, type: 'integer', title: 'org.apache.kafka.connect.data.Timestamp', 'connect.type': 'int64' },
      tags: { 'connect.index': 4, type: 'array', items: { type: ['string', 'null'] } },
      where: { 'connect.index': 6, $ref: '#/definitions/point' },
      m: { 'connect.index': 7, type: 'object', 'connect.type': 'map', additionalProperties: { type: 'boolean' } },
      kind: { 'connect.index': 8, enum: ['a', 'b'] },
      either: { 'connect.index': 9, oneOf: [{ type: 'string' }, { type: 'integer' }] },
      nothing: { 'connect.index': 10, type: 'null' },
      raw: { 'connect.index': 11, type: 'string', 'connect.type': 'bytes' },
    },
  };
  const inferred = infer(JSON.stringify(schema), 'value');
  t.false(inferred.unwrapped);
  t.deepEqual(inferred.columns, [
    { name: 'ID', type: INTEGER }, { name: 'N', type: BIGINT }, { name: 'DEC', type: decimalType(9, 2) }, { name: 'AT', type: TIMESTAMP },
    { name: 'TAGS', type: arrayType(STRING) }, { name: 'LATE', type: STRING }, { name: 'WHERE', type: structType([{ name: 'X', type: DOUBLE }]) },
    { name: 'M', type: mapType(STRING, BOOLEAN) }, { name: 'KIND', type: STRING }, { name: 'RAW', type: BYTES },
  ]);
  t.deepEqual(infer(JSON.stringify(schema), 'value', { keepNames: true }).columns.map((c) => c.name).slice(0, 2), ['id', 'n']);
});

test('schema inference: a key, a non-object or WRAP_SINGLE_VALUE=false is one anonymous column; an unreadable root is refused', (t) => {
  const infer = lookupFormat('JSON_SR').schemaColumns!;
  const object = JSON.stringify({ type: 'object', properties: { F1: { type: 'string' } } });
  t.deepEqual(infer(object, 'key'), { columns: [{ name: 'ROWKEY', type: structType([{ name: 'F1', type: STRING }]) }], unwrapped: true });
  t.deepEqual(infer(object, 'value', { wrapSingleValue: false }).columns.map((c) => c.name), ['ROWVAL']);
  t.deepEqual(infer(JSON.stringify({ oneOf: [{ type: 'null' }, { type: 'number', 'connect.type': 'float64' }] }), 'value'), {
    columns: [{ name: 'ROWVAL', type: DOUBLE }], unwrapped: true,
  });
  t.deepEqual(infer(JSON.stringify({ type: 'array', 'connect.type': 'map', items: { type: 'object', properties: { key: { type: 'integer' }, value: { type: 'string' } } } }), 'key').columns, [
    { name: 'ROWKEY', type: mapType(STRING, STRING) },
  ]);
  t.throws(() => infer(JSON.stringify({ type: 'null' }), 'value'), { message: /Unsupported type at root of schema/ });
  t.throws(() => infer(JSON.stringify({ type: 'object', properties: { n: { type: 'null' } } }), 'value'), {
    message: /Schema does not include any columns with types that ksqlDB supports/,
  });
  t.throws(() => infer(JSON.stringify({ $ref: '#' }), 'value'), { message: /recursive/ });
});
