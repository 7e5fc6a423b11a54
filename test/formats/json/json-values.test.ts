import test from 'ava';
import { Decimal } from '../../../src/schema/decimal.js';
import { jsonToValue, LosslessNumber, parseJsonText, valueToJsonText } from '../../../src/formats/index.js';
import {
  arrayType, BIGINT, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIMESTAMP,
} from '../../../src/schema/sql-type.js';

test('values render as JSON text with ksqlDB rules', (t) => {
  t.is(valueToJsonText(new Decimal('1.5'), decimalType(4, 2)), '1.50');
  t.is(valueToJsonText(12345678901234567890n, BIGINT), '12345678901234567890');
  t.is(valueToJsonText(Buffer.from([0x61, 0x62, 0x63]), BYTES), '"YWJj"');
  t.is(valueToJsonText(2, DATE), '2');
  t.is(valueToJsonText(1, TIMESTAMP), '1');
  t.is(valueToJsonText(3, DOUBLE), '3.0');
  t.is(valueToJsonText(new Map([['k', 1]]), mapType(STRING, INTEGER)), '{"k":1}');
  t.is(valueToJsonText({ a: 'x', B: null }, structType([{ name: 'a', type: STRING }, { name: 'B', type: arrayType(INTEGER) }])), '{"a":"x","B":null}');
  t.is(valueToJsonText(null, STRING), 'null');
});

test('parsed JSON converts to runtime values by type', (t) => {
  t.is(jsonToValue(new LosslessNumber('9007199254740993'), BIGINT), 9007199254740993n);
  t.is((jsonToValue(new LosslessNumber('0.12345678901234567891'), decimalType(21, 20)) as Decimal).toFixed(20), '0.12345678901234567891');
  t.deepEqual(jsonToValue(parseJsonText('{"A":[1,2]}'), structType([{ name: 'A', type: arrayType(BIGINT) }])), { A: [1n, 2n] });
  t.is(jsonToValue(undefined, STRING), null);
  t.is(jsonToValue(42, STRING), '42');
});

test('BIGINT and INTEGER wrap and truncate as Java narrowing does', (t) => {
  t.is(jsonToValue(new LosslessNumber('18446744073709551617'), BIGINT), 1n);
  t.is(jsonToValue(2147483648, INTEGER), -2147483648);
  t.is(jsonToValue(-3.9, INTEGER), -3);
  t.throws(() => jsonToValue('9223372036854775808', BIGINT), { message: "Can't coerce string to type. targetType: BIGINT" });
});
