/**
 * Throughput of a stateless persistent query on the real engine: a filter
 * and a projection, JSON in and JSON out, over events of about 200 bytes.
 * The events are appended to the source topic of an embedded broker (in a
 * temporary directory) before the query starts; the figure is the time the
 * scheduler takes to drain them all, commits included. Beside it, the
 * machine's own limit measured in the same run: a bare loop of JSON.parse
 * and JSON.stringify over the same event bytes. The engine half is shared
 * with the Avro figure of `npm run bench -- formats` (stateless-avro.ts).
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
import { SchemaStore } from '../src/schema-registry/schema-store.js';
import { storeRegistryClient } from '../src/schema-registry/store-client.js';
import { measureJsonLimit } from './json-limit.js';
import { printResult } from './report.js';

const EVENTS = Number(process.env['BENCH_STATELESS_EVENTS'] ?? 200_000);
const APPEND_BATCH = 5_000;
const ROUNDS = Number(process.env['BENCH_STATELESS_ROUNDS'] ?? 3);
const REGIONS = ['eu-west', 'us-east', 'ap-south', 'sa-east'];
const PAGES = ['/home', '/search?q=widgets', '/cart', '/checkout/payment', '/account/settings'];

/** The fields of event `i`: about 200 bytes as JSON. */
export function eventFields(i: number): Record<string, string | number> {
  return {
    USER_ID: 1_000_000 + ((i * 7919) % 50_000),
    PAGE: PAGES[i % PAGES.length],
    REGION: REGIONS[(i >> 1) % REGIONS.length],
    DURATION_MS: (i * 37) % 5_000,
    SCORE: ((i * 13) % 1000) / 1000,
    AGENT: `Mozilla/5.0 (X11; Linux x86_64) client-${i % 97}`,
    SESSION: `sess-${((i * 104729) % 1_000_003).toString(36)}-${(i % 7919).toString(36)}-web`,
  };
}

/** Encodes event `i`'s value in the source's format. */
export type EventEncoder = (i: number) => Buffer;

const jsonEvent: EventEncoder = (i) => Buffer.from(JSON.stringify(eventFields(i)));

/** Events `from` to `to` (exclusive); the same index always gives the same event. */
export function makeEvents(from: number, to: number, encode: EventEncoder = jsonEvent): ProducerRecord[] {
  const events: ProducerRecord[] = new Array(to - from);
  for (let i = from; i < to; i++) {
    events[i - from] = { key: Buffer.from(`user-${i % 10_000}`), value: encode(i), timestamp: 1_700_000_000_000 + i };
  }
  return events;
}

/** The value format of the query's source and sink, and how to write its events once the source exists. */
export interface EventFormat {
  readonly name: string;
  /** Give the engine the embedded Schema Registry (Avro needs it). */
  readonly schemaRegistry: boolean;
  readonly encoder: (engine: KsqlEngine) => EventEncoder;
}

const JSON_EVENTS: EventFormat = { name: 'JSON', schemaRegistry: false, encoder: () => jsonEvent };

/**
 * Events/s of the engine draining a filter+projection query over `count`
 * events. They are generated batch by batch as they are appended, so the
 * benchmark holds none of them while the query runs (a server would not).
 */
export function measureEngine(count: number, format: EventFormat = JSON_EVENTS): number {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-stateless-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    const scheduler = new Scheduler();
    const engine = new KsqlEngine({
      broker, scheduler, functions: createFunctionRegistry(), config: new KsqlConfig({ 'auto.offset.reset': 'earliest' }),
      ...(format.schemaRegistry ? { schemaRegistry: storeRegistryClient(SchemaStore.open(broker)) } : {}),
    });
    engine.execute(
      'CREATE STREAM EVENTS (ID STRING KEY, USER_ID BIGINT, PAGE STRING, REGION STRING, DURATION_MS INT, SCORE DOUBLE, AGENT STRING, SESSION STRING) ' +
      `WITH (KAFKA_TOPIC='events', PARTITIONS=1, VALUE_FORMAT='${format.name}');`,
    );
    const encode = format.encoder(engine);
    for (let i = 0; i < count; i += APPEND_BATCH) broker.append('events', makeEvents(i, Math.min(count, i + APPEND_BATCH), encode));
    engine.execute(
      "CREATE STREAM SLOW_EU AS SELECT ID, USER_ID, UCASE(PAGE) AS PAGE, DURATION_MS / 1000 AS DURATION_S, SCORE * 100 AS PERCENT " +
      "FROM EVENTS WHERE REGION = 'eu-west' OR DURATION_MS > 2500;",
    );
    const start = process.hrtime.bigint();
    scheduler.runUntilIdle();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const query = engine.listQueries()[0]!;
    const processed = query.tasks.reduce((n, t) => n + t.processed, 0);
    if (processed !== count) throw new Error(`the query processed ${processed} of ${count} events`);
    const written = broker.latestOffset('SLOW_EU', 0);
    if (written === 0) throw new Error('the query wrote nothing');
    const first = broker.read('SLOW_EU', 0, 0, { maxRecords: 1 })[0]!.value!;
    if (format.schemaRegistry ? first[0] !== 0 : first[0] !== 0x7b) throw new Error(`the query did not write ${format.name}`);
    engine.close();
    return count / seconds;
  } finally {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A schema-based format's side of the benchmark: its registered schema, its event encoder and its bare decode+encode limit. */
export interface SchemaFormatBench<S> {
  readonly name: string;
  /** The schema the engine registered for the events' values when the source stream was created. */
  registered(engine: KsqlEngine): S;
  encoder(schema: S): EventEncoder;
  /** Events/s of a bare loop that decodes each event's value and encodes it again. */
  limit(events: readonly ProducerRecord[], schema: S): number;
}

/** Best of `rounds` interleaved rounds of the engine over `count` events of `bench`'s format and of its bare loop; events/s. */
export function measureSchemaFormatStateless<S>(count: number, rounds: number, bench: SchemaFormatBench<S>): { rate: number; limit: number } {
  let schema: S | undefined;
  const format: EventFormat = {
    name: bench.name,
    schemaRegistry: true,
    encoder(engine) {
      schema = bench.registered(engine);
      return bench.encoder(schema);
    },
  };
  let rate = 0;
  let limit = 0;
  for (let round = 0; round < rounds; round++) {
    rate = Math.max(rate, measureEngine(count, format));
    if (round === 0) bench.limit(makeEvents(0, 20_000, bench.encoder(schema!)), schema!); // warm up the bare loop's code paths
    limit = Math.max(limit, bench.limit(makeEvents(0, count, bench.encoder(schema!)), schema!));
  }
  return { rate, limit };
}

export async function runStatelessBenchmark(): Promise<void> {
  measureJsonLimit(makeEvents(0, 20_000)); // warm up the bare loop's code paths
  // Best of a few interleaved rounds: the machine is shared, and a round that lost the CPU says nothing.
  let limit = 0;
  let rate = 0;
  for (let round = 0; round < ROUNDS; round++) {
    limit = Math.max(limit, measureJsonLimit(makeEvents(0, EVENTS)));
    rate = Math.max(rate, measureEngine(EVENTS));
  }
  printResult('stateless.filter-project.json', rate, 'events/s', limit);
}
