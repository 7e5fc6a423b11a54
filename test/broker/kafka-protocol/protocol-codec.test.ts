import test from 'ava';
import { ProtocolError } from '../../../src/broker/kafka-protocol/protocol-error.js';
import { ProtocolReader } from '../../../src/broker/kafka-protocol/protocol-reader.js';
import { ProtocolWriter } from '../../../src/broker/kafka-protocol/protocol-writer.js';

function bytesOf(writer: ProtocolWriter): Buffer {
  return Buffer.concat(writer.finish());
}

test('every primitive reads back as written, big-endian with int16 string and int32 bytes lengths', (t) => {
  const w = new ProtocolWriter();
  w.int8(-2).bool(true).int16(-300).int32(-70000).int64(2 ** 53 - 1).int64(-1);
  w.string('héllo').nullableString(null).nullableBytes([Buffer.from('ab'), Buffer.from('cd')]).nullableBytes(null);
  w.array([1, 2, 3], (aw, n) => aw.int32(n)).array(null, () => {});
  w.unsignedVarint(0).unsignedVarint(300).unsignedVarint(2 ** 31);
  w.compactArray(['x'], (cw, s) => cw.unsignedVarint(Buffer.byteLength(s) + 1).int8(s.charCodeAt(0))).emptyTaggedFields();
  const bytes = bytesOf(w);
  t.deepEqual([...bytes.subarray(0, 4)], [0xfe, 0x01, 0xfe, 0xd4], 'int8 -2, true, int16 -300 big-endian');
  const r = new ProtocolReader(bytes);
  t.is(r.int8(), -2);
  t.true(r.bool());
  t.is(r.int16(), -300);
  t.is(r.int32(), -70000);
  t.is(r.int64(), 2 ** 53 - 1);
  t.is(r.int64(), -1);
  t.is(r.string(), 'héllo');
  t.is(r.nullableString(), null);
  t.is(r.nullableBytes()?.toString(), 'abcd');
  t.is(r.nullableBytes(), null);
  t.deepEqual(r.array((ar) => ar.int32()), [1, 2, 3]);
  t.is(r.nullableArray((ar) => ar.int32()), null);
  t.is(r.unsignedVarint(), 0);
  t.is(r.unsignedVarint(), 300);
  t.is(r.unsignedVarint(), 2 ** 31);
  t.is(r.unsignedVarint(), 2, 'a compact array of one has length 1 + 1');
  t.is(r.compactNullableString(), 'x');
  r.skipTaggedFields();
  t.is(r.remaining, 0);
});

test('a writer keeps large byte fields as their own chunks, uncopied', (t) => {
  const batch = Buffer.alloc(1000, 7);
  const chunks = new ProtocolWriter().int32(1).nullableBytes([batch]).int16(2).finish();
  t.true(chunks.includes(batch));
  t.is(Buffer.concat(chunks).length, 4 + 4 + 1000 + 2);
});

test('reading past the end, a negative length or an int64 beyond safe integers is a ProtocolError', (t) => {
  t.throws(() => new ProtocolReader(Buffer.from([0, 0, 0])).int32(), { instanceOf: ProtocolError, message: /truncated/ });
  t.throws(() => new ProtocolReader(Buffer.from([0, 5, 0x61])).string(), { instanceOf: ProtocolError });
  t.throws(() => new ProtocolReader(Buffer.from([0xff, 0xfe])).nullableString(), { instanceOf: ProtocolError, message: /invalid string length/ });
  t.throws(() => new ProtocolReader(Buffer.from([0xff, 0xff, 0xff, 0xfe])).nullableBytes(), { instanceOf: ProtocolError });
  t.throws(() => new ProtocolReader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((r) => r.int8()), { instanceOf: ProtocolError, message: /invalid array length/ });
  t.throws(() => new ProtocolReader(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).int64(), { instanceOf: ProtocolError });
  t.throws(() => new ProtocolReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).unsignedVarint(), { instanceOf: ProtocolError });
  t.throws(() => new ProtocolReader(Buffer.from([0xff, 0xff])).string(), { message: /null where a string is required/ });
});

test('a writer grows past its first buffer without losing what it writes at the boundary', (t) => {
  const w = new ProtocolWriter();
  const words = Array.from({ length: 300 }, (_, i) => `word-${i}`);
  for (const [i, word] of words.entries()) w.int8(i % 100).string(word).int16(i).unsignedVarint(i * 1000).int32(i).int64(i);
  const r = new ProtocolReader(bytesOf(w));
  for (const [i, word] of words.entries()) {
    t.deepEqual([r.int8(), r.string(), r.int16(), r.unsignedVarint(), r.int32(), r.int64()], [i % 100, word, i, i * 1000, i, i]);
  }
  t.is(r.remaining, 0);
});

test('a flexible writer and reader use the compact forms and end structures with tagged fields; a plain one writes no tags', (t) => {
  const w = new ProtocolWriter(true);
  w.string('ab').nullableString(null).nullableBytes([Buffer.from('xyz')]).nullableBytes(null);
  w.array([7], (aw, n) => aw.int32(n).taggedFields()).array(null, () => {}).uuid('0123456789abcdef0123456789abcdef').taggedFields();
  const bytes = bytesOf(w);
  t.deepEqual([...bytes.subarray(0, 10)], [3, 0x61, 0x62, 0, 4, 0x78, 0x79, 0x7a, 0, 2], 'length + 1 as unsigned varints; 0 for null');
  const r = new ProtocolReader(bytes, true);
  t.is(r.string(), 'ab');
  t.is(r.nullableString(), null);
  t.is(r.nullableBytes()?.toString(), 'xyz');
  t.is(r.nullableBytes(), null);
  t.deepEqual(r.array((ar) => {
    const n = ar.int32();
    ar.taggedFields();
    return n;
  }), [7]);
  t.is(r.nullableArray((ar) => ar.int8()), null);
  t.is(r.uuid(), '0123456789abcdef0123456789abcdef');
  r.taggedFields();
  t.is(r.remaining, 0);

  t.is(bytesOf(new ProtocolWriter().int8(1).taggedFields()).length, 1, 'tagged fields exist only in flexible versions');
  const tagged = Buffer.from([1, 5, 2, 0xaa, 0xbb, 9]);
  const skipping = new ProtocolReader(tagged, true);
  skipping.taggedFields();
  t.is(skipping.int8(), 9, 'unknown tagged fields are skipped whole');
  const plain = new ProtocolReader(tagged).rest(true);
  plain.taggedFields();
  t.is(plain.int8(), 9, 'rest() reads on from where the header ended, flexible');
});
