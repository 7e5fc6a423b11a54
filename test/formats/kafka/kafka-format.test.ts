import test from 'ava';
import { createSerde, DeserializationError, KsqlError } from '../imports.js';
import { BIGINT, BOOLEAN, BYTES, DOUBLE, INTEGER, STRING } from '../../../src/schema/sql-type.js';
import type { SqlType } from '../../../src/schema/sql-type.js';
import { keyColumn, valueColumn } from '../columns.js';

function serdeOf(type: SqlType) {
  return createSerde({ format: 'KAFKA', target: 'key', columns: [keyColumn('K', type)], topic: 'in' });
}

test('INTEGER, BIGINT and DOUBLE use the big-endian layouts of the Kafka serializers', (t) => {
  t.deepEqual(serdeOf(INTEGER).serialize([-2]), Buffer.from([0xff, 0xff, 0xff, 0xfe]));
  t.deepEqual(serdeOf(BIGINT).serialize([1n]), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]));
  t.deepEqual(serdeOf(DOUBLE).serialize([1.5]), Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]));
  t.deepEqual(serdeOf(INTEGER).deserialize(Buffer.from([0, 0, 1, 0])), [256]);
  t.deepEqual(serdeOf(BIGINT).deserialize(Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0])), [-9223372036854775808n]);
  t.deepEqual(serdeOf(DOUBLE).deserialize(Buffer.from([0x40, 0x01, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a])), [2.2]);
});

test('STRING is UTF-8 and BYTES are the raw bytes; the empty string is not null', (t) => {
  t.deepEqual(serdeOf(STRING).serialize(['hé']), Buffer.from('hé', 'utf8'));
  t.deepEqual(serdeOf(STRING).deserialize(Buffer.alloc(0)), ['']);
  const raw = Buffer.from([0, 1, 255]);
  t.deepEqual(serdeOf(BYTES).deserialize(serdeOf(BYTES).serialize([raw])), [raw]);
});

test('a null column is null bytes and null bytes are a null row', (t) => {
  for (const type of [INTEGER, BIGINT, DOUBLE, STRING, BYTES]) {
    t.is(serdeOf(type).serialize([null]), null);
    t.is(serdeOf(type).serialize(null), null);
    t.is(serdeOf(type).deserialize(null), null);
  }
});

test('a payload of the wrong size fails as the Kafka deserializers say', (t) => {
  const cases: [SqlType, string][] = [
    [INTEGER, 'Size of data received by IntegerDeserializer is not 4'],
    [BIGINT, 'Size of data received by LongDeserializer is not 8'],
    [DOUBLE, 'Size of data received by DoubleDeserializer is not 8'],
  ];
  for (const [type, detail] of cases) {
    const error = t.throws(() => serdeOf(type).deserialize(Buffer.from('abc')), { instanceOf: DeserializationError })!;
    t.is(error.detail, detail);
    t.is(error.message, 'Error deserializing KAFKA message from topic: in');
    t.deepEqual(error.causes, [detail]);
  }
});

test('a value with no columns writes null and reads nothing', (t) => {
  const serde = createSerde({ format: 'KAFKA', target: 'value', columns: [] });
  t.is(serde.serialize([]), null);
  t.deepEqual(serde.deserialize(Buffer.from('x')), []);
});

test('unsupported types and several columns are refused when the serde is built', (t) => {
  t.throws(() => serdeOf(BOOLEAN), { instanceOf: KsqlError, message: "The 'KAFKA' format does not support type 'BOOLEAN'" });
  t.throws(
    () => createSerde({ format: 'KAFKA', target: 'value', columns: [valueColumn('V0', INTEGER), valueColumn('V1', STRING)] }),
    { message: "The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]" },
  );
});
