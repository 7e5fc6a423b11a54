import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { findBatchProblem } from '../../../src/broker/record-batch/decode-record-batch.js';
import { runUntilKilled } from '../../helpers/kill-loop.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { rec, text } from './temp-broker.js';

const script = new URL('fixtures/append-loop.js', import.meta.url);

interface Ack {
  partition: number;
  offset: number;
  sequence: number;
}

/** Runs the append loop until it acknowledged at least `minAcks` records, then kills it with SIGKILL. */
async function runAndKill(dataDir: string, firstSequence: number, minAcks: number): Promise<Ack[]> {
  const lines = await runUntilKilled(script, {
    args: [dataDir, String(firstSequence)],
    ready: (acks) => acks.length >= minAcks,
    delayMs: { min: 5, max: 25 },
  });
  return lines.map((line) => {
    const [partition, offset, sequence] = line.split(' ').map(Number);
    return { partition: partition!, offset: offset!, sequence: sequence! };
  });
}

test('after kill -9 mid-append every acknowledged record is there once and every batch verifies', async (t) => {
  await withTempDir(async (dir) => {
    const acks = [...(await runAndKill(dir, 0, 2000)), ...(await runAndKill(dir, 1_000_000, 2000))];
    t.true(acks.length >= 4000);
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      const bySequence = new Map<number, { partition: number; offset: number }>();
      for (const partition of [0, 1]) {
        const end = broker.latestOffset('crash', partition);
        let offset = 0;
        while (offset < end) {
          const records = broker.read('crash', partition, offset, { maxRecords: 5000 });
          for (const r of records) {
            t.is(r.offset, offset, 'offsets are dense');
            const sequence = Number(/^seq-(\d+)-/.exec(text(r.value)!)![1]);
            t.false(bySequence.has(sequence), `sequence ${sequence} appears once`);
            bySequence.set(sequence, { partition, offset: r.offset });
            t.is(r.timestamp, sequence);
            offset++;
          }
        }
      }
      let missing = 0;
      for (const ack of acks) {
        const found = bySequence.get(ack.sequence);
        if (found === undefined || found.partition !== ack.partition || found.offset !== ack.offset) missing++;
      }
      t.is(missing, 0, 'every acknowledged append is where it was acknowledged');
      const payloads = broker.database.prepare('SELECT payload FROM broker_batches').pluck().all() as Buffer[];
      t.true(payloads.length > 0);
      t.true(payloads.every((p) => findBatchProblem(p) === null), 'every stored batch passes its CRC');
    } finally {
      broker.close();
    }
  });
});

function corrupt(dir: string, sql: string): void {
  const db = new Database(join(dir, 'ksqlite.db'));
  const row = db.prepare(sql).get() as { id: number; payload: Buffer };
  const damaged = Buffer.from(row.payload);
  damaged[damaged.length - 2]! ^= 0x01;
  db.prepare('UPDATE broker_batches SET payload = ? WHERE id = ?').run(damaged, row.id);
  db.close();
}

test('reopening drops a corrupt last batch, and only that batch, and never serves it', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.createTopic('t', { partitions: 2 });
    first.append('t', [{ ...rec('a', '0'), partition: 0 }, { ...rec('b', '1'), partition: 0 }]);
    first.append('t', [{ ...rec('c', '2'), partition: 0 }]);
    first.append('t', [{ ...rec('d', '3'), partition: 0 }, { ...rec('e', '4'), partition: 0 }]);
    first.append('t', [{ ...rec('z', 'other'), partition: 1 }]);
    first.close();
    corrupt(dir, 'SELECT b.id, b.payload FROM broker_batches b JOIN broker_partitions p ON p.id = b.tp WHERE p.partition = 0 ORDER BY b.last_offset DESC LIMIT 1');

    const second = openEmbeddedBroker({ dataDir: dir });
    t.is(second.latestOffset('t', 0), 3, 'the log end moves back to the dropped batch');
    t.deepEqual(second.read('t', 0, 0).map((r) => text(r.value)), ['0', '1', '2']);
    t.deepEqual(second.read('t', 1, 0).map((r) => text(r.value)), ['other'], 'other partitions are untouched');
    t.deepEqual(second.append('t', [{ ...rec('f', '5'), partition: 0 }]).map((a) => a.offset), [3]);
    t.deepEqual(second.read('t', 0, 2).map((r) => [r.offset, text(r.value)]), [
      [2, '2'],
      [3, '5'],
    ]);
    second.close();
  });
});

test('a corrupt batch before the tail fails reads with corrupt data instead of being served', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.createTopic('t', { partitions: 1 });
    first.append('t', [rec('a', '0')]);
    first.append('t', [rec('b', '1')]);
    first.append('t', [rec('c', '2')]);
    first.close();
    corrupt(dir, 'SELECT id, payload FROM broker_batches WHERE base_offset = 1');
    const second = openEmbeddedBroker({ dataDir: dir });
    t.is(second.latestOffset('t', 0), 3);
    t.deepEqual(second.read('t', 0, 0, { maxRecords: 1 }).map((r) => text(r.value)), ['0']);
    const error = t.throws(() => second.read('t', 0, 0));
    t.true(isBrokerError(error, 'CORRUPT_DATA'));
    t.is((error as { errorCode?: number }).errorCode, 50000);
    t.regex(error!.message, /t-0/);
    t.deepEqual(second.read('t', 0, 2).map((r) => text(r.value)), ['2']);
    second.close();
  });
});
