import test from 'ava';
import { arithmeticOperator } from '../../src/expr/operators.js';
import { decimalOf, rescale, scaledOperator, scaledOrdering, unscaledOf } from '../../src/expr/scaled-decimal.js';
import { Decimal } from '../../src/schema/decimal.js';
import { decimalType } from '../../src/schema/sql-type.js';
import { decimalResultType } from '../../src/analyzer/type-rules.js';

/** A fixed pseudo-random sequence (xorshift), so every run checks the same values. */
function randomSource(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** An unscaled value of up to `digits` digits, often with trailing zeros, a few of them zero. */
function unscaledValue(random: () => number, digits: number): bigint {
  const length = 1 + Math.floor(random() * digits);
  let text = '';
  for (let i = 0; i < length; i++) text += String(Math.floor(random() * 10));
  if (random() < 0.3) text = text.slice(0, Math.max(1, length - 3)) + '000'.slice(0, Math.min(3, length - 1));
  const value = BigInt(text);
  return random() < 0.5 ? -value : value;
}

function textOf(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

test('decimalOf lays out the digits as decimal.js parses the same number', (t) => {
  const random = randomSource(7);
  for (let i = 0; i < 5000; i++) {
    const scale = Math.floor(random() * 20);
    const unscaled = unscaledValue(random, 40);
    const built = decimalOf(unscaled, scale);
    const parsed = new Decimal(textOf(unscaled, scale));
    if (unscaled === 0n) {
      t.true(built.isZero());
      continue;
    }
    if (built.s !== parsed.s || built.e !== parsed.e || built.d.join() !== parsed.d.join()) {
      t.fail(`${textOf(unscaled, scale)}: built ${JSON.stringify([built.s, built.e, built.d])}, parsed ${JSON.stringify([parsed.s, parsed.e, parsed.d])}`);
      return;
    }
    t.true(built.equals(parsed) && built.constructor === parsed.constructor);
  }
  t.is(decimalOf(-123450n, 2).toFixed(2), '-1234.50');
  t.is(decimalOf(5n, 7).toString(), '0.0000005');
});

test('unscaledOf reads a Decimal at a scale, and refuses one with more fractional digits', (t) => {
  const random = randomSource(11);
  for (let i = 0; i < 5000; i++) {
    const scale = Math.floor(random() * 20);
    const unscaled = unscaledValue(random, 40);
    const d = new Decimal(textOf(unscaled, scale));
    t.is(unscaledOf(d, scale), unscaled);
    t.is(unscaledOf(d, scale + 3), unscaled * 1000n);
  }
  t.is(unscaledOf(new Decimal('1.25'), 1), undefined);
  t.is(unscaledOf(new Decimal('1.20'), 1), 12n);
  t.is(unscaledOf(new Decimal('1.2e10'), 0), 12_000_000_000n);
  t.is(unscaledOf(new Decimal('123456789012345678.123456789'), 9), 123456789012345678123456789n);
  t.is(unscaledOf(new Decimal('123456789012345678.1234567891'), 9), undefined);
  t.is(unscaledOf(new Decimal(Infinity), 2), undefined);
});

test('rescale rounds HALF_UP, away from zero on a tie', (t) => {
  t.is(rescale(125n, 2, 1), 13n);
  t.is(rescale(-125n, 2, 1), -13n);
  t.is(rescale(124n, 2, 1), 12n);
  t.is(rescale(-1249n, 3, 1), -12n);
  t.is(rescale(12n, 1, 3), 1200n);
});

test('the scaled operators give what the Decimal operators give, failures included', (t) => {
  const random = randomSource(23);
  const ops = ['+', '-', '*', '/', '%'] as const;
  for (let i = 0; i < 4000; i++) {
    const op = ops[i % ops.length]!;
    const s1 = Math.floor(random() * 6);
    const s2 = Math.floor(random() * 6);
    const p1 = s1 + 1 + Math.floor(random() * 12);
    const p2 = s2 + 1 + Math.floor(random() * 12);
    const type = decimalResultType(op, decimalType(p1, s1), decimalType(p2, s2));
    if (type.kind !== 'DECIMAL') throw new Error('a DECIMAL result expected');
    const a = unscaledValue(random, p1);
    // Small divisors make exact quotients common, so both outcomes of / are compared.
    const b = op === '/' && random() < 0.6 ? BigInt(Math.floor(random() * 9) - 4) * 10n ** BigInt(s2) : unscaledValue(random, p2);
    const expected = outcome(() => (arithmeticOperator(op, type)(decimalOf(a, s1), decimalOf(b, s2)) as Decimal).toFixed(type.scale));
    const actual = outcome(() => decimalOf(scaledOperator(op, s1, s2, type.scale)(a, b), type.scale).toFixed(type.scale));
    if (actual !== expected) {
      t.fail(`${textOf(a, s1)} ${op} ${textOf(b, s2)} as ${JSON.stringify(type)}: ${actual}, expected ${expected}`);
      return;
    }
  }
  t.pass();
});

test('scaled ordering compares across scales', (t) => {
  const order = scaledOrdering(1, 3);
  t.is(order(15n, 1500n), 0);
  t.is(order(15n, 1501n), -1);
  t.is(order(-15n, -1501n), 1);
});

function outcome(f: () => string): string {
  try {
    return f();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}
