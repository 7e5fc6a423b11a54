import test from 'ava';
import { Decimal } from '../../src/schema/decimal.js';
import { ARRAY_TAG, decodeValue, encodeArray, encodeBytesArray, encodeValue } from '../../src/runtime/value-codec.js';

test('each encoding is a Buffer of its own: later encodings, small or large, never change an earlier one', (t) => {
  const first = encodeValue(['sensor-1', 42, 10n]);
  const copy = Buffer.from(first);
  const large = encodeValue(['x'.repeat(200_000), [1, 2, 3]]);
  const second = encodeValue(['sensor-2', 43, 11n]);
  t.deepEqual(first, copy);
  t.deepEqual(decodeValue(first), ['sensor-1', 42, 10n]);
  t.deepEqual(decodeValue(large), ['x'.repeat(200_000), [1, 2, 3]]);
  t.deepEqual(decodeValue(second), ['sensor-2', 43, 11n]);
  t.is(first.length, second.length);
  t.false(first.buffer === second.buffer && first.byteOffset === second.byteOffset, 'two encodings never share bytes');
});

test('nested values round-trip, and equal values encode to equal bytes', (t) => {
  const value = [null, true, false, 1.5, -0, 7, 2n ** 70n, 'text', Buffer.from([1, 2]), new Map([['k', [1]]]), { A: 1, B: { C: 'd' } }, new Decimal('12.50')];
  const bytes = encodeValue(value);
  t.deepEqual(encodeValue(decodeValue(bytes)), bytes);
  t.deepEqual(encodeValue(value), bytes);
});

test('an array encoded from its head and the rest has the bytes of the whole array, and every array starts with ARRAY_TAG', (t) => {
  const accs = [3, 10n, { SUM: 2.5, N: null }, ['x']];
  t.deepEqual(encodeArray(1_700_000_000_123, accs), encodeValue([1_700_000_000_123, ...accs]));
  t.deepEqual(encodeArray('only', []), encodeValue(['only']));
  t.is(encodeValue(['sensor-1'])[0], ARRAY_TAG);
  t.is(encodeValue([])[0], ARRAY_TAG);
});

test('BIGINTs and strings are stored as the UTF-8 of their text, whatever their length or characters, and read back', (t) => {
  const textOf = (tag: number, text: string): Buffer => {
    const bytes = Buffer.from(text, 'utf8');
    const head = Buffer.alloc(5);
    head[0] = tag;
    head.writeUInt32BE(bytes.length, 1);
    return Buffer.concat([head, bytes]);
  };
  const bigints = [0n, 7n, -7n, 999_999_999_999_999n, -999_999_999_999_999n, 1_000_000_000_000_000n, -1_000_000_000_000_000n,
    BigInt(Number.MAX_SAFE_INTEGER), -(2n ** 63n), 2n ** 63n - 1n, 2n ** 70n];
  for (const v of bigints) {
    t.deepEqual(encodeValue(v), textOf(5, v.toString()), `${v}`);
    t.is(decodeValue(encodeValue(v)), v);
  }
  const strings = ['', 'a', 'x'.repeat(63) + 'é', 'x'.repeat(64), 'x'.repeat(65), 'é', '日本', '\u{1F600}', '\u0000\u007f'];
  for (const s of strings) {
    t.deepEqual(encodeValue(s), textOf(6, s), JSON.stringify(s));
    t.is(decodeValue(encodeValue(s)), s);
  }
  t.deepEqual(decodeValue(encodeValue(['é', 12n, 'ascii'])), ['é', 12n, 'ascii'], 'a fallback to the UTF-8 writer leaves the next values in place');
  t.throws(() => decodeValue(textOf(5, '12a')), { instanceOf: SyntaxError }, 'a BIGINT that is not digits is not read as one');
});

test('encodeBytesArray writes what encodeValue writes for the array of the encoded values and the last one encoded', (t) => {
  const earlier = [encodeValue(['a', 1n]), encodeValue(null)];
  // The last value grows the scratch buffer while it is written (its length is filled in afterwards).
  for (const last of [[['x', 2], 5, 0, 7], 'y'.repeat(300_000), null]) {
    for (const before of [[], earlier]) t.deepEqual(encodeBytesArray(before, last), encodeValue([...before, encodeValue(last)]));
  }
});
