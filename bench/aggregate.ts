/**
 * Throughput of aggregations on the real engine as the key count grows, JSON
 * in and out: a 10-second TUMBLING COUNT and SUM grouped by the key over
 * 1,000, 100,000 and 1,000,000 distinct keys, and a plain GROUP BY COUNT over
 * 100,000 keys whose state is larger than its cache (a 1 MiB
 * `cache.max.bytes.buffering`, so most keys are read back from SQLite).
 * Events are appended before the query starts; the figure is the time the
 * scheduler takes to drain them, state and commits included. Each point runs
 * in its own process, so its peak RSS is its own. Beside it, the machine's
 * limit measured in the same run: a bare loop of JSON.parse and
 * JSON.stringify over the same event bytes. Each run checks its output: the
 * latest count and sum of every key (and window), as ksqlDB's caching
 * collapses a key's updates between two commits into one. The peak RSS is
 * taken when the drain ends, before the check. BENCH_AGGREGATE_CPU set prints
 * each drain's CPU time.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProducerRecord } from '../src/broker/broker.js';
import { openEmbeddedBroker } from '../src/broker/index.js';
import { KsqlConfig } from '../src/engine/config.js';
import { KsqlEngine } from '../src/engine/engine.js';
import { createFunctionRegistry } from '../src/functions/builtin-functions.js';
import { Scheduler } from '../src/runtime/scheduler.js';
import { measureJsonLimit } from './json-limit.js';
import { printResult } from './report.js';

const EVENTS = Number(process.env['BENCH_AGGREGATE_EVENTS'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_AGGREGATE_ROUNDS'] ?? 2);
const APPEND_BATCH = 5_000;
/** Event time advances 1 ms per event: 200,000 events span 20 windows of 10 s. */
export const START_TIME = 1_700_000_000_000;
export const WINDOW_MS = 10_000;

interface Point {
  readonly name: string;
  readonly keys: number;
  /** Enough events for every key to appear at least once. */
  readonly events: number;
  readonly windowed: boolean;
  readonly cacheBytes?: number;
  readonly rounds: number;
}

const POINTS: readonly Point[] = [
  { name: 'aggregate.tumbling-count.1k-keys', keys: 1_000, events: EVENTS, windowed: true, rounds: ROUNDS },
  { name: 'aggregate.tumbling-count.100k-keys', keys: 100_000, events: EVENTS, windowed: true, rounds: ROUNDS },
  { name: 'aggregate.tumbling-count.1m-keys', keys: 1_000_000, events: Math.max(EVENTS, 1_000_000), windowed: true, rounds: 1 },
  { name: 'aggregate.count.100k-keys.cache-1mib', keys: 100_000, events: Math.max(EVENTS, 200_000), windowed: false, cacheBytes: 1 << 20, rounds: ROUNDS },
];

/** The key of event i: 7919 is prime to every key count used, so `keys` events cover every key. */
export const keyOf = (i: number, keys: number): string => `sensor-${(i * 7919) % keys}`;
export const amountOf = (i: number): number => (i * 37) % 1000;

/** Events `from` to `to` (exclusive) over `keys` keys; the same index always gives the same event. */
export function makeEvents(from: number, to: number, keys: number): ProducerRecord[] {
  const events: ProducerRecord[] = new Array(to - from);
  for (let i = from; i < to; i++) {
    const value = { AMOUNT: amountOf(i), REGION: i % 3 === 0 ? 'eu-west' : 'us-east', NOTE: 'reading' };
    events[i - from] = { key: Buffer.from(keyOf(i, keys)), value: Buffer.from(JSON.stringify(value)), timestamp: START_TIME + i };
  }
  return events;
}

/** The count and sum each key (and window) must end with: `key|windowStart` (0 unwindowed) to its N and TOTAL. */
function expectedTotals(point: Point): Map<string, { N: number; TOTAL: number }> {
  const totals = new Map<string, { N: number; TOTAL: number }>();
  for (let i = 0; i < point.events; i++) {
    const id = `${keyOf(i, point.keys)}|${point.windowed ? (START_TIME + i) - ((START_TIME + i) % WINDOW_MS) : 0}`;
    const t = totals.get(id) ?? { N: 0, TOTAL: 0 };
    t.N++;
    t.TOTAL += amountOf(i);
    totals.set(id, t);
  }
  return totals;
}

/** Events/s of the engine draining the aggregation and the peak RSS then; events are generated as they are appended, and not held while it runs. */
function measureEngine(point: Point): { rate: number; rssMiB: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-aggregate-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    const scheduler = new Scheduler();
    const properties = { 'auto.offset.reset': 'earliest', ...(point.cacheBytes === undefined ? {} : { 'cache.max.bytes.buffering': point.cacheBytes }) };
    const engine = new KsqlEngine({ broker, scheduler, functions: createFunctionRegistry(), config: new KsqlConfig(properties) });
    engine.execute("CREATE STREAM READINGS (ID STRING KEY, AMOUNT INT, REGION STRING, NOTE STRING) WITH (KAFKA_TOPIC='readings', PARTITIONS=1, VALUE_FORMAT='JSON');");
    for (let i = 0; i < point.events; i += APPEND_BATCH) broker.append('readings', makeEvents(i, Math.min(point.events, i + APPEND_BATCH), point.keys));
    const window = point.windowed ? `WINDOW TUMBLING (SIZE ${WINDOW_MS / 1000} SECONDS) ` : '';
    engine.execute(`CREATE TABLE TOTALS AS SELECT ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM READINGS ${window}GROUP BY ID;`);
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    scheduler.runUntilIdle(100_000_000);
    const used = process.cpuUsage(cpu);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    if (process.env['BENCH_AGGREGATE_CPU'] !== undefined) process.stderr.write(`  ${point.name}: drain ${seconds.toFixed(2)} s, CPU ${((used.user + used.system) / 1e6).toFixed(2)} s\n`);
    const processed = engine.listQueries()[0]!.tasks.reduce((n, t) => n + t.processed, 0);
    if (processed !== point.events) throw new Error(`${point.name}: the query processed ${processed} of ${point.events} events`);
    checkTotals(point, broker);
    engine.close();
    return { rate: point.events / seconds, rssMiB };
  } finally {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The table's latest value of every key (and window) holds its expected
 * count and sum, and no key is missing or extra. Updates between two commits
 * collapse into one (ksqlDB's caching), so the output has at most one update
 * per event.
 */
function checkTotals(point: Point, broker: ReturnType<typeof openEmbeddedBroker>): void {
  const updates = broker.latestOffset('TOTALS', 0);
  if (updates > point.events) throw new Error(`${point.name}: ${updates} updates for ${point.events} events`);
  const latest = new Map<string, string>();
  for (let offset = 0; offset < updates;) {
    const batch = broker.read('TOTALS', 0, offset, { maxRecords: 50_000 });
    for (const r of batch) {
      const key = r.key!;
      const id = point.windowed ? `${key.subarray(0, key.length - 8).toString('utf8')}|${key.readBigInt64BE(key.length - 8)}` : `${key.toString('utf8')}|0`;
      latest.set(id, r.value!.toString('utf8'));
      offset = r.offset + 1;
    }
  }
  const expected = expectedTotals(point);
  if (latest.size !== expected.size) throw new Error(`${point.name}: ${latest.size} keys and windows in the output, expected ${expected.size}`);
  for (const [id, want] of expected) {
    const row = JSON.parse(latest.get(id) ?? 'null') as { N: number; TOTAL: number } | null;
    if (row?.N !== want.N || row.TOTAL !== want.TOTAL) throw new Error(`${point.name}: ${id} ends at ${JSON.stringify(row)}, expected ${JSON.stringify(want)}`);
  }
}

/** A point in a child process of its own: its events/s and peak RSS. */
function runPoint(point: Point): Promise<{ rate: number; rssMiB: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_AGGREGATE_POINT: point.name } });
    let answer: { rate: number; rssMiB: number } | undefined;
    child.on('message', (message) => { answer = message as { rate: number; rssMiB: number }; });
    child.on('error', reject);
    child.on('exit', (code) => (answer !== undefined && code === 0 ? resolve(answer) : reject(new Error(`${point.name} failed (exit ${code})`))));
  });
}

export async function runAggregateBenchmark(): Promise<void> {
  for (const point of POINTS) {
    const sample = makeEvents(0, Math.min(point.events, 200_000), point.keys);
    measureJsonLimit(sample.slice(0, 20_000)); // warm up the bare loop's code paths
    let limit = 0;
    let best = { rate: 0, rssMiB: 0 };
    for (let round = 0; round < point.rounds; round++) {
      limit = Math.max(limit, measureJsonLimit(sample));
      const result = await runPoint(point);
      if (result.rate > best.rate) best = result;
    }
    printResult(point.name, best.rate, 'events/s', limit);
    process.stdout.write(`  ${point.name}: ${point.events} events over ${point.keys} keys, peak RSS ${best.rssMiB} MiB\n`);
  }
}

const pointName = process.env['BENCH_AGGREGATE_POINT'];
if (pointName !== undefined && process.send !== undefined) {
  const point = POINTS.find((p) => p.name === pointName)!;
  process.send(measureEngine(point), () => process.exit(0));
}
