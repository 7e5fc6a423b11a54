import test, { type ExecutionContext } from 'ava';
import { Decimal } from '../../../src/schema/decimal.js';
import { createSerde, DeserializationError, KsqlError } from '../imports.js';
import {
  arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, STRING, TIME, TIMESTAMP,
} from '../../../src/schema/sql-type.js';
import { bytesOf, keyColumn, textOf, valueColumn } from '../columns.js';

const columns = [
  valueColumn('B', BOOLEAN), valueColumn('I', INTEGER), valueColumn('L', BIGINT), valueColumn('D', DOUBLE),
  valueColumn('DEC', decimalType(33, 16)), valueColumn('S', STRING), valueColumn('BY', BYTES),
  valueColumn('DT', DATE), valueColumn('T', TIME), valueColumn('TS', TIMESTAMP),
];

test('a row of every supported type survives a DELIMITED round trip', (t) => {
  const serde = createSerde({ format: 'DELIMITED', target: 'value', columns });
  const row = [
    true, 5, 998877665544332211n, 0.5, new Decimal('12345678987654321.2345678987654321'), 'a,b "c"', Buffer.from('abc'),
    19000, 1000, 1700000000000,
  ];
  const bytes = serde.serialize(row);
  t.is(textOf(bytes), 'true,5,998877665544332211,0.5,12345678987654321.2345678987654321,"a,b ""c""",YWJj,19000,1000,1700000000000');
  const back = serde.deserialize(bytes)!;
  t.is((back[4] as Decimal).toFixed(16), '12345678987654321.2345678987654321');
  t.deepEqual([...back.slice(0, 4), ...back.slice(5)], [...row.slice(0, 4), ...row.slice(5)]);
});

test('empty fields are NULL and NULLs are written as empty fields', (t) => {
  const serde = createSerde({ format: 'DELIMITED', target: 'value', columns: [valueColumn('A', INTEGER), valueColumn('B', STRING)] });
  t.deepEqual(serde.deserialize(bytesOf(',')), [null, null]);
  t.deepEqual(serde.deserialize(bytesOf('"",x')), [null, 'x']);
  t.is(textOf(serde.serialize([null, null])), ',');
  t.is(textOf(serde.serialize([0, null])), '0,');
  t.is(textOf(serde.serialize([null, ''])), ',');
  t.is(serde.serialize(null), null);
  t.is(serde.deserialize(null), null);
});

test('fields are quoted as ksqlDB quotes them', (t) => {
  const serde = createSerde({ format: 'DELIMITED', target: 'value', columns: [valueColumn('A', STRING), valueColumn('B', STRING)] });
  const cases: [string | null, string | null, string][] = [
    ['-5', '-5', '"-5",-5'],
    ['', 'x', '"",x'],
    [' lead', ' lead', '" lead"," lead"'],
    ['trail ', 'trail ', '"trail ","trail "'],
    ['#x', 'a\nb', '"#x","a\nb"'],
    ['ok', 'with "quote"', 'ok,"with ""quote"""'],
    ['é', 'é', '"é",é'],
  ];
  for (const [a, b, text] of cases) {
    t.is(textOf(serde.serialize([a, b])), text);
    t.deepEqual(serde.deserialize(bytesOf(text)), [a === '' ? null : a, b === '' ? null : b]);
  }
});

test('decimals are read plain or quoted and written with their scale', (t) => {
  const serde = createSerde({ format: 'DELIMITED', target: 'value', columns: [valueColumn('V', decimalType(33, 16))] });
  for (const [text, out] of [
    ['.12', '0.1200000000000000'], ['-12345.12', '"-12345.1200000000000000"'], ['"-12345.12"', '"-12345.1200000000000000"'],
    ['0', '0.0000000000000000'],
  ]) {
    t.is(textOf(serde.serialize(serde.deserialize(bytesOf(text!)))), out);
  }
});

test('the delimiter property chooses the separator, with TAB and SPACE as words', (t) => {
  const twoCols = [valueColumn('A', INTEGER), valueColumn('B', STRING)];
  for (const [delimiter, sep] of [['|', '|'], ['$', '$'], ['TAB', '\t'], ['SPACE', ' '], ['☺', '☺']]) {
    const serde = createSerde({ format: 'DELIMITED', target: 'value', columns: twoCols, properties: { delimiter: delimiter! } });
    t.is(textOf(serde.serialize([1, 'x,y'])), `1${sep}x,y`);
    t.deepEqual(serde.deserialize(bytesOf(`2${sep}z`)), [2, 'z']);
  }
  const keys = createSerde({
    format: 'DELIMITED', target: 'key', columns: [keyColumn('K1', STRING), keyColumn('K2', STRING)], properties: { delimiter: ';' },
  });
  t.deepEqual(keys.deserialize(bytesOf('foo,bar;baz')), ['foo,bar', 'baz']);
});

/** The reason a deserialization failed, under the format's own message. */
function detailOf(t: ExecutionContext, read: () => unknown): string {
  return (t.throws(read, { instanceOf: DeserializationError }) as DeserializationError).detail;
}

test('a column count mismatch is a deserialization error in ksqlDB words', (t) => {
  const serde = createSerde({
    format: 'DELIMITED', target: 'value', columns: [valueColumn('A', INTEGER), valueColumn('B', STRING)], topic: 't',
  });
  const error = t.throws(() => serde.deserialize(bytesOf('1,2,3')), { instanceOf: DeserializationError })!;
  t.is(error.detail, 'Column count mismatch on deserialization. topic: t, expected: 2, got: 3');
  t.is(error.message, 'Error deserializing delimited');
  t.deepEqual(error.causes, [error.detail]);
  t.is(detailOf(t, () => serde.deserialize(bytesOf(''))), 'No fields in record');
});

test('numbers and booleans are parsed from text with Java rules', (t) => {
  const serde = createSerde({
    format: 'DELIMITED', target: 'value', columns: [valueColumn('B', BOOLEAN), valueColumn('I', INTEGER), valueColumn('D', DOUBLE)],
  });
  t.deepEqual(serde.deserialize(bytesOf('TRUE,+7, 1.5d')), [true, 7, 1.5]);
  t.deepEqual(serde.deserialize(bytesOf('yes,-0,NaN'))!.slice(0, 2), [false, 0]);
  t.regex(detailOf(t, () => serde.deserialize(bytesOf('true,1.5,1'))), /For input string: "1\.5"$/);
  t.regex(detailOf(t, () => serde.deserialize(bytesOf('true,2147483648,1'))), /For input string: "2147483648"$/);
  t.regex(detailOf(t, () => serde.deserialize(bytesOf('true,1,abc'))), /For input string: "abc"$/);
});

test('a decimal that does not fit is refused', (t) => {
  const serde = createSerde({ format: 'DELIMITED', target: 'value', columns: [valueColumn('V', decimalType(4, 2))] });
  t.regex(detailOf(t, () => serde.deserialize(bytesOf('1.234'))), /without rounding/);
  t.regex(detailOf(t, () => serde.deserialize(bytesOf('123'))), /Numeric field overflow/);
});

test('complex types are refused when the serde is built', (t) => {
  t.throws(() => createSerde({ format: 'DELIMITED', target: 'value', columns: [valueColumn('A', arrayType(INTEGER))] }), {
    instanceOf: KsqlError,
    message: "The 'DELIMITED' format does not support type 'ARRAY', column: `A`",
  });
});
