import test from 'ava';
import fc from 'fast-check';
import { formatJavaDouble, javaBigDecimalText, parseJavaDouble, parseJavaInt, parseJavaLong } from '../../src/schema/java-text.js';

test('doubles print as Java Double.toString prints them', (t) => {
  const cases: [number, string][] = [
    [0, '0.0'], [-0, '-0.0'], [1, '1.0'], [-2.5, '-2.5'], [0.001, '0.001'], [0.0001, '1.0E-4'], [9999999, '9999999.0'],
    [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [5e-324, '4.9E-324'], [1e21, '1.0E21'], [1.7976931348623157e308, '1.7976931348623157E308'],
  ];
  for (const [d, text] of cases) t.is(formatJavaDouble(d), text, String(d));
});

test('printed doubles read back to the same double', (t) => {
  fc.assert(fc.property(fc.double({ noNaN: true }), (d) => Object.is(parseJavaDouble(formatJavaDouble(d)), d)));
  t.pass();
});

test('integer text follows parseInt and parseLong', (t) => {
  t.is(parseJavaInt('+12'), 12);
  t.is(parseJavaInt('-2147483648'), -2147483648);
  t.is(parseJavaInt('2147483648'), undefined);
  t.is(parseJavaInt(' 1'), undefined);
  t.is(parseJavaInt('1e3'), undefined);
  t.is(parseJavaLong('-9223372036854775808'), -9223372036854775808n);
  t.is(parseJavaLong('9223372036854775808'), undefined);
  t.is(parseJavaDouble(' 1.5e2 '), 150);
  t.is(parseJavaDouble('2f'), 2);
  t.is(parseJavaDouble('-Infinity'), -Infinity);
  t.is(parseJavaDouble('abc'), undefined);
  t.is(parseJavaDouble(''), undefined);
});

test('decimal text keeps exactly the scale, also where toString would use an exponent', async (t) => {
  const { Decimal } = await import('decimal.js');
  const { compileDecimalText } = await import('../../src/schema/java-text.js');
  const two = compileDecimalText(2);
  t.is(two(new Decimal('1.5')), '1.50');
  t.is(two(new Decimal('-3')), '-3.00');
  t.is(two(new Decimal('0.125')), '0.13');
  t.is(compileDecimalText(0)(new Decimal('42')), '42');
  t.is(compileDecimalText(10)(new Decimal('1e-8')), '0.0000000100');
  t.is(compileDecimalText(1)(new Decimal('1e25')), '10000000000000000000000000.0');
  t.is(two(new Decimal('-0.001').toDecimalPlaces(2)), '0.00');
  // Any value at any scale: the text toFixed gives, digits at both ends of decimal.js's 7-digit words included.
  fc.assert(fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: -30, max: 30 }), fc.integer({ min: 0, max: 20 }),
    (unscaled, exponent, scale) => {
      const d = new Decimal(`${unscaled}e${exponent}`);
      return compileDecimalText(scale)(d) === d.toFixed(scale);
    }), { numRuns: 5000 });
});

test('javaBigDecimalText prints a literal as new BigDecimal(literal).toString() does', (t) => {
  t.is(javaBigDecimalText('2.50'), '2.50');
  t.is(javaBigDecimalText('1.0'), '1.0');
  t.is(javaBigDecimalText('-0.001'), '-0.001');
  t.is(javaBigDecimalText('0.000001'), '0.000001');
  t.is(javaBigDecimalText('0.00000012'), '1.2E-7');
  t.is(javaBigDecimalText('1.0E10'), '1.0E+10');
  t.is(javaBigDecimalText('1E+10'), '1E+10');
  t.is(javaBigDecimalText('1.5e2'), '1.5E+2');
  t.is(javaBigDecimalText('12.345e1'), '123.45');
});
