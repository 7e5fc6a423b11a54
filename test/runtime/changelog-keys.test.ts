import test from 'ava';
import {
  kafkaStreamsWindowChangelogKey, parseKafkaStreamsWindowChangelogKey, parseWindowBoundsChangelogKey, windowBoundsChangelogKey,
} from '../../src/runtime/changelog.js';

const TIMES = [0, 1, -1, 1_700_000_000_123, -1_700_000_000_123, 2 ** 32, 2 ** 32 - 1, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

/** A time as a big-endian signed 64-bit integer, the layout Kafka Streams writes. */
function int64(time: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(time));
  return bytes;
}

test('window changelog keys hold each time as a big-endian signed 64-bit integer, negative and past 32 bits too', (t) => {
  const key = Buffer.from('key');
  for (const time of TIMES) {
    const streams = kafkaStreamsWindowChangelogKey(key, time);
    t.deepEqual(streams, Buffer.concat([key, int64(time), Buffer.alloc(4)]), `time ${time}`);
    t.is(parseKafkaStreamsWindowChangelogKey(streams)!.start, time);
    const bounds = windowBoundsChangelogKey(key, time, time + 1);
    t.deepEqual(bounds, Buffer.concat([key, int64(time), int64(time + 1)]), `time ${time}`);
    t.deepEqual(parseWindowBoundsChangelogKey(bounds), { key, start: time, end: time + 1 });
  }
});
