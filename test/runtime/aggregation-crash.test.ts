import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import { INPUT_COUNT, inputRecord, openEngine, STATEMENTS } from './fixtures/windowed-aggregation.js';

const worker = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'windowed-aggregation.js');

/** Declares the queries and appends all input, in many small batches. */
function prepare(dataDir: string): void {
  const { broker, engine } = openEngine(dataDir);
  for (const sql of STATEMENTS) engine.execute(sql);
  for (let i = 0; i < INPUT_COUNT; i += 100) {
    broker.append('readings', Array.from({ length: Math.min(100, INPUT_COUNT - i) }, (_, k) => inputRecord(i + k)));
  }
  engine.close();
  broker.close();
}

/** Runs the worker until it reports `atLeast` processed records, then kills it with SIGKILL; returns the last report. */
function runAndKill(dataDir: string, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killing = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const lines = out.trimEnd().split('\n');
      if (!killing && Number(lines[lines.length - 1]) >= atLeast) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the worker exited by itself: ${err}`));
      else resolve(Number(out.trimEnd().split('\n').pop()));
    });
  });
}

/** Every record of a topic, partition by partition, as comparable text. */
function dump(broker: EmbeddedBroker, topic: string): string[] {
  const out: string[] = [];
  for (const p of broker.describeTopic(topic).partitions) {
    for (let offset = 0; ;) {
      const batch = broker.read(topic, p.partition, offset, { maxRecords: 1000 });
      if (batch.length === 0) break;
      for (const r of batch) out.push(`${p.partition}|${r.key?.toString('hex')}|${r.value?.toString() ?? 'null'}|${r.timestamp}`);
      offset = batch[batch.length - 1]!.offset + 1;
    }
  }
  return out;
}

/** Drains every query in-process and returns the two output topics. */
function finish(dataDir: string): { totals: string[]; sessions: string[] } {
  const { broker, engine, scheduler } = openEngine(dataDir);
  try {
    scheduler.runUntilIdle();
    return { totals: dump(broker, 'TOTALS'), sessions: dump(broker, 'SESSIONS') };
  } finally {
    engine.close();
    broker.close();
  }
}

test('a windowed aggregation killed with SIGKILL twice and restarted writes exactly what an uninterrupted run writes', async (t) => {
  const interrupted = mkdtempSync(join(tmpdir(), 'ksqlite-crash-'));
  const reference = mkdtempSync(join(tmpdir(), 'ksqlite-crash-ref-'));
  try {
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
  } finally {
    rmSync(interrupted, { recursive: true, force: true });
    rmSync(reference, { recursive: true, force: true });
  }
});
