import test from 'ava';
import { Decimal, integralDigits, roundDecimal } from '../../src/schema/decimal.js';

test('integralDigits counts the digits before the point, none below one, for any sign and size', (t) => {
  const cases: [string, number][] = [
    ['0', 0], ['-0', 0], ['0.5', 0], ['-0.999', 0], ['1', 1], ['-1', 1], ['9.99', 1], ['10', 2], ['99.5', 2],
    ['-9999999999999999999', 19], ['123456789012345678901234.5', 24], ['1e30', 31], ['1.5e-30', 0],
  ];
  for (const [text, digits] of cases) t.is(integralDigits(new Decimal(text)), digits, text);
});

test('roundDecimal rounds HALF_UP to the scale and keeps a value that already fits as it is', (t) => {
  t.is(roundDecimal(new Decimal('2.345'), 2).toFixed(), '2.35');
  t.is(roundDecimal(new Decimal('-2.345'), 2).toFixed(), '-2.35');
  t.is(roundDecimal(new Decimal('2.5'), 0).toFixed(), '3');
  const fits = new Decimal('114.264');
  t.is(roundDecimal(fits, 3), fits);
  t.is(roundDecimal(fits, 5), fits);
  t.is(roundDecimal(new Decimal('1e20'), 0).toFixed(), '100000000000000000000');
});
