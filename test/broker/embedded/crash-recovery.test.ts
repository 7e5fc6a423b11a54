import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { describeRecoveryReport } from '../../../src/broker/embedded/recovery-report.js';
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

/** Flips one bit of the stored batch `sql` selects: by default in its last record, else at byte `at` (from the start). */
function corrupt(dir: string, sql: string, at?: number): void {
  const db = new Database(join(dir, 'ksqlite.db'));
  const row = db.prepare(sql).get() as { id: number; payload: Buffer };
  const damaged = Buffer.from(row.payload);
  damaged[at ?? damaged.length - 2]! ^= 0x01;
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
    t.regex(error!.message, /topic 't', partition 0, offsets 1 to 1/);
    t.deepEqual(second.read('t', 0, 2).map((r) => text(r.value)), ['2']);
    second.close();
  });
});

const LAST_BATCH = 'SELECT b.id, b.payload FROM broker_batches b JOIN broker_partitions p ON p.id = b.tp WHERE p.topic = ? ORDER BY b.last_offset DESC LIMIT 1';
/** A byte of the batch header's producer id: covered by the CRC, read by nothing else. */
const PRODUCER_ID_BYTE = 45;

test('a dropped tail batch moves committed group offsets past the log end back to it, and reports both', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.createTopic('t', { partitions: 1 });
    first.append('t', [rec('a', '0'), rec('b', '1')]);
    first.append('t', [rec('c', '2'), rec('d', '3'), rec('e', '4')]);
    first.commitOffsets('ahead', [{ topic: 't', partition: 0, offset: 5 }]);
    first.commitOffsets('inside', [{ topic: 't', partition: 0, offset: 3 }]);
    first.commitOffsets('behind', [{ topic: 't', partition: 0, offset: 1 }]);
    t.deepEqual(first.recoveryReport, { wal: null, droppedBatches: [], offsetResets: [] });
    first.close();
    corrupt(dir, LAST_BATCH.replace('?', "'t'"));

    const second = openEmbeddedBroker({ dataDir: dir });
    try {
      t.is(second.latestOffset('t', 0), 2);
      t.is(second.committedOffset('ahead', 't', 0), 2);
      t.is(second.committedOffset('inside', 't', 0), 2);
      t.is(second.committedOffset('behind', 't', 0), 1);
      const report = second.recoveryReport;
      t.is(report.droppedBatches.length, 1);
      t.like(report.droppedBatches[0], { topic: 't', partition: 0, baseOffset: 2, lastOffset: 4, recordCount: 3 });
      t.regex(report.droppedBatches[0]!.problem, /CRC/);
      t.deepEqual(report.offsetResets, [
        { group: 'ahead', topic: 't', partition: 0, from: 5, to: 2 },
        { group: 'inside', topic: 't', partition: 0, from: 3, to: 2 },
      ]);
      const text_ = describeRecoveryReport(report, second.path).join('\n');
      t.regex(text_, /topic 't' partition 0: offsets 2 to 4 \(3 records/);
      t.regex(text_, /'ahead'.*reset from 5 to the log end 2/);
      // A consumer of the group now reads the next record appended instead of skipping it.
      second.append('t', [rec('f', 'new')]);
      const from = second.committedOffset('ahead', 't', 0)!;
      t.deepEqual(second.read('t', 0, from).map((r) => text(r.value)), ['new']);
    } finally {
      second.close();
    }
    const third = openEmbeddedBroker({ dataDir: dir });
    t.deepEqual(third.recoveryReport, { wal: null, droppedBatches: [], offsetResets: [] }, 'the repair is reported once');
    third.close();
  });
});

test('a dropped batch of the command topic is reported with the statements it held, or its offsets when unreadable', (t) => {
  const topic = '_confluent-ksql-default__command_topic';
  const command = (statement: string) => ({ key: null, value: Buffer.from(JSON.stringify({ kind: 'CreateSource', statement })), partition: 0 });
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.createTopic(topic, { partitions: 1 });
    first.append(topic, [command('CREATE STREAM a (x INT) WITH (kafka_topic=\'a\', value_format=\'json\');')]);
    first.append(topic, [command('CREATE STREAM b (x INT) WITH (kafka_topic=\'b\', value_format=\'json\');')]);
    first.close();
    corrupt(dir, LAST_BATCH.replace('?', `'${topic}'`), PRODUCER_ID_BYTE);
    const second = openEmbeddedBroker({ dataDir: dir });
    t.deepEqual(second.recoveryReport.droppedBatches[0]!.lostStatements, [
      { firstOffset: 1, lastOffset: 1, statement: "CREATE STREAM b (x INT) WITH (kafka_topic='b', value_format='json');" },
    ]);
    t.regex(describeRecoveryReport(second.recoveryReport, second.path).join('\n'), /lost command at offset 1: CREATE STREAM b/);
    second.close();
    // The value's JSON itself damaged: the statement cannot be read, its offset is still given.
    corrupt(dir, LAST_BATCH.replace('?', `'${topic}'`));
    const third = openEmbeddedBroker({ dataDir: dir });
    t.deepEqual(third.recoveryReport.droppedBatches[0]!.lostStatements, [{ firstOffset: 0, lastOffset: 0, statement: null }]);
    t.regex(describeRecoveryReport(third.recoveryReport, third.path).join('\n'), /command\(s\) at offset 0 could not be read/);
    t.is(third.latestOffset(topic, 0), 0);
    third.close();
  });
});
