import test from 'ava';
import { Decimal } from '../../../src/schema/decimal.js';
import { createSerde, DeserializationError } from '../../../src/formats/index.js';
import {
  arrayType, BIGINT, BOOLEAN, BYTES, DATE, decimalType, DOUBLE, INTEGER, mapType, STRING, structType, TIME, TIMESTAMP,
} from '../../../src/schema/sql-type.js';
import { bytesOf, keyColumn, textOf, valueColumn } from '../columns.js';

const allTypes = [
  valueColumn('B', BOOLEAN),
  valueColumn('I', INTEGER),
  valueColumn('L', BIGINT),
  valueColumn('D', DOUBLE),
  valueColumn('DEC', decimalType(6, 2)),
  valueColumn('S', STRING),
  valueColumn('BY', BYTES),
  valueColumn('DT', DATE),
  valueColumn('T', TIME),
  valueColumn('TS', TIMESTAMP),
  valueColumn('A', arrayType(INTEGER)),
  valueColumn('M', mapType(STRING, DOUBLE)),
  valueColumn('ST', structType([{ name: 'F1', type: STRING }, { name: 'f2', type: BIGINT }])),
];

test('a row of every type survives a JSON round trip', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: allTypes });
  const row = [
    true, -7, 1234567890123n, 2.5, new Decimal('12.30'), 'hé "x"', Buffer.from('abc'), 19000, 3600000, 1700000000000,
    [1, null, 3], new Map<string, number | null>([['a', 1.5], ['b', null]]), { F1: 'x', f2: 5n },
  ];
  const bytes = serde.serialize(row);
  t.is(
    textOf(bytes),
    '{"B":true,"I":-7,"L":1234567890123,"D":2.5,"DEC":12.30,"S":"hé \\"x\\"","BY":"YWJj","DT":19000,' +
      '"T":3600000,"TS":1700000000000,"A":[1,null,3],"M":{"a":1.5,"b":null},"ST":{"F1":"x","f2":5}}',
  );
  const back = serde.deserialize(bytes)!;
  t.deepEqual(back.slice(0, 4), row.slice(0, 4));
  t.is((back[4] as Decimal).toFixed(2), '12.30');
  t.deepEqual(back.slice(5), row.slice(5));
});

test('nulls at every level round trip and a null row is null bytes', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: allTypes });
  const row = allTypes.map(() => null);
  t.deepEqual(serde.deserialize(serde.serialize(row)), row);
  t.is(serde.serialize(null), null);
  t.is(serde.deserialize(null), null);
  t.is(serde.deserialize(bytesOf('null')), null);
});

test('BIGINT and DECIMAL values beyond double precision keep every digit both ways', (t) => {
  const columns = [valueColumn('ID', BIGINT), valueColumn('AMOUNT', decimalType(38, 18)), valueColumn('NOTE', STRING)];
  const serde = createSerde({ format: 'JSON', target: 'value', columns });
  const text = '{"ID":-9223372036854775808,"AMOUNT":12345678901234567890.123456789012345678,"NOTE":12345678901234567890}';
  const row = serde.deserialize(bytesOf(text))!;
  t.is(row[0], -9223372036854775808n);
  t.is((row[1] as Decimal).toFixed(18), '12345678901234567890.123456789012345678');
  t.is(row[2], '12345678901234567890');
  t.is(textOf(serde.serialize(row)), text.replace('"NOTE":12345678901234567890', '"NOTE":"12345678901234567890"'));
});

test('field names match case-insensitively, exact names first, missing fields are NULL', (t) => {
  const columns = [valueColumn('ID', INTEGER), valueColumn('NAME', STRING), valueColumn('quoted', STRING)];
  const serde = createSerde({ format: 'JSON', target: 'value', columns });
  t.deepEqual(serde.deserialize(bytesOf('{"id":1,"Name":"a","quoted":"q"}')), [1, 'a', 'q']);
  t.deepEqual(serde.deserialize(bytesOf('{"ID":2,"id":3}')), [2, null, null]);
  t.deepEqual(serde.deserialize(bytesOf('{"QUOTED":"no","other":1}')), [null, null, null]);
});

test('numbers and strings coerce the way ksqlDB reads them', (t) => {
  const columns = [
    valueColumn('I', INTEGER), valueColumn('L', BIGINT), valueColumn('D', DOUBLE), valueColumn('DEC', decimalType(4, 2)),
    valueColumn('S', STRING), valueColumn('A', arrayType(STRING)), valueColumn('TS', TIMESTAMP),
  ];
  const serde = createSerde({ format: 'JSON', target: 'value', columns });
  const row = serde.deserialize(
    bytesOf('{"I":"42","L":"-5","D":3,"DEC":"1.5","S":{"x":[1,true]},"A":[1,2.5,false],"TS":"1000"}'),
  )!;
  t.deepEqual(row.slice(0, 3), [42, -5n, 3]);
  t.is((row[3] as Decimal).toFixed(2), '1.50');
  t.deepEqual(row.slice(4), ['{"x":[1,true]}', ['1', '2.5', 'false'], 1000]);
  t.deepEqual(serde.deserialize(bytesOf('{"I":7.9,"L":-2.5}'))!.slice(0, 2), [7, -2n]);
  t.deepEqual(serde.deserialize(bytesOf('{"S":[[1],null]}'))![4], '[[1], null]');
});

test('values that cannot be coerced fail with ksqlDB wording and the path', (t) => {
  const columns = [valueColumn('I', INTEGER), valueColumn('ST', structType([{ name: 'B', type: BOOLEAN }]))];
  const serde = createSerde({ format: 'JSON', target: 'value', columns, topic: 'input' });
  const cases: [string, string][] = [
    ['{"I":"x"}', "Can't coerce string to type. targetType: INTEGER, path: $.I"],
    ['{"I":true}', "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $.I"],
    ['{"ST":{"b":"true"}}', "Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $.ST.B"],
    ['{"ST":[1]}', "Can't convert type. sourceType: ArrayNode, requiredType: STRUCT<`B` BOOLEAN>, path: $.ST"],
    ['[1]', "Can't convert type. sourceType: ArrayNode, requiredType: STRUCT<`I` INTEGER, `ST` STRUCT<`B` BOOLEAN>>, path: $"],
  ];
  for (const [text, detail] of cases) {
    const error = t.throws(() => serde.deserialize(bytesOf(text)), { instanceOf: DeserializationError })!;
    t.is(error.detail, detail);
    t.is(error.message, `Failed to deserialize value from topic: input. ${detail}`);
    t.is(error.target, 'value');
  }
});

test('an INTEGER or BIGINT beyond its range is a deserialization error of the key or value, not a wrapped number', (t) => {
  const value = createSerde({ format: 'JSON', target: 'value', columns: [valueColumn('I', INTEGER), valueColumn('L', BIGINT)], topic: 't' });
  t.deepEqual(value.deserialize(bytesOf('{"I":-2147483648,"L":-9223372036854775808}')), [-2147483648, -9223372036854775808n]);
  t.deepEqual(value.deserialize(bytesOf('{"I":2147483647,"L":9223372036854775807}')), [2147483647, 9223372036854775807n]);
  const error = t.throws(() => value.deserialize(bytesOf('{"I":3000000000}')), { instanceOf: DeserializationError })!;
  t.is(error.message, 'Failed to deserialize value from topic: t. Numeric value (3000000000) out of range of INTEGER (-2147483648 - 2147483647), path: $.I');
  t.throws(() => value.deserialize(bytesOf('{"L":99999999999999999999999}')), {
    instanceOf: DeserializationError,
    message: /Numeric value \(99999999999999999999999\) out of range of BIGINT \(-9223372036854775808 - 9223372036854775807\), path: \$\.L$/,
  });
  t.throws(() => value.deserialize(bytesOf('{"L":1e30}')), { instanceOf: DeserializationError, message: /Numeric value \(1\.0E30\) out of range of BIGINT/ });
  const key = createSerde({ format: 'JSON', target: 'key', columns: [keyColumn('K', BIGINT)], topic: 't' });
  t.deepEqual(key.deserialize(bytesOf('9223372036854775807')), [9223372036854775807n]);
  t.throws(() => key.deserialize(bytesOf('9223372036854775808')), {
    instanceOf: DeserializationError,
    message: /^Failed to deserialize key from topic: t\. Numeric value \(9223372036854775808\) out of range of BIGINT/,
  });
});

test('malformed JSON is a deserialization error', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: [valueColumn('L', BIGINT)] });
  t.throws(() => serde.deserialize(bytesOf('{"L":')), { instanceOf: DeserializationError, message: /^Failed to deserialize value\. / });
  t.throws(() => serde.deserialize(bytesOf('{"L":12345678901234567890')), { instanceOf: DeserializationError });
});

test('decimals must fit their precision and scale without rounding', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: [valueColumn('D', decimalType(4, 2))] });
  t.is((serde.deserialize(bytesOf('{"D":10}'))![0] as Decimal).toFixed(2), '10.00');
  t.is(textOf(serde.serialize(serde.deserialize(bytesOf('{"D":1.2000}')))), '{"D":1.20}');
  t.throws(() => serde.deserialize(bytesOf('{"D":100}')), {
    message: /Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10\^2\. Got 100, path: \$\.D$/,
  });
  t.throws(() => serde.deserialize(bytesOf('{"D":1.234}')), {
    message: /Cannot fit decimal '1\.234' into DECIMAL\(4, 2\) without rounding\. \(Requires 4,3\), path: \$\.D$/,
  });
});

test('a single value column is wrapped by default and bare with UNWRAP_SINGLES', (t) => {
  const columns = [valueColumn('FOO', INTEGER)];
  const wrapped = createSerde({ format: 'JSON', target: 'value', columns });
  t.is(textOf(wrapped.serialize([10])), '{"FOO":10}');
  t.deepEqual(wrapped.deserialize(bytesOf('{"foo":10}')), [10]);
  t.throws(() => wrapped.deserialize(bytesOf('10')), { message: /requiredType: STRUCT<`FOO` INTEGER>, path: \$$/ });

  const bare = createSerde({ format: 'JSON', target: 'value', columns, features: ['UNWRAP_SINGLES'] });
  t.is(textOf(bare.serialize([10])), '10');
  t.deepEqual(bare.deserialize(bytesOf('10')), [10]);
  t.deepEqual(bare.deserialize(bytesOf('null')), [null]);
  t.is(bare.serialize([null]), null, 'a bare null column is written as null bytes, as ksqlDB does');
  t.throws(() => bare.deserialize(bytesOf('"x"')), { message: /Can't coerce string to type\. targetType: INTEGER, path: \$$/ });
});

test('single key columns are bare unless WRAP_SINGLES; multi-column keys are objects', (t) => {
  const single = createSerde({ format: 'JSON', target: 'key', columns: [keyColumn('K', STRING)] });
  t.is(textOf(single.serialize(['hey'])), '"hey"');
  t.deepEqual(single.deserialize(bytesOf('"hey"')), ['hey']);
  const wrapped = createSerde({ format: 'JSON', target: 'key', columns: [keyColumn('K', STRING)], features: ['WRAP_SINGLES'] });
  t.is(textOf(wrapped.serialize(['hey'])), '{"K":"hey"}');
  const multi = createSerde({ format: 'json', target: 'key', columns: [keyColumn('K1', INTEGER), keyColumn('K2', STRING)] });
  t.is(textOf(multi.serialize([1, 'a'])), '{"K1":1,"K2":"a"}');
  t.deepEqual(multi.deserialize(bytesOf('{"k2":"b","k1":2}')), [2, 'b']);
  const structKey = createSerde({ format: 'JSON', target: 'key', columns: [keyColumn('K', structType([{ name: 'F', type: DOUBLE }]))] });
  t.deepEqual(structKey.deserialize(bytesOf('{"f":45.67}')), [{ F: 45.67 }]);
  t.is(textOf(structKey.serialize([{ F: 45.67 }])), '{"F":45.67}');
});

test('a key with no columns writes null and ignores the bytes it reads', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'key', columns: [] });
  t.is(serde.serialize([]), null);
  t.deepEqual(serde.deserialize(bytesOf('anything')), []);
});

test('doubles print as Java prints them', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: [valueColumn('D', DOUBLE)], features: ['UNWRAP_SINGLES'] });
  const cases: [number, string][] = [
    [1, '1.0'], [1234.589, '1234.589'], [1e10, '1.0E10'], [-1.5e-5, '-1.5E-5'], [Number.MAX_VALUE, '1.7976931348623157E308'],
    [NaN, '"NaN"'], [-Infinity, '"-Infinity"'],
  ];
  for (const [d, text] of cases) t.is(textOf(serde.serialize([d])), text);
  t.true(Number.isNaN(serde.deserialize(bytesOf('"NaN"'))![0]));
});

test('BYTES must be valid base64 and TIME must lie within a day', (t) => {
  const serde = createSerde({ format: 'JSON', target: 'value', columns: [valueColumn('B', BYTES), valueColumn('T', TIME)] });
  t.throws(() => serde.deserialize(bytesOf('{"B":"not base64!"}')), {
    message: /Value is not a valid Base64 encoded string: not base64!, path: \$\.B$/,
  });
  t.throws(() => serde.deserialize(bytesOf('{"T":86400001}')), {
    message: /Time values must use number of milliseconds greater than 0 and less than 86400000\., path: \$\.T$/,
  });
});

test('MAP values read into a Map and write back with string keys', (t) => {
  const serde = createSerde({
    format: 'JSON', target: 'value', columns: [valueColumn('M', mapType(STRING, arrayType(BIGINT)))], features: ['UNWRAP_SINGLES'],
  });
  const row = serde.deserialize(bytesOf('{"a":[1,null],"b":null}'))!;
  t.deepEqual(row, [new Map<string, unknown>([['a', [1n, null]], ['b', null]])]);
  t.is(textOf(serde.serialize(row)), '{"a":[1,null],"b":null}');
});
