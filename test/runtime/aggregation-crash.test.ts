import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import { lastNumber, runUntilKilled } from '../helpers/kill-loop.js';
import { readTopic } from '../helpers/read-topic.js';
import { closeEngine } from '../helpers/temp-engine.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { INPUT_COUNT, inputRecord, openEngine, STATEMENTS } from './fixtures/windowed-aggregation.js';

const worker = new URL('fixtures/windowed-aggregation.js', import.meta.url);

/** Declares the queries and appends all input, in many small batches. */
function prepare(dataDir: string): void {
  const node = openEngine(dataDir);
  for (const sql of STATEMENTS) node.engine.execute(sql);
  for (let i = 0; i < INPUT_COUNT; i += 100) {
    node.broker.append('readings', Array.from({ length: Math.min(100, INPUT_COUNT - i) }, (_, k) => inputRecord(i + k)));
  }
  closeEngine(node);
}

/** Runs the worker until it reports `atLeast` processed records, then kills it with SIGKILL; returns the last report. */
async function runAndKill(dataDir: string, atLeast: number): Promise<number> {
  return lastNumber(await runUntilKilled(worker, { args: [dataDir], ready: (reports) => lastNumber(reports) >= atLeast, delayMs: { min: 0, max: 15 } }));
}

/** Every record of a topic, partition by partition, as comparable text. */
function dump(broker: EmbeddedBroker, topic: string): string[] {
  return readTopic(broker, topic).map((r) => `${r.partition}|${r.key?.toString('hex')}|${r.value?.toString() ?? 'null'}|${r.timestamp}`);
}

/** Drains every query in-process and returns the two output topics. */
function finish(dataDir: string): { totals: string[]; sessions: string[] } {
  const node = openEngine(dataDir);
  try {
    node.scheduler.runUntilIdle();
    return { totals: dump(node.broker, 'TOTALS'), sessions: dump(node.broker, 'SESSIONS') };
  } finally {
    closeEngine(node);
  }
}

test('a windowed aggregation killed with SIGKILL twice and restarted writes exactly what an uninterrupted run writes', (t) =>
  withTempDir((interrupted) =>
    withTempDir(async (reference) => {
      prepare(interrupted);
      const first = await runAndKill(interrupted, INPUT_COUNT / 2);
      const second = await runAndKill(interrupted, first + INPUT_COUNT / 2);
      t.true(second > first, 'the second run resumed where the first stopped and went on');
      const afterCrash = finish(interrupted);

      prepare(reference);
      const uninterrupted = finish(reference);

      t.true(uninterrupted.totals.length > INPUT_COUNT / 2, 'the reference run produced its windows');
      t.true(uninterrupted.sessions.some((r) => r.split('|')[2] === 'null'), 'session merges wrote tombstones');
      t.deepEqual(afterCrash.totals, uninterrupted.totals);
      t.deepEqual(afterCrash.sessions, uninterrupted.sessions);
    }),
  ),
);
