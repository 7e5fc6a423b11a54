/**
 * Runs persistent queries over pre-filled topics of an embedded log in a
 * temporary directory and measures how long the scheduler takes to drain
 * them, commits included: what the Nexmark and join benchmarks share. The
 * records are generated batch by batch as they are appended, so none are
 * held while the queries run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsumedRecord, ProducerRecord } from '../src/broker/broker.js';
import { openEmbeddedBroker, type EmbeddedBroker } from '../src/broker/index.js';
import { KsqlConfig } from '../src/engine/config.js';
import { KsqlEngine } from '../src/engine/engine.js';
import { createFunctionRegistry } from '../src/functions/builtin-functions.js';
import { Scheduler } from '../src/runtime/scheduler.js';

const APPEND_BATCH = 5_000;

export interface QueryRunSpec {
  /** CREATE STREAM/TABLE statements of the sources, run before the topics are filled. */
  readonly sources: readonly string[];
  /** Fills the sources' topics: calls `append` with records in order, a batch at a time. */
  readonly fill: (append: (topic: string, records: readonly ProducerRecord[]) => void) => void;
  /** The persistent queries, started after the topics are filled. */
  readonly queries: readonly string[];
  /**
   * Records appended once the queries have drained what `fill` wrote (not
   * timed): when given, only the drain of these is timed and counted, so a
   * table loaded by `fill` is measured as already materialized.
   */
  readonly afterStart?: (append: (topic: string, records: readonly ProducerRecord[]) => void) => void;
  /** Topics whose records the queries read (the count of events in the figure). */
  readonly inputTopics: readonly string[];
  /** Topics to read back once drained, for the result check. */
  readonly outputTopics: readonly string[];
}

export interface QueryRunResult {
  readonly events: number;
  readonly seconds: number;
  /** Every record of each output topic, in offset order (one partition). */
  readonly outputs: ReadonlyMap<string, readonly ConsumedRecord[]>;
}

/** Collects appended records into batches of APPEND_BATCH per topic. */
function batchingAppender(broker: EmbeddedBroker): { append: (topic: string, records: readonly ProducerRecord[]) => void; flush: () => void } {
  const pending = new Map<string, ProducerRecord[]>();
  const flush = () => {
    for (const [topic, records] of pending) if (records.length > 0) broker.append(topic, records.splice(0));
  };
  const append = (topic: string, records: readonly ProducerRecord[]) => {
    let list = pending.get(topic);
    if (list === undefined) pending.set(topic, (list = []));
    for (const r of records) list.push(r);
    if (list.length >= APPEND_BATCH) broker.append(topic, list.splice(0));
  };
  return { append, flush };
}

function readAll(broker: EmbeddedBroker, topic: string): ConsumedRecord[] {
  const all: ConsumedRecord[] = [];
  const end = broker.latestOffset(topic, 0);
  let offset = broker.earliestOffset(topic, 0);
  while (offset < end) {
    const records = broker.read(topic, 0, offset, { maxRecords: 10_000 });
    if (records.length === 0) break;
    for (const r of records) all.push(r);
    offset = records[records.length - 1]!.offset + 1;
  }
  return all;
}

export function runQueries(spec: QueryRunSpec): QueryRunResult {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-query-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    const scheduler = new Scheduler();
    const engine = new KsqlEngine({
      broker, scheduler, functions: createFunctionRegistry(), config: new KsqlConfig({ 'auto.offset.reset': 'earliest' }),
    });
    for (const statement of spec.sources) engine.execute(statement);
    const appender = batchingAppender(broker);
    spec.fill(appender.append);
    appender.flush();
    const inputRecords = () => spec.inputTopics.reduce((n, topic) => n + broker.latestOffset(topic, 0), 0);
    for (const statement of spec.queries) engine.execute(statement);
    let before = 0;
    if (spec.afterStart !== undefined) {
      scheduler.runUntilIdle(10_000_000);
      before = inputRecords();
      spec.afterStart(appender.append);
      appender.flush();
    }
    const events = inputRecords() - before;
    const start = process.hrtime.bigint();
    scheduler.runUntilIdle(10_000_000);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    for (const query of engine.listQueries()) {
      if (query.state !== 'RUNNING') throw new Error(`query ${query.id} is ${query.state}`);
    }
    const outputs = new Map(spec.outputTopics.map((topic) => [topic, readAll(broker, topic)] as const));
    engine.close();
    return { events, seconds, outputs };
  } finally {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
