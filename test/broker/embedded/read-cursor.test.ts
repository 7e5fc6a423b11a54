import test from 'ava';
import type { EmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { rec, text, withBroker } from './temp-broker.js';

/** Every record from `from` on, read `step` at a time as a task reads them (each read from the last one's next offset). */
function readInSteps(broker: EmbeddedBroker, topic: string, from: number, step: number): [number, string | null][] {
  const out: [number, string | null][] = [];
  let offset = from;
  for (;;) {
    const { records, nextOffset } = broker.fetch(topic, 0, offset, { maxRecords: step });
    if (records.length === 0) return out;
    for (const r of records) out.push([r.offset, text(r.value)]);
    offset = nextOffset;
  }
}

test('reads that stop inside stored batches go on where they stopped, readers at different offsets alike', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1 });
    for (let b = 0; b < 3; b++) broker.append('t', Array.from({ length: 7 }, (_, i) => rec(null, `v${b * 7 + i}`, i)));
    const all = broker.fetch('t', 0, 0, { maxRecords: 100 }).records.map((r): [number, string | null] => [r.offset, text(r.value)]);
    t.is(all.length, 21);
    for (const step of [1, 2, 3, 5, 7, 8]) t.deepEqual(readInSteps(broker, 't', 0, step), all, `${step} at a time`);
    // Two readers taking turns, each stopping inside a batch.
    const first = broker.fetch('t', 0, 0, { maxRecords: 3 });
    const second = broker.fetch('t', 0, 9, { maxRecords: 2 });
    t.deepEqual(broker.fetch('t', 0, first.nextOffset, { maxRecords: 2 }).records.map((r) => r.offset), [3, 4]);
    t.deepEqual(broker.fetch('t', 0, second.nextOffset, { maxRecords: 6 }).records.map((r) => r.offset), [11, 12, 13, 14, 15, 16]);
  });
});

test('a read that stopped inside a batch compaction then rewrote goes on with what compaction kept', (t) => {
  withBroker((broker) => {
    broker.createTopic('t', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    broker.append('t', [rec('a', 'a1', 1), rec('b', 'b1', 2), rec('a', 'a2', 3), rec('c', 'c1', 4), rec('b', 'b2', 5), rec('a', 'a3', 6)]);
    const start = broker.fetch('t', 0, 0, { maxRecords: 2 });
    t.deepEqual(start.records.map((r) => text(r.value)), ['a1', 'b1']);
    t.is(broker.runMaintenance(100).recordsRemoved, 3);
    const next = broker.fetch('t', 0, start.nextOffset, { maxRecords: 2 });
    t.deepEqual(next.records.map((r) => [r.offset, text(r.value)]), [[3, 'c1'], [4, 'b2']]);
  });
});
