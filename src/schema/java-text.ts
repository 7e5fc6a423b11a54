/**
 * Text rules ksqlDB inherits from Java: how doubles print (Double.toString)
 * and which strings Integer.parseInt, Long.parseLong, Double.parseDouble,
 * new BigDecimal(String) and Base64 accept. Formats, casts and functions share
 * them so that the text we write and accept matches ksqlDB's.
 */
import { Decimal } from './decimal.js';

const INT_TEXT = /^[+-]?\d+$/;
const DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's Double.toString: "1.0", "0.001", "1.0E7", "4.9E-324", "NaN", "Infinity". */
export function formatJavaDouble(d: number): string {
  if (Number.isInteger(d) && d > -1e7 && d < 1e7) {
    return Object.is(d, -0) ? '-0.0' : `${d}.0`;
  }
  if (d !== d) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  const abs = d < 0 ? -d : d;
  if (abs >= 1e-3 && abs < 1e7) return String(d);
  let text = d.toExponential();
  // Java prints at least two significant digits, the closest two when one would do (4.9E-324).
  if (text.indexOf('.') < 0) text = d.toExponential(1);
  const e = text.indexOf('e');
  const mantissa = text.slice(0, e);
  const exponent = text.charCodeAt(e + 1) === 43 /* + */ ? text.slice(e + 2) : text.slice(e + 1);
  return `${mantissa}E${exponent}`;
}

/** Java's Float.toString of a 32-bit float (held as a double): the fewest digits that are still the same float. */
export function formatJavaFloat(f: number): string {
  if (!Number.isFinite(f)) return formatJavaDouble(f);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return formatJavaDouble(candidate);
  }
  return formatJavaDouble(Number(f.toPrecision(9)));
}

/** Integer.parseInt: an optional sign and decimal digits within 32 bits, else undefined. */
export function parseJavaInt(text: string): number | undefined {
  if (!INT_TEXT.test(text)) return undefined;
  const n = Number(text);
  return n >= INT_MIN && n <= INT_MAX ? n | 0 : undefined;
}

/** Long.parseLong: an optional sign and decimal digits within 64 bits, else undefined. */
export function parseJavaLong(text: string): bigint | undefined {
  if (!INT_TEXT.test(text)) return undefined;
  const n = BigInt(text);
  return n >= LONG_MIN && n <= LONG_MAX ? n : undefined;
}

/** Double.parseDouble: trims control characters and spaces, accepts NaN, Infinity and a d/f suffix. */
export function parseJavaDouble(text: string): number | undefined {
  const trimmed = trimJava(text);
  if (!DOUBLE_TEXT.test(trimmed)) return undefined;
  const last = trimmed.charCodeAt(trimmed.length - 1);
  const body = last > 57 && last !== 78 /* N */ && last !== 121 /* y */ ? trimmed.slice(0, -1) : trimmed;
  return Number(body);
}

/** new BigDecimal(String): plain or exponent notation, no spaces. */
export function parseJavaDecimal(text: string): Decimal | undefined {
  return DECIMAL_TEXT.test(text) ? new Decimal(text) : undefined;
}

/** Strict, padded base64 (Java's and Jackson's default decoders), else undefined. */
export function decodeBase64(text: string): Buffer | undefined {
  return BASE64_TEXT.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/** Java's String.trim: drops leading and trailing characters up to U+0020. */
export function trimJava(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Java's NumberFormatException wording, which ksqlDB passes on. */
export function numberFormatMessage(text: string): string {
  return `For input string: "${text}"`;
}

/**
 * Builds a writer of plain decimal text with exactly `scale` fractional digits
 * (BigDecimal.toPlainString of a value at that scale): 1.5 -> "1.50" for scale 2.
 * Writes decimal.js's digits itself, which is much cheaper than toFixed (or toString), unless the value has more
 * fractional digits than `scale` and so needs toFixed's rounding.
 */
export function compileDecimalText(scale: number): (value: Decimal) => string {
  const zeros: string[] = [];
  for (let k = 0; k <= scale; k++) zeros.push('0'.repeat(k));
  return (value) => {
    const words = value.d;
    if (words === null || words === undefined) return value.toFixed(scale);
    if (words[0] === 0) return scale === 0 ? '0' : `0.${zeros[scale]!}`;
    // decimal.js's digits are base-10^7 words, the first unpadded; e + 1 of them come before the point.
    let digits = String(words[0]);
    for (let i = 1; i < words.length; i++) digits += String(words[i]!).padStart(7, '0');
    let end = digits.length;
    while (digits.charCodeAt(end - 1) === 48) end--;
    const point = value.e + 1;
    if (end - point > scale) return value.toFixed(scale);
    const significant = end === digits.length ? digits : digits.slice(0, end);
    let whole: string;
    let fraction: string;
    if (point <= 0) {
      whole = '0';
      fraction = '0'.repeat(-point) + significant;
    } else if (point >= end) {
      whole = significant + '0'.repeat(point - end);
      fraction = '';
    } else {
      whole = significant.slice(0, point);
      fraction = significant.slice(point);
    }
    const sign = value.s < 0 ? '-' : '';
    return scale === 0 ? sign + whole : `${sign}${whole}.${fraction}${zeros[scale - fraction.length]!}`;
  };
}

/**
 * What Java's `new BigDecimal(literal).toString()` prints for a JSON number
 * literal: the digits and scale as written (`2.50` stays `2.50`), in
 * scientific notation when the scale is negative or the number is below 1e-6
 * (`1.0E10` -> `1.0E+10`, `0.00000012` -> `1.2E-7`).
 */
export function javaBigDecimalText(literal: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (match === null) return literal;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const unscaled = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const adjusted = unscaled.length - 1 - scale;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + unscaled;
    const digits = unscaled.padStart(scale + 1, '0');
    return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  const rest = unscaled.slice(1);
  return `${sign}${unscaled[0]}${rest === '' ? '' : `.${rest}`}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}
