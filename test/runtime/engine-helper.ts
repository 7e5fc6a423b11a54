import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig, type PropertyValue } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { openStoreRegistry } from '../../src/state/index.js';

export interface EngineRun {
  /** Executes statements, then runs every task until idle. */
  execute(sql: string): void;
  /** The values written to `topic`, as text. */
  values(topic: string): string[];
}

/** Runs `body` against a fresh engine on a temporary data directory. */
export function withEngine(body: (run: EngineRun) => void, properties: Record<string, PropertyValue> = {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-runtime-'));
  const broker: EmbeddedBroker = openEmbeddedBroker({ dataDir: dir });
  const scheduler = new Scheduler();
  const engine = new KsqlEngine({
    broker, config: new KsqlConfig({ 'auto.offset.reset': 'earliest', ...properties }), functions: createFunctionRegistry(), scheduler,
    stores: openStoreRegistry(broker.database),
  });
  try {
    body({
      execute(sql) {
        engine.execute(sql);
        scheduler.runUntilIdle();
      },
      values: (topic) => broker.read(topic, 0, 0, { maxRecords: 10_000 }).map((r) => (r.value === null ? 'null' : r.value.toString())),
    });
  } finally {
    engine.close();
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
