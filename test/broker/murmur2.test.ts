import test from 'ava';
import { computeMurmur2, partitionForKey } from '../../src/broker/murmur2.js';

// Values from Kafka's own UtilsTest#testMurmur2 (org.apache.kafka.common.utils).
const KAFKA_VECTORS: readonly [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

test('murmur2 matches the values Kafka publishes in its tests', (t) => {
  for (const [input, expected] of KAFKA_VECTORS) {
    t.is(computeMurmur2(Buffer.from(input, 'utf8')), expected, input);
  }
});

test('murmur2 handles every tail length (0 to 3 leftover bytes)', (t) => {
  // Kafka-compatible values for short keys, as published by ports that test against kafka-clients.
  t.is(computeMurmur2(Buffer.from('1')), -1993445489);
  t.is(computeMurmur2(Buffer.from('12')), 126087238);
  t.is(computeMurmur2(Buffer.from('123')), -267702483);
  t.is(computeMurmur2(Buffer.from('1234')), -1614185708);
  t.is(computeMurmur2(Buffer.from('12345')), -1188365604);
});

test('the default partitioner masks the sign bit and takes the remainder', (t) => {
  for (const [input, hash] of KAFKA_VECTORS) {
    for (const n of [1, 2, 3, 6, 16, 100]) {
      t.is(partitionForKey(Buffer.from(input), n), (hash & 0x7fffffff) % n);
    }
  }
  // 'foobar' hashes negative: abs() would give a different partition than the mask.
  t.is(partitionForKey(Buffer.from('foobar'), 7), (-790332482 & 0x7fffffff) % 7);
  t.not((-790332482 & 0x7fffffff) % 7, Math.abs(-790332482) % 7);
});
