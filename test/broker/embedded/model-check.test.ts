import test from 'ava';
import fc from 'fast-check';
import { partitionForKey } from '../../../src/broker/murmur2.js';
import { text, withBroker } from './temp-broker.js';

interface ModelRecord {
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: number;
}

const keyArb = fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'ff', 'key-long-enough'), { nil: null, freq: 4 });
const recordArb = fc.record({
  key: keyArb,
  value: fc.option(fc.string({ maxLength: 40 }), { nil: null, freq: 6 }),
  timestamp: fc.integer({ min: 0, max: 1_000_000 }),
  partition: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined, freq: 3 }),
});

const operationArb = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), records: fc.array(recordArb, { minLength: 1, maxLength: 30 }) }),
  fc.record({
    kind: fc.constant('read' as const),
    partition: fc.integer({ min: 0, max: 2 }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    maxRecords: fc.integer({ min: 1, max: 50 }),
  }),
);

test('appends and reads agree with a list-per-partition model', (t) => {
  fc.assert(
    fc.property(fc.array(operationArb, { minLength: 1, maxLength: 25 }), (operations) =>
      withBroker(
        (broker) => {
          broker.createTopic('m', { partitions: 3, config: { 'max.message.bytes': 600 } });
          const model: ModelRecord[][] = [[], [], []];
          for (const op of operations) {
            if (op.kind === 'append') {
              const appended = broker.append(
                'm',
                op.records.map((r) => ({
                  key: r.key === null ? null : Buffer.from(r.key),
                  value: r.value === null ? null : Buffer.from(r.value),
                  timestamp: r.timestamp,
                  ...(r.partition === undefined ? {} : { partition: r.partition }),
                })),
              );
              op.records.forEach((r, i) => {
                const where = appended[i]!;
                if (r.partition !== undefined && where.partition !== r.partition) throw new Error('explicit partition ignored');
                if (r.partition === undefined && r.key !== null && where.partition !== partitionForKey(Buffer.from(r.key), 3)) {
                  throw new Error('keyed record not on its murmur2 partition');
                }
                const list = model[where.partition]!;
                if (where.offset !== list.length) throw new Error(`offset ${where.offset} is not dense (expected ${list.length})`);
                list.push({ offset: where.offset, key: r.key, value: r.value, timestamp: r.timestamp });
              });
            } else {
              const list = model[op.partition]!;
              const from = Math.floor(op.at * list.length);
              const got = broker.read('m', op.partition, from, { maxRecords: op.maxRecords });
              const expected = list.slice(from, from + op.maxRecords);
              t.deepEqual(
                got.map((r) => ({ offset: r.offset, key: text(r.key), value: text(r.value), timestamp: r.timestamp })),
                expected,
              );
            }
          }
          for (let p = 0; p < 3; p++) t.is(broker.latestOffset('m', p), model[p]!.length);
        },
      ),
    ),
    { numRuns: 40 },
  );
});

test('compaction keeps exactly the latest record of every key, at its original offset', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), value: fc.option(fc.string({ maxLength: 8 }), { nil: null, freq: 5 }) }), { minLength: 1, maxLength: 12 }), {
        minLength: 1,
        maxLength: 10,
      }),
      (appends) =>
        withBroker((broker) => {
          broker.createTopic('c', { partitions: 1, config: { 'cleanup.policy': 'compact', 'delete.retention.ms': 100 } });
          const all: { offset: number; key: string; value: string | null }[] = [];
          for (const batch of appends) {
            const appended = broker.append('c', batch.map((r) => ({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), timestamp: 1 })));
            batch.forEach((r, i) => all.push({ offset: appended[i]!.offset, key: r.key, value: r.value }));
          }
          const latest = new Map(all.map((r) => [r.key, r.offset]));
          const survivors = all.filter((r) => latest.get(r.key) === r.offset);
          broker.runMaintenance(1000);
          const read = () => broker.read('c', 0, 0, { maxRecords: 1000 }).map((r) => ({ offset: r.offset, key: text(r.key)!, value: text(r.value) }));
          t.deepEqual(read(), survivors, 'tombstones stay until their horizon');
          broker.runMaintenance(1100);
          t.deepEqual(read(), survivors.filter((r) => r.value !== null), 'then tombstones go');
          t.is(broker.latestOffset('c', 0), all.length);
        }),
    ),
    { numRuns: 40 },
  );
});
