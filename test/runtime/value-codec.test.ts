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

test('encodeBytesArray writes what encodeValue writes for the array of the encoded values and the last one encoded', (t) => {
  const earlier = [encodeValue(['a', 1n]), encodeValue(null)];
  // The last value grows the scratch buffer while it is written (its length is filled in afterwards).
  for (const last of [[['x', 2], 5, 0, 7], 'y'.repeat(300_000), null]) {
    for (const before of [[], earlier]) t.deepEqual(encodeBytesArray(before, last), encodeValue([...before, encodeValue(last)]));
  }
});
