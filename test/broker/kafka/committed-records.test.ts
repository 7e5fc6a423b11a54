/**
 * Kafka's read_committed rule over a Fetch answer, as the partition fetcher
 * applies it: per producer, an aborted transaction runs from the first offset
 * the answer names to that producer's ABORT marker; markers are never records;
 * the next offset passes markers and offsets compaction removed from a batch's end.
 */
import test from 'ava';
import { committedRecords } from '../../../src/broker/kafka/partition-fetcher.js';
import type { KafkajsFetchedPartition, KafkajsRecord } from '../../../src/broker/kafka/kafkajs-cluster.js';

function rec(offset: number, producerId: string, value: string | null, options: { control?: 'abort' | 'commit'; inTransaction?: boolean; lastOffsetDelta?: number } = {}): KafkajsRecord {
  const marker = options.control === undefined ? null : Buffer.from([0, 0, 0, options.control === 'abort' ? 0 : 1]);
  return {
    offset: String(offset),
    timestamp: '1000',
    key: marker,
    value: value === null ? null : Buffer.from(value),
    headers: {},
    isControlRecord: options.control !== undefined,
    batchContext: { firstOffset: String(offset), lastOffsetDelta: options.lastOffsetDelta ?? 0, producerId, inTransaction: options.inTransaction ?? true },
  };
}

function partition(messages: KafkajsRecord[], aborted: { producerId: string; firstOffset: string }[]): KafkajsFetchedPartition {
  return { partition: 0, errorCode: 0, highWatermark: '99', lastStableOffset: '99', abortedTransactions: aborted, messages };
}

test('interleaved producers: only the aborted producer\'s records between its first offset and its abort marker are dropped', (t) => {
  const fetched = partition(
    [
      rec(0, '1', 'p1 aborted'),
      rec(1, '2', 'p2 committed'),
      rec(2, '1', 'p1 aborted too'),
      rec(3, '1', null, { control: 'abort' }),
      rec(4, '2', null, { control: 'commit' }),
      rec(5, '1', 'p1 again, committed'),
      rec(6, '3', 'not transactional', { inTransaction: false }),
      rec(7, '1', null, { control: 'commit' }),
      rec(8, '1', 'p1 aborted later'),
      rec(9, '1', null, { control: 'abort', lastOffsetDelta: 0 }),
    ],
    [
      { producerId: '1', firstOffset: '8' },
      { producerId: '1', firstOffset: '0' },
    ],
  );
  const result = committedRecords('t', fetched, 0);
  t.deepEqual(result.records.map((r) => String(r.value)), ['p2 committed', 'p1 again, committed', 'not transactional']);
  t.is(result.nextOffset, 10);
});

test('records before the offset asked are skipped; a batch whose last records were compacted away still moves the next offset past them', (t) => {
  const fetched = partition([rec(3, '-1', 'before', { inTransaction: false }), rec(4, '-1', 'from here', { inTransaction: false, lastOffsetDelta: 0 })], []);
  const batchOf = (r: KafkajsRecord, first: number, delta: number): KafkajsRecord => ({ ...r, batchContext: { ...r.batchContext, firstOffset: String(first), lastOffsetDelta: delta } });
  const compacted = { ...fetched, messages: fetched.messages.map((r) => batchOf(r, 3, 5)) };
  const result = committedRecords('t', compacted, 4);
  t.deepEqual(result.records.map((r) => [r.offset, String(r.value)]), [[4, 'from here']]);
  t.is(result.nextOffset, 9);
  t.is(committedRecords('t', partition([], []), 12).nextOffset, 12, 'nothing fetched: start there again');
});
