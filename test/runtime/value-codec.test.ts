import test from 'ava';
import { Decimal } from '../../src/schema/decimal.js';
import { ARRAY_TAG, decodeValue, encodeArray, encodeValue } from '../../src/runtime/value-codec.js';

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

test('text is its tag, its UTF-8 byte length and its UTF-8 bytes, whether short ASCII, non-ASCII at any place, or long', (t) => {
  const expected = (tag: number, s: string): Buffer => {
    const bytes = Buffer.from(s, 'utf8');
    const head = Buffer.alloc(5);
    head[0] = tag;
    head.writeUInt32BE(bytes.length, 1);
    return Buffer.concat([head, bytes]);
  };
  const STRING = 6;
  for (const s of ['', 'sensor-1', 'a'.repeat(64), 'a'.repeat(65), 'x'.repeat(300), 'é', 'sensor-é', 'abc\u007f', 'abc\u0080', 'ab\ud83d\ude00', 'lone \ud800 surrogate', `${'a'.repeat(63)}é`]) {
    t.deepEqual(encodeValue(s), expected(STRING, s), JSON.stringify(s));
    t.is(decodeValue(encodeValue(s)), s.includes('\ud800') ? s.replace('\ud800', '\ufffd') : s);
  }
  // A BIGINT is its decimal text under its own tag.
  t.deepEqual(encodeValue(-1234567890123456789012n), expected(5, '-1234567890123456789012'));
  // A non-ASCII string after ASCII ones in one encoding leaves no stray bytes from the ASCII attempt.
  t.deepEqual(decodeValue(encodeArray('k', ['ünï', 'x', 7n])), ['k', 'ünï', 'x', 7n]);
});
