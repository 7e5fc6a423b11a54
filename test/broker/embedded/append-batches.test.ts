/** The log's operations for encoded batches (a Kafka producer's): appendBatches, readBatches and onAppend. */
import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { RecordBatchBuilder } from '../../../src/broker/record-batch/record-batch-builder.js';
import { BASE_OFFSET, RECORD_COUNT, readInt64 } from '../../../src/broker/record-batch/record-batch-layout.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { rec, text, withBroker } from './temp-broker.js';

function batchOf(values: readonly string[], timestamp = 10, baseOffset = 77): Buffer {
  const builder = new RecordBatchBuilder(1 << 20);
  for (const v of values) builder.add(rec(v, v), timestamp, 'test');
  return builder.finish(baseOffset)[0]!;
}

test('appendBatches stores batches at the log end whatever base offset they carry, and they survive a reopen', (t) => {
  withBroker((broker, dir) => {
    broker.createTopic('t', { partitions: 1 });
    broker.append('t', [{ ...rec('first', 'x'), partition: 0 }]);
    t.deepEqual(broker.appendBatches('t', 0, [batchOf(['a', 'b']), batchOf(['c'])]), { baseOffset: 1, logAppendTime: -1 });
    t.is(broker.latestOffset('t', 0), 4);
    broker.close();
    const reopened = openEmbeddedBroker({ dataDir: dir });
    try {
      t.deepEqual(reopened.read('t', 0, 0).map((r) => [r.offset, text(r.key)]), [[0, 'first'], [1, 'a'], [2, 'b'], [3, 'c']]);
      const batches = reopened.readBatches('t', 0, 2, 1 << 20);
      t.deepEqual(batches.map((b) => [readInt64(b, BASE_OFFSET), b.readInt32BE(RECORD_COUNT)]), [[1, 2], [3, 1]], 'whole batches from the one holding offset 2');
      t.deepEqual(reopened.readBatches('t', 0, 0, 1).length, 1, 'at least one batch, even over the byte limit');
      t.deepEqual(reopened.readBatches('t', 0, 4, 1 << 20), []);
      t.throws(() => reopened.readBatches('t', 0, 5, 1 << 20), { message: /out of range/ });
    } finally {
      reopened.close();
    }
  });
});

test('appendBatches is all or nothing: a bad batch after a good one stores neither', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1 });
    const bad = batchOf(['y']);
    bad[bad.length - 1] ^= 1;
    const error = t.throws(() => broker.appendBatches('t', 0, [batchOf(['x']), bad]));
    t.true(isBrokerError(error, 'CORRUPT_DATA'));
    t.is(broker.latestOffset('t', 0), 0);
    t.deepEqual(broker.appendBatches('t', 0, [batchOf(['z'])]).baseOffset, 0, 'the log end was restored');
  });
});

test('onAppend is called after each commit that appended, once per partition, and not for a rolled-back one', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 2 });
    const calls: string[] = [];
    const stop = broker.onAppend((topic, partition) => calls.push(`${topic}-${partition}`));
    broker.append('t', [{ ...rec('a', 'a'), partition: 1 }, { ...rec('b', 'b'), partition: 1 }]);
    broker.appendBatches('t', 0, [batchOf(['c'])]);
    const buffer = broker.createAppendBuffer('t');
    buffer.add({ ...rec('d', 'd'), partition: 0 });
    const abort = (): never => {
      throw new Error('abort');
    };
    t.throws(() => broker.commitTransaction({ appends: [buffer], participants: [{ commit: abort }] }));
    t.deepEqual(calls, ['t-1', 't-0']);
    stop();
    broker.append('t', [{ ...rec('e', 'e'), partition: 0 }]);
    t.deepEqual(calls, ['t-1', 't-0']);
  });
});
