/**
 * The maintenance timer's compaction runs in steps (runMaintenanceInSteps):
 * the event loop turns between them, and every step leaves a log in which
 * each key's latest record is still its latest, whatever happens between
 * steps: appends, a whole pass of runMaintenance, a kill -9.
 */
import test from 'ava';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { EmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';
import { COMPACTED_TOPIC_CONFIG, compactionBatches } from './fixtures/compaction-records.js';
import { text } from './temp-broker.js';

interface Written {
  readonly offset: number;
  readonly key: string;
  readonly value: string | null;
}

/** One batch per step. */
const ONE_BATCH = (): (() => boolean) => () => true;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function withAsyncBroker(fn: (broker: EmbeddedBroker) => Promise<void>): Promise<void> {
  const dir = makeTempDir();
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    await fn(broker);
  } finally {
    broker.close();
    removeDir(dir);
  }
}

function readAll(broker: EmbeddedBroker): Written[] {
  return broker.read('c', 0, 0, { maxRecords: 100_000 }).map((r) => ({ offset: r.offset, key: text(r.key)!, value: text(r.value) }));
}

/** Each key's latest record (the last one in offset order). */
function latestByKey(records: readonly Written[]): Map<string, Written> {
  return new Map(records.map((r) => [r.key, r]));
}

/** The latest records, by key: what a reader of the compacted topic must see. */
function latestRecords(records: readonly Written[]): Written[] {
  return [...latestByKey(records).values()].sort((a, b) => a.offset - b.offset);
}

function append(broker: EmbeddedBroker, all: Written[], batch: readonly { key: string; value: string | null }[]): void {
  const appended = broker.append('c', batch.map((r) => ({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), timestamp: 1 })));
  batch.forEach((r, i) => all.push({ offset: appended[i]!.offset, ...r }));
}

const batches = fc.array(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), value: fc.option(fc.string({ maxLength: 6 }), { nil: null, freq: 5 }) }), { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 8,
});

test('a compaction in steps of one batch keeps exactly the latest record of every key, as one in a single step does', async (t) => {
  await fc.assert(fc.asyncProperty(batches, async (appends) => withAsyncBroker(async (broker) => {
    broker.createTopic('c', { partitions: 1, config: COMPACTED_TOPIC_CONFIG });
    const all: Written[] = [];
    for (const batch of appends) append(broker, all, batch);
    await broker.runMaintenanceInSteps(ONE_BATCH, 1000);
    const latest = latestByKey(all);
    t.deepEqual(readAll(broker), all.filter((r) => latest.get(r.key) === r));
  })), { numRuns: 30 });
});

test('appends and whole maintenance passes between the steps of a compaction never lose a key\'s latest record', async (t) => {
  const between = fc.array(fc.oneof(batches.map((b) => ({ append: b[0]! })), fc.constant({ append: undefined })), { minLength: 1, maxLength: 12 });
  await fc.assert(fc.asyncProperty(batches, between, async (appends, actions) => withAsyncBroker(async (broker) => {
    broker.createTopic('c', { partitions: 1, config: COMPACTED_TOPIC_CONFIG });
    const all: Written[] = [];
    for (const batch of appends) append(broker, all, batch);
    let ended = false;
    const pass = broker.runMaintenanceInSteps(ONE_BATCH, 1000).then(() => (ended = true));
    for (const action of actions) {
      await turn();
      // An action without a batch is a whole pass of runMaintenance, between two steps.
      if (action.append === undefined) broker.runMaintenance(1000);
      else append(broker, all, action.append);
      t.deepEqual(latestRecords(readAll(broker)), latestRecords(all), `after ${JSON.stringify(action)}${ended ? ', the stepped pass over' : ''}`);
    }
    await pass;
    t.deepEqual(latestRecords(readAll(broker)), latestRecords(all));
    broker.runMaintenance(1000);
    const latest = latestByKey(all);
    t.deepEqual(readAll(broker), all.filter((r) => latest.get(r.key) === r), 'a last pass leaves the latest records only');
  })), { numRuns: 30 });
});

test('the event loop turns between the steps of a compaction', async (t) => {
  await withAsyncBroker(async (broker) => {
    broker.createTopic('c', { partitions: 1, config: COMPACTED_TOPIC_CONFIG });
    for (const batch of compactionBatches()) broker.append('c', batch);
    let ended = false;
    const pass = broker.runMaintenanceInSteps(ONE_BATCH, 1000).then(() => (ended = true));
    let turns = 0;
    while (!ended) {
      await turn();
      turns++;
    }
    await pass;
    // 30 batches mapped, then 30 cleaned, one a step: the loop turned between them.
    t.true(turns >= 30, `${turns} turns`);
  });
});

const dieScript = fileURLToPath(new URL('fixtures/compact-then-die.js', import.meta.url));

test('a kill -9 between the steps of a compaction loses no key\'s latest record, and the next pass finishes it', async (t) => {
  const written: Written[] = [];
  let offset = 0;
  for (const batch of compactionBatches()) for (const r of batch) written.push({ offset: offset++, key: text(r.key)!, value: text(r.value) });
  const latest = latestByKey(written);
  // Killed while the keys are mapped, early and late while batches are cleaned.
  for (const turns of [10, 35, 55]) {
    const dir = makeTempDir();
    try {
      const child = spawn(process.execPath, [dieScript, dir, String(turns)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      const [, signal] = await once(child, 'exit') as [number | null, string | null];
      t.is(signal, 'SIGKILL');
      t.is(out, '', `killed after ${turns} turns, before the pass ended`);
      const broker = openEmbeddedBroker({ dataDir: dir });
      try {
        const read = (): Written[] => broker.read('c', 0, 0, { maxRecords: 1000 }).map((r) => ({ offset: r.offset, key: text(r.key)!, value: text(r.value) }));
        t.deepEqual(latestRecords(read()), latestRecords(written), `killed after ${turns} turns`);
        t.is(broker.latestOffset('c', 0), written.length);
        broker.runMaintenance(1000);
        t.deepEqual(read(), written.filter((r) => latest.get(r.key) === r));
      } finally {
        broker.close();
      }
    } finally {
      removeDir(dir);
    }
  }
});
