import test from 'ava';
import { FrameReader } from '../../../src/broker/kafka-protocol/frame-reader.js';
import { ProtocolError } from '../../../src/broker/kafka-protocol/protocol-error.js';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

test('frames are split however the bytes arrive: byte by byte, several in one chunk', (t) => {
  const a = Buffer.from('0123456789');
  const b = Buffer.from('abcdefghijklmnop');
  const stream = Buffer.concat([frame(a), frame(b)]);
  const reader = new FrameReader(1024);
  const frames: Buffer[] = [];
  for (const byte of stream) frames.push(...reader.push(Buffer.from([byte])));
  t.deepEqual(frames.map(String), ['0123456789', 'abcdefghijklmnop']);
  t.is(reader.buffered, 0);
  t.deepEqual(new FrameReader(1024).push(stream).map(String), ['0123456789', 'abcdefghijklmnop']);
});

test('a partial frame waits for the rest and is held, nothing more', (t) => {
  const reader = new FrameReader(1024);
  const whole = frame(Buffer.from('abcdefghij'));
  t.deepEqual(reader.push(whole.subarray(0, 9)), []);
  t.is(reader.buffered, 9);
  t.deepEqual(reader.push(whole.subarray(9)).map(String), ['abcdefghij']);
});

test('a size prefix above the cap (1 GiB), negative or too small for a header is refused at once, before its bytes are buffered', (t) => {
  const huge = Buffer.alloc(4);
  huge.writeInt32BE(1 << 30);
  t.throws(() => new FrameReader(100 * 1024 * 1024).push(huge), { instanceOf: ProtocolError, message: /frame size 1073741824/ });
  t.throws(() => new FrameReader(1024).push(Buffer.from([0xff, 0xff, 0xff, 0xff])), { instanceOf: ProtocolError });
  t.throws(() => new FrameReader(1024).push(Buffer.from([0, 0, 0, 3, 1, 2, 3])), { instanceOf: ProtocolError });
});
