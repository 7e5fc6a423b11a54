import test from 'ava';
import avro from 'avsc';
import {
  confluentFrame, createSerde, DeserializationError, lookupFormat, validateFormat, type SerdeFeature,
} from '../../../src/formats/index.js';
import { Decimal } from '../../../src/schema/decimal.js';
import type { Column } from '../../../src/schema/logical-schema.js';
import { BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, STRING, TIME, TIMESTAMP, type SqlType } from '../../../src/schema/sql-type.js';
import { keyColumn, valueColumn } from '../columns.js';
import { memoryRegistry } from './registry-stub.js';

function serde(columns: Column[], options: { target?: 'key' | 'value'; features?: SerdeFeature[]; properties?: Record<string, string> } = {}) {
  const registry = memoryRegistry();
  const s = createSerde({
    format: 'AVRO', target: options.target ?? 'value', columns, topic: 't', registry,
    features: options.features ?? [], properties: options.properties ?? {},
  });
  return { serde: s, registry };
}

const STRUCT_TYPE: SqlType = { kind: 'STRUCT', fields: [{ name: 'A', type: { kind: 'ARRAY', element: STRING } }] };
const MAP_TYPE: SqlType = { kind: 'MAP', key: STRING, value: DATE };

test('a record is magic byte 0, the registered schema id, then Avro binary of the generated schema', (t) => {
  const { serde: s, registry } = serde([valueColumn('FOO', INTEGER), valueColumn('BAR', STRING)]);
  const bytes = s.serialize([7, 'x'])!;
  t.is(bytes[0], 0);
  const id = bytes.readInt32BE(1);
  const registered = registry.latest('t-value')!;
  t.is(registered.id, id);
  t.is(registered.schemaType, 'AVRO');
  const decoded = avro.Type.forSchema(JSON.parse(registered.schema)).fromBuffer(bytes.subarray(5));
  t.deepEqual({ ...decoded }, { FOO: 7, BAR: 'x' });
});

test('the generated schema follows ksqlDB: optional fields, path-named records, connect names, logical types', (t) => {
  const { serde: s, registry } = serde([
    valueColumn('I', INTEGER), valueColumn('D', decimalType(4, 2)), valueColumn('S', STRUCT_TYPE), valueColumn('M', MAP_TYPE),
    valueColumn('TS', TIMESTAMP),
  ]);
  s.serialize([null, null, null, null, null]);
  t.deepEqual(JSON.parse(registry.latest('t-value')!.schema), {
    type: 'record',
    name: 'KsqlDataSourceSchema',
    namespace: 'io.confluent.ksql.avro_schemas',
    fields: [
      { name: 'I', type: ['null', 'int'], default: null },
      {
        name: 'D',
        type: ['null', {
          type: 'bytes', scale: 2, precision: 4, 'connect.version': 1,
          'connect.parameters': { scale: '2', 'connect.decimal.precision': '4' },
          'connect.name': 'org.apache.kafka.connect.data.Decimal', logicalType: 'decimal',
        }],
        default: null,
      },
      {
        name: 'S',
        type: ['null', {
          type: 'record', name: 'KsqlDataSourceSchema_S', namespace: 'io.confluent.ksql.avro_schemas',
          fields: [{ name: 'A', type: ['null', { type: 'array', items: ['null', 'string'] }], default: null }],
          'connect.name': 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_S',
        }],
        default: null,
      },
      {
        name: 'M',
        type: ['null', {
          type: 'map',
          values: ['null', { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Date', logicalType: 'date' }],
        }],
        default: null,
      },
      {
        name: 'TS',
        type: ['null', { type: 'long', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Timestamp', logicalType: 'timestamp-millis' }],
        default: null,
      },
    ],
    'connect.name': 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema',
  });
});

test('every SQL type reads back as it was written', (t) => {
  const columns = [
    valueColumn('B', BOOLEAN), valueColumn('I', INTEGER), valueColumn('L', BIGINT), valueColumn('F', DOUBLE), valueColumn('S', STRING),
    valueColumn('Y', BYTES), valueColumn('D', decimalType(10, 3)), valueColumn('DT', DATE), valueColumn('TM', TIME), valueColumn('TS', TIMESTAMP),
    valueColumn('ST', STRUCT_TYPE), valueColumn('M', MAP_TYPE),
  ];
  const { serde: s } = serde(columns);
  const row = [
    true, -5, 9_007_199_254_740_993n, 1.5, 'é', Buffer.from([1, 2, 255]), new Decimal('-1234.567'), 19_000, 3_600_000, 1_700_000_000_123,
    { A: ['a', null] }, new Map([['k', 3]]),
  ];
  const back = s.deserialize(s.serialize(row))!;
  t.deepEqual(back.slice(0, 6), row.slice(0, 6));
  t.is((back[6] as Decimal).toFixed(3), '-1234.567');
  t.deepEqual(back.slice(7), row.slice(7));
  t.deepEqual(s.deserialize(s.serialize(columns.map(() => null))), columns.map(() => null));
});

test('decimals of every sign and size round trip through two\'s complement bytes', (t) => {
  const { serde: s } = serde([valueColumn('D', decimalType(30, 2))]);
  for (const text of ['0.00', '1.27', '1.28', '-1.28', '-1.29', '-0.01', '99999999999999999999999999.99', '-99999999999999999999999999.99']) {
    t.is((s.deserialize(s.serialize([new Decimal(text)]))![0] as Decimal).toFixed(2), text);
  }
});

test('a single key column is written bare; a single value column only with UNWRAP_SINGLES', (t) => {
  const key = serde([keyColumn('K', STRING)], { target: 'key' });
  key.serde.serialize(['a']);
  t.is(key.registry.latest('t-key')!.schema, '"string"');
  const value = serde([valueColumn('V', BIGINT)], { features: ['UNWRAP_SINGLES'] });
  const bytes = value.serde.serialize([5n])!;
  t.is(value.registry.latest('t-value')!.schema, '"long"');
  t.deepEqual(value.serde.deserialize(bytes), [5n]);
  t.is(value.serde.serialize([null]), null, 'a null anonymous value is a null record');
});

test('a record written with an older or newer schema reads by field name: missing fields are NULL, extra ones ignored', (t) => {
  const { serde: s, registry } = serde([valueColumn('ID', INTEGER), valueColumn('NAME', STRING), valueColumn('SCORE', DOUBLE)]);
  const older = { type: 'record', name: 'Old', fields: [{ name: 'id', type: 'int' }, { name: 'name', type: 'string' }] };
  const newer = { type: 'record', name: 'New', fields: [{ name: 'ID', type: 'long' }, { name: 'EXTRA', type: 'string' }, { name: 'SCORE', type: 'float' }] };
  const oldId = registry.register('t-value', 'AVRO', JSON.stringify(older));
  const newId = registry.register('t-value', 'AVRO', JSON.stringify(newer));
  const oldBytes = confluentFrame(oldId, avro.Type.forSchema(older as avro.Schema).toBuffer({ id: 1, name: 'a' }));
  t.deepEqual(s.deserialize(oldBytes), [1, 'a', null]);
  const newType = avro.Type.forSchema(newer as avro.Schema);
  const newBytes = confluentFrame(newId, newType.toBuffer({ ID: 2, EXTRA: 'x', SCORE: 0.5 }));
  t.deepEqual(s.deserialize(newBytes), [2, null, 0.5]);
});

test('a wrong magic byte, an unknown schema id or bytes that do not decode are deserialization errors', (t) => {
  const { serde: s } = serde([valueColumn('FOO', INTEGER), valueColumn('BAR', STRING)]);
  const good = s.serialize([1, 'abc'])!;
  const wrongMagic = Buffer.from(good);
  wrongMagic[0] = 1;
  const magic = t.throws(() => s.deserialize(wrongMagic), { instanceOf: DeserializationError, message: 'Error deserializing message from topic: t' }) as DeserializationError;
  t.deepEqual(magic.causes, ['Failed to deserialize data for topic t to Avro: ', 'Unknown magic byte!']);
  t.throws(() => s.deserialize(Buffer.from('{"FOO":1}')), { instanceOf: DeserializationError });
  const unknown = t.throws(() => s.deserialize(confluentFrame(99, good.subarray(5))), { instanceOf: DeserializationError }) as DeserializationError;
  t.deepEqual(unknown.causes.slice(1), ['Error retrieving Avro value schema for id 99', 'Schema 99 not found; error code: 40403']);
  t.throws(() => s.deserialize(good.subarray(0, good.length - 2)), { instanceOf: DeserializationError });
  t.throws(() => s.deserialize(Buffer.concat([good, Buffer.from([7])])), { instanceOf: DeserializationError });
});

test('without a registry the AVRO serde fails per record, as a serde error', (t) => {
  const s = createSerde({ format: 'AVRO', target: 'value', columns: [valueColumn('FOO', INTEGER), valueColumn('X', INTEGER)], topic: 't' });
  t.throws(() => s.serialize([1, 2]), { message: /schema registry/ });
});

test('AVRO refuses maps with non-string keys, names Avro cannot carry, and a blank full schema name', (t) => {
  const badMap: SqlType = { kind: 'MAP', key: INTEGER, value: DOUBLE };
  t.throws(() => validateFormat({ format: 'AVRO', target: 'value', columns: [valueColumn('M', badMap)] }), { message: /Avro only supports MAPs with STRING keys/ });
  t.throws(() => validateFormat({ format: 'AVRO', target: 'value', columns: [valueColumn('1A', INTEGER)] }), {
    message: /Schema is not compatible with Avro: Illegal initial character: 1A/,
  });
  t.throws(() => validateFormat({ format: 'AVRO', target: 'value', columns: [valueColumn('A', INTEGER)], properties: { fullSchemaName: ' ' } }), {
    message: 'fullSchemaName cannot be empty. Format configuration: {fullSchemaName=}',
  });
});

test('schema inference: a value record gives upper-cased columns; other schemas and key records one anonymous column', (t) => {
  const format = lookupFormat('AVRO');
  const record = JSON.stringify({
    type: 'record', name: 'r', fields: [
      { name: 'c1', type: ['null', 'long'] },
      { name: 'c2', type: { type: 'record', name: 'inner', fields: [{ name: 'f', type: { type: 'enum', name: 'e', symbols: ['A'] } }] } },
      { name: 'c3', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 1 } },
      { name: 'c4', type: { type: 'array', items: 'inner' } },
    ],
  });
  const inner: SqlType = { kind: 'STRUCT', fields: [{ name: 'F', type: STRING }] };
  t.deepEqual(format.schemaColumns!(record, 'value'), {
    columns: [
      { name: 'C1', type: BIGINT }, { name: 'C2', type: inner }, { name: 'C3', type: decimalType(5, 1) },
      { name: 'C4', type: { kind: 'ARRAY', element: inner } },
    ],
    unwrapped: false,
  });
  t.deepEqual(format.schemaColumns!('"int"', 'value'), { columns: [{ name: 'ROWVAL', type: INTEGER }], unwrapped: true });
  const key = format.schemaColumns!(JSON.stringify({ type: 'record', name: 'k', fields: [{ name: 'F1', type: 'string' }] }), 'key');
  t.deepEqual(key, { columns: [{ name: 'ROWKEY', type: { kind: 'STRUCT', fields: [{ name: 'F1', type: STRING }] } }], unwrapped: true });
});

test('with a schema id the serde writes with that schema, matching fields by name and filling defaults', (t) => {
  const registry = memoryRegistry();
  const given = { type: 'record', name: 'Given', fields: [{ name: 'id', type: 'string' }, { name: 'n', type: 'int', default: 7 }] };
  const id = registry.register('other-value', 'AVRO', JSON.stringify(given), 42);
  const s = createSerde({
    format: 'AVRO', target: 'value', columns: [valueColumn('ID', STRING), valueColumn('N', INTEGER)], topic: 't', registry,
    properties: { schemaId: String(id) },
  });
  const bytes = s.serialize(['a', null])!;
  t.is(bytes.readInt32BE(1), 42);
  t.deepEqual({ ...avro.Type.forSchema(given as avro.Schema).fromBuffer(bytes.subarray(5)) }, { id: 'a', n: 7 });
  t.false(registry.subjects.has('t-value'), 'nothing is registered when the schema is given');
});

test('time-micros and timestamp-micros read as milliseconds, and infer TIME and TIMESTAMP', (t) => {
  const { serde: s, registry } = serde([valueColumn('T', TIME), valueColumn('TS', TIMESTAMP)]);
  const writer = {
    type: 'record', name: 'w', fields: [
      { name: 'T', type: { type: 'long', logicalType: 'time-micros' } },
      { name: 'TS', type: { type: 'long', logicalType: 'timestamp-micros' } },
    ],
  };
  const id = registry.register('t-value', 'AVRO', JSON.stringify(writer));
  const plain = avro.Type.forSchema({ type: 'record', name: 'w', fields: [{ name: 'T', type: 'long' }, { name: 'TS', type: 'long' }] });
  t.deepEqual(s.deserialize(confluentFrame(id, plain.toBuffer({ T: 3_600_000_999, TS: -1500 }))), [3_600_000, -2]);
  t.deepEqual(lookupFormat('AVRO').schemaColumns!(JSON.stringify(writer), 'value').columns, [{ name: 'T', type: TIME }, { name: 'TS', type: TIMESTAMP }]);
});

test('a full schema name names the root record and the path of nested ones', (t) => {
  const { serde: s, registry } = serde([valueColumn('S', STRUCT_TYPE), valueColumn('N', INTEGER)], { properties: { fullSchemaName: 'com.acme.Thing' } });
  s.serialize([null, 1]);
  const schema = JSON.parse(registry.latest('t-value')!.schema);
  t.like(schema, { name: 'Thing', namespace: 'com.acme', 'connect.name': 'com.acme.Thing' });
  t.like(schema.fields[0].type[1], { name: 'Thing_S', namespace: 'com.acme' });
});
