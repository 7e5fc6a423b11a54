/**
 * Throughput of a windowed aggregation on the real engine: a 10-second
 * TUMBLING COUNT and SUM grouped by the key, JSON in and out, with 1,000 and
 * 100,000 distinct keys. Events are appended before the query starts; the
 * figure is the time the scheduler takes to drain them, state and commits
 * included. Beside it, the machine's limit measured in the same run: a bare
 * loop of JSON.parse and JSON.stringify over the same event bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const START_TIME = 1_700_000_000_000;

/** Events `from` to `to` (exclusive) over `keys` keys; the same index always gives the same event. */
function makeEvents(from: number, to: number, keys: number): ProducerRecord[] {
  const events: ProducerRecord[] = new Array(to - from);
  for (let i = from; i < to; i++) {
    const key = `sensor-${(i * 7919) % keys}`;
    const value = { AMOUNT: (i * 37) % 1000, REGION: i % 3 === 0 ? 'eu-west' : 'us-east', NOTE: 'reading' };
    events[i - from] = { key: Buffer.from(key), value: Buffer.from(JSON.stringify(value)), timestamp: START_TIME + i };
  }
  return events;
}

/** Events/s of the engine draining the aggregation; events are generated as they are appended, and not held while it runs. */
function measureEngine(count: number, keys: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-aggregate-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    const scheduler = new Scheduler();
    const engine = new KsqlEngine({
      broker, scheduler, functions: createFunctionRegistry(), config: new KsqlConfig({ 'auto.offset.reset': 'earliest' }),

    });
    engine.execute("CREATE STREAM READINGS (ID STRING KEY, AMOUNT INT, REGION STRING, NOTE STRING) WITH (KAFKA_TOPIC='readings', PARTITIONS=1, VALUE_FORMAT='JSON');");
    for (let i = 0; i < count; i += APPEND_BATCH) broker.append('readings', makeEvents(i, Math.min(count, i + APPEND_BATCH), keys));
    engine.execute('CREATE TABLE TOTALS AS SELECT ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM READINGS WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;');
    const start = process.hrtime.bigint();
    scheduler.runUntilIdle();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const processed = engine.listQueries()[0]!.tasks.reduce((n, t) => n + t.processed, 0);
    if (processed !== count) throw new Error(`the query processed ${processed} of ${count} events`);
    if (broker.latestOffset('TOTALS', 0) !== count) throw new Error('the query did not emit one update per event');
    engine.close();
    return count / seconds;
  } finally {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runAggregateBenchmark(): Promise<void> {
  for (const keys of [1_000, 100_000]) {
    measureJsonLimit(makeEvents(0, 20_000, keys)); // warm up the bare loop's code paths
    let limit = 0;
    let rate = 0;
    for (let round = 0; round < ROUNDS; round++) {
      limit = Math.max(limit, measureJsonLimit(makeEvents(0, EVENTS, keys)));
      rate = Math.max(rate, measureEngine(EVENTS, keys));
    }
    printResult(`aggregate.tumbling-count.${keys / 1000}k-keys`, rate, 'events/s', limit);
  }
}
