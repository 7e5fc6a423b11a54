import test from 'ava';
import { computeCrc32c, updateCrc32c } from '../../src/broker/crc32c.js';

// Published CRC-32C check values: the "123456789" check value and the iSCSI vectors of RFC 3720, appendix B.4.
test('the CRC-32C of "123456789" is the published check value', (t) => {
  t.is(computeCrc32c(Buffer.from('123456789', 'ascii')), 0xe3069283);
});

test('the CRC-32C matches the RFC 3720 test vectors', (t) => {
  t.is(computeCrc32c(Buffer.alloc(32, 0x00)), 0x8a9136aa);
  t.is(computeCrc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  t.is(computeCrc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
  t.is(computeCrc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c);
});

test('the CRC of data in pieces equals the CRC of the whole', (t) => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
  const whole = computeCrc32c(data);
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    t.is(updateCrc32c(computeCrc32c(data, 0, cut), data, cut), whole, `cut at ${cut}`);
  }
});

test('the slicing loop agrees with a bytewise reference on every length and alignment', (t) => {
  const reference = (bytes: Uint8Array): number => {
    let c = ~0;
    for (const b of bytes) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    return ~c >>> 0;
  };
  const backing = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 31 + 7) & 0xff));
  for (let n = 0; n <= 200; n += n < 80 ? 1 : 13) {
    for (let shift = 0; shift < 4; shift++) {
      const data = backing.subarray(shift, shift + n);
      t.is(computeCrc32c(data), reference(data), `length ${n} at offset ${shift}`);
      t.is(computeCrc32c(backing, shift + 1, shift + 1 + n), reference(backing.subarray(shift + 1, shift + 1 + n)));
    }
  }
});
