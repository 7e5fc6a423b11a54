/**
 * DECIMAL values as scaled integers for arithmetic: a value v of a type with
 * scale s is the bigint v * 10^s. Adding, multiplying, dividing exactly and
 * rounding HALF_UP on these are a few bigint operations, where decimal.js
 * parses, normalises and allocates per step; the arithmetic of an expression
 * runs on them and only its result becomes a Decimal again (rows hold
 * Decimals). Conversions read and write decimal.js's documented instance
 * properties (`d`: base-10^7 words of the digits, most significant first,
 * without trailing zero words; `e`: the power of ten of the leading digit;
 * `s`: the sign), as its own parser lays them out.
 */
import { KsqlError } from '../common/errors.js';
import { Decimal } from '../schema/decimal.js';

/** Digits per word of decimal.js's digit array. */
const LOG_BASE = 7;

const POWERS: bigint[] = [1n];

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  for (let k = POWERS.length; k <= n; k++) POWERS.push(POWERS[k - 1]! * 10n);
  return POWERS[n]!;
}

/** The fields decimal.js's constructor sets, writable here only, in `decimalOf`. */
interface DecimalFields {
  s: number;
  e: number;
  d: number[];
}

/**
 * `d` as an integer at `scale` (d * 10^scale), or undefined when `d` has more
 * fractional digits than `scale` (or is not finite): such a value is computed
 * by decimal.js instead.
 */
export function unscaledOf(d: Decimal, scale: number): bigint | undefined {
  const words = d.d;
  if (words === null || words === undefined) return undefined;
  const count = words.length;
  const first = words[0]!;
  if (first === 0) return 0n;
  // The digits of the words, read as one integer, and how many of them lie after the point.
  let places = (first < 10 ? 0 : first < 100 ? 1 : first < 1000 ? 2 : first < 10_000 ? 3 : first < 100_000 ? 4 : first < 1_000_000 ? 5 : 6) +
    LOG_BASE * (count - 1) - d.e;
  let digits: bigint;
  if (count <= 2) {
    let n = count === 1 ? first : first * 10_000_000 + words[1]!;
    while (places > scale && n % 10 === 0) {
      n /= 10;
      places--;
    }
    if (places > scale) return undefined;
    digits = BigInt(n);
  } else {
    let text = String(first);
    for (let i = 1; i < count; i++) text += String(words[i]!).padStart(LOG_BASE, '0');
    let end = text.length;
    while (places > scale && text.charCodeAt(end - 1) === 48) {
      end--;
      places--;
    }
    if (places > scale) return undefined;
    digits = BigInt(end === text.length ? text : text.slice(0, end));
  }
  if (places < scale) digits *= pow10(scale - places);
  return d.s < 0 ? -digits : digits;
}

/** The Decimal of `unscaled` * 10^-scale, laid out as decimal.js's parser lays out the same digits. */
export function decimalOf(unscaled: bigint, scale: number): Decimal {
  // A zero from decimal.js itself, so the instance has the library's own shape; its fields are then set to ours.
  const x = new Decimal(0);
  if (unscaled === 0n) return x;
  const fields = x as unknown as DecimalFields;
  const negative = unscaled < 0n;
  const magnitude = negative ? -unscaled : unscaled;
  fields.s = negative ? -1 : 1;
  if (magnitude <= MAX_SAFE) {
    wordsOfSafe(Number(magnitude), scale, fields);
    return x;
  }
  const text = magnitude.toString();
  let len = text.length;
  while (text.charCodeAt(len - 1) === 48) len--;
  const e = text.length - 1 - scale;
  const words: number[] = [];
  // The first word holds the digits down to the next power of 10^7.
  let i = (e + 1) % LOG_BASE;
  if (e < 0) i += LOG_BASE;
  let rest: string;
  let pad: number;
  if (i < len) {
    if (i > 0) words.push(+text.slice(0, i));
    for (; i + LOG_BASE < len; i += LOG_BASE) words.push(+text.slice(i, i + LOG_BASE));
    rest = text.slice(i, len);
    pad = LOG_BASE - rest.length;
  } else {
    rest = text.slice(0, len);
    pad = i - len;
  }
  words.push(+rest * 10 ** pad);
  fields.e = e;
  fields.d = words;
  return x;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** The same layout as decimalOf's from the digits' text, for a magnitude that is a safe integer: in exact double arithmetic. */
function wordsOfSafe(magnitude: number, scale: number, fields: DecimalFields): void {
  let n = magnitude;
  let places = scale;
  while (n % 10 === 0) {
    n /= 10;
    places--;
  }
  let length = 1;
  while (length < 16 && n >= POWERS_OF_TEN[length]!) length++;
  const e = length - 1 - places;
  // The first word holds the digits down to the next power of 10^7 (1 to 7 of them).
  const first = ((((e + 1) % LOG_BASE) + LOG_BASE) % LOG_BASE) || LOG_BASE;
  const words: number[] = [];
  if (length <= first) {
    words.push(n * POWERS_OF_TEN[first - length]!);
  } else {
    let left = length - first;
    let rest = n % POWERS_OF_TEN[left]!;
    words.push((n - rest) / POWERS_OF_TEN[left]!);
    while (left > LOG_BASE) {
      left -= LOG_BASE;
      const below = rest % POWERS_OF_TEN[left]!;
      words.push((rest - below) / POWERS_OF_TEN[left]!);
      rest = below;
    }
    words.push(rest * POWERS_OF_TEN[LOG_BASE - left]!);
  }
  fields.e = e;
  fields.d = words;
}

/** `value` at scale `from` brought to scale `to`, rounding HALF_UP (away from zero on a tie) when `to` is smaller. */
export function rescale(value: bigint, from: number, to: number): bigint {
  if (from === to) return value;
  if (from < to) return value * pow10(to - from);
  const divisor = pow10(from - to);
  const quotient = value / divisor;
  const remainder = value - quotient * divisor;
  const twice = remainder < 0n ? -2n * remainder : 2n * remainder;
  if (twice < divisor) return quotient;
  return value < 0n ? quotient - 1n : quotient + 1n;
}

function divisionByZero(): never {
  throw new KsqlError('BAD_STATEMENT', '/ by zero');
}

/**
 * An arithmetic operator on scaled integers: operands at scales `left` and
 * `right`, the result at `scale`, with the rules of the Decimal operators
 * (operators.ts): + - * % exact then rounded HALF_UP to the result's scale,
 * / exact or failing with "Rounding necessary" (ksqlDB divides with
 * RoundingMode.UNNECESSARY), % truncating as Java's BigDecimal.remainder.
 */
export function scaledOperator(op: string, left: number, right: number, scale: number): (a: bigint, b: bigint) => bigint {
  const common = Math.max(left, right);
  const alignLeft = pow10(common - left);
  const alignRight = pow10(common - right);
  switch (op) {
    case '+': return (a, b) => rescale(a * alignLeft + b * alignRight, common, scale);
    case '-': return (a, b) => rescale(a * alignLeft - b * alignRight, common, scale);
    case '*': return (a, b) => rescale(a * b, left + right, scale);
    case '/': {
      // (a / 10^left) / (b / 10^right) at `scale`: a * 10^(right + scale) / (b * 10^left), which must be whole.
      const up = pow10(right + scale);
      const down = pow10(left);
      return (a, b) => {
        if (b === 0n) divisionByZero();
        const numerator = a * up;
        const denominator = b * down;
        if (numerator % denominator !== 0n) throw new KsqlError('BAD_STATEMENT', 'Rounding necessary');
        return numerator / denominator;
      };
    }
    default:
      return (a, b) => {
        if (b === 0n) divisionByZero();
        return rescale((a * alignLeft) % (b * alignRight), common, scale);
      };
  }
}

/** Orders two scaled integers at scales `left` and `right`. */
export function scaledOrdering(left: number, right: number): (a: bigint, b: bigint) => number {
  const common = Math.max(left, right);
  const alignLeft = pow10(common - left);
  const alignRight = pow10(common - right);
  return (a, b) => {
    const x = a * alignLeft;
    const y = b * alignRight;
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
