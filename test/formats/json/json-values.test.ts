import test from 'ava';
import { Decimal } from '../../../src/schema/decimal.js';
import { jsonToValue, LosslessNumber, NumberRangeError, parseJsonText, valueToJsonText } from '../../../src/formats/index.js';
import {
  arrayType, BIGINT, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIMESTAMP, type SqlType,
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

test('fractions truncate into INTEGER and BIGINT as Java\'s intValue/longValue do', (t) => {
  t.is(jsonToValue(-3.9, INTEGER), -3);
  t.is(jsonToValue(2147483647.9, INTEGER), 2147483647);
  t.is(jsonToValue(new LosslessNumber('-9223372036854775808.5'), BIGINT), -9223372036854775808n);
  t.throws(() => jsonToValue('9223372036854775808', BIGINT), { message: "Can't coerce string to type. targetType: BIGINT" });
});

test('numbers beyond INTEGER or BIGINT are refused instead of wrapping, the edge values pass', (t) => {
  t.is(jsonToValue(-2147483648, INTEGER), -2147483648);
  t.is(jsonToValue(2147483647, INTEGER), 2147483647);
  t.is(jsonToValue(new LosslessNumber('-9223372036854775808'), BIGINT), -9223372036854775808n);
  t.is(jsonToValue(new LosslessNumber('9223372036854775807'), BIGINT), 9223372036854775807n);
  const refused: [unknown, SqlType, string][] = [
    [3000000000, INTEGER, 'Numeric value (3000000000) out of range of INTEGER (-2147483648 - 2147483647)'],
    [-2147483649, INTEGER, 'Numeric value (-2147483649) out of range of INTEGER (-2147483648 - 2147483647)'],
    [2147483648.5, INTEGER, 'Numeric value (2.1474836485E9) out of range of INTEGER (-2147483648 - 2147483647)'],
    [1e30, INTEGER, 'Numeric value (1.0E30) out of range of INTEGER (-2147483648 - 2147483647)'],
    [3000000000, DATE, 'Numeric value (3000000000) out of range of DATE (-2147483648 - 2147483647)'],
    [new LosslessNumber('99999999999999999999999'), BIGINT,
      'Numeric value (99999999999999999999999) out of range of BIGINT (-9223372036854775808 - 9223372036854775807)'],
    [new LosslessNumber('9223372036854775808'), BIGINT,
      'Numeric value (9223372036854775808) out of range of BIGINT (-9223372036854775808 - 9223372036854775807)'],
    [new LosslessNumber('18446744073709551617'), INTEGER,
      'Numeric value (18446744073709551617) out of range of INTEGER (-2147483648 - 2147483647)'],
    [1e30, BIGINT, 'Numeric value (1.0E30) out of range of BIGINT (-9223372036854775808 - 9223372036854775807)'],
    [1e30, TIMESTAMP, 'Numeric value (1.0E30) out of range of TIMESTAMP (-9223372036854775808 - 9223372036854775807)'],
  ];
  for (const [node, type, message] of refused) {
    t.throws(() => jsonToValue(node, type), { instanceOf: NumberRangeError, message });
  }
});
