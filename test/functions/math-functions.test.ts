import test from 'ava';
import { Decimal } from '../../src/schema/decimal.js';
import { BIGINT, DATE, DOUBLE, INTEGER, STRING, decimalType } from '../../src/schema/sql-type.js';
import { call, registry } from './call-helper.js';

const D = DOUBLE;

test('ABS, SIGN, CEIL and FLOOR keep integer, double and decimal types', (t) => {
  t.is(call('ABS', [INTEGER], -1), 1);
  t.is(call('ABS', [BIGINT], -2n), 2n);
  t.is(call('ABS', [D], -3.1), 3.1);
  t.true((call('ABS', [decimalType(2, 1)], new Decimal('-3.2')) as Decimal).equals(new Decimal('3.2')));
  t.is(call('SIGN', [BIGINT], -5n), -1);
  t.is(call('SIGN', [D], 0), 0);
  t.is(call('CEIL', [D], -1.5), -1);
  t.is(call('FLOOR', [D], -1.1), -2);
  t.is((call('FLOOR', [decimalType(2, 1)], new Decimal('-1.1')) as Decimal).toString(), '-2');
  t.is((call('CEIL', [decimalType(2, 1)], new Decimal('1.1')) as Decimal).toString(), '2');
  t.is(call('ABS', [D], null), null);
});

test('ROUND sends halves towards positive infinity and returns BIGINT for a double', (t) => {
  const r0 = registry.resolve('ROUND', [D]);
  t.deepEqual(r0.returnType, BIGINT);
  t.is(r0.implementation(1.5), 2n);
  t.is(r0.implementation(-1.5), -1n);
  t.is(r0.implementation(-1.7), -2n);
  t.is(call('ROUND', [D, INTEGER], 12345.678, 2), 12345.68);
  t.is(call('ROUND', [D, INTEGER], -12345.678, -1), -12350);
  t.is(call('ROUND', [D, INTEGER], 1.2, -1), 0);
  t.is(call('ROUND', [D, INTEGER], null, 1), null);
});

test('ROUND on a DECIMAL types its result from the argument', (t) => {
  const whole = registry.resolve('ROUND', [decimalType(33, 16)]);
  t.deepEqual(whole.returnType, decimalType(17, 0));
  t.deepEqual(registry.resolve('ROUND', [INTEGER]).returnType, BIGINT);
  t.is((whole.implementation(new Decimal('12345678987654321.2345678987654321')) as Decimal).toFixed(), '12345678987654321');
  const places = registry.resolve('ROUND', [decimalType(33, 16), INTEGER]);
  t.deepEqual(places.returnType, decimalType(33, 16));
  const v = new Decimal('12345678987654321.2345678987654321');
  t.is((places.implementation(v, 10) as Decimal).toFixed(16), '12345678987654321.2345678988000000');
  t.is((places.implementation(v, -2) as Decimal).toFixed(16), '12345678987654300.0000000000000000');
});

test('TRUNC truncates towards zero', (t) => {
  t.is(call('TRUNC', [D], -1.7), -1n);
  t.is(call('TRUNC', [D, INTEGER], 12345.678, 2), 12345.67);
  t.is(call('TRUNC', [D, INTEGER], -12345.678, -2), -12300);
  t.is((call('TRUNC', [decimalType(12, 7), INTEGER], new Decimal('-1.7'), 0) as Decimal).toString(), '-1');
  t.is(call('TRUNC', [BIGINT], 2147483648n), 2147483648n);
});

test('logarithms, roots and powers follow IEEE rules for edge inputs', (t) => {
  t.true(Number.isNaN(call('LN', [D], -1) as number));
  t.is(call('LN', [D], 0), -Infinity);
  t.is(call('SQRT', [D], 4), 2);
  t.is(call('EXP', [D], 0), 1);
  t.is(call('LOG', [D], Math.E ** 2), 2);
  t.is(call('LOG', [D, D], 15, 1), 0);
  t.is(call('LOG', [D, D], 15, 0), -Infinity);
  t.true(Number.isNaN(call('LOG', [D, D], 1, 13) as number));
  t.true(Number.isNaN(call('LOG', [D, D], 0, 13) as number));
  t.is(call('POWER', [D, D], 2, 10), 1024);
  t.is(call('CBRT', [D], 27), 3);
  t.is(call('COT', [D], -0), -Infinity);
  t.is(call('ATAN2', [D, D], 0, -3), Math.PI);
});

test('GREATEST and LEAST ignore NULLs and compare within one type', (t) => {
  t.is(call('GREATEST', [INTEGER, INTEGER, INTEGER, null, INTEGER], 2147483647, -2147483648, null, null, 5), 2147483647);
  t.is(call('LEAST', [BIGINT, BIGINT], 9223372036854775807n, -9223372036854775808n), -9223372036854775808n);
  t.is(call('GREATEST', [STRING, STRING, STRING], null, null, 'hello'), 'hello');
  t.is(call('LEAST', [STRING, STRING, STRING], '!', 'Zebra', 'aardvark'), '!');
  t.is(call('GREATEST', [DATE, DATE], 19071, null), 19071);
  t.is(call('GREATEST', [INTEGER, INTEGER], null, null), null);
  t.true((call('GREATEST', [decimalType(9, 2), decimalType(7, 6)], new Decimal('1234567.89'), new Decimal('0.123456')) as Decimal).equals(new Decimal('1234567.89')));
});

test('GEO_DISTANCE uses the great circle in kilometres or miles', (t) => {
  const km = call('GEO_DISTANCE', [D, D, D, D], 37.4439, -122.1663, 51.5257, -0.1122) as number;
  t.true(Math.abs(km - 8634.659796579544) < 1e-6);
  const mi = call('GEO_DISTANCE', [D, D, D, D, STRING], 37.4439, -122.1663, 51.5257, -0.1122, 'MI') as number;
  t.true(Math.abs(mi - 5365.659729188262) < 1e-6);
  t.throws(() => call('GEO_DISTANCE', [D, D, D, D, STRING], 1, 1, 1, 1, 'parsecs'));
  // ksqlDB trims the unit, takes singular names too, and reads a blank unit as KM.
  for (const unit of [' mile ', 'Mile']) {
    t.is(call('GEO_DISTANCE', [D, D, D, D, STRING], 37.4439, -122.1663, 51.5257, -0.1122, unit), mi, unit);
  }
  for (const unit of ['kilometer', 'Kilometre', ' km', '', '  ']) {
    t.is(call('GEO_DISTANCE', [D, D, D, D, STRING], 37.4439, -122.1663, 51.5257, -0.1122, unit), km, unit);
  }
});

test('COALESCE, IFNULL and NULLIF handle NULLs by design', (t) => {
  t.is(call('COALESCE', [null, INTEGER, INTEGER], null, null, 3), 3);
  t.is(call('COALESCE', [INTEGER], null), null);
  t.is(call('IFNULL', [STRING, STRING], null, 'alt'), 'alt');
  t.is(call('IFNULL', [STRING, STRING], 'x', 'alt'), 'x');
  t.is(call('NULLIF', [STRING, STRING], 'a', 'a'), null);
  t.is(call('NULLIF', [STRING, STRING], 'a', 'b'), 'a');
  t.is(call('NULLIF', [STRING, STRING], 'a', null), 'a');
});

test('the DOUBLE functions have INTEGER, BIGINT and DOUBLE variants as in ksqlDB: mixed integer types or NULL alone are ambiguous', (t) => {
  t.is(call('POWER', [INTEGER, INTEGER], 2, 10), 1024);
  t.is(call('POWER', [BIGINT, BIGINT], 2n, 3n), 8);
  t.deepEqual(registry.resolve('POWER', [decimalType(3, 1), BIGINT]).paramTypes, [DOUBLE, DOUBLE]);
  t.is(call('LOG', [BIGINT, BIGINT], 2n, 8n), 3);
  t.is(call('SQRT', [BIGINT], 16n), 4);
  t.is(call('ATAN2', [INTEGER, BIGINT], 0, 1n), 0);
  t.throws(() => registry.resolve('POWER', [INTEGER, BIGINT]), { message: /^Function 'power' cannot be resolved due to ambiguous method parameters \(INTEGER, BIGINT\)\./ });
  t.throws(() => registry.resolve('LOG', [BIGINT, INTEGER]), { message: /ambiguous method parameters \(BIGINT, INTEGER\)/ });
  t.throws(() => registry.resolve('SQRT', [null]), { message: /ambiguous method parameters \(null\)/ });
  t.throws(() => registry.resolve('EXP', [STRING]), { message: /Valid alternatives are:\nexp\(INTEGER exponent\)\nexp\(BIGINT exponent\)\nexp\(DOUBLE exponent\)/i });
});
