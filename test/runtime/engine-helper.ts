import type { PropertyValue } from '../../src/engine/config.js';
import { withTempEngine } from '../helpers/temp-engine.js';

export interface EngineRun {
  /** Executes statements, then runs every task until idle. */
  execute(sql: string): void;
  /** The values written to `topic`, as text. */
  values(topic: string): string[];
}

/** Runs `body` against a fresh engine on a temporary data directory, reading topics from the earliest offset. */
export function withEngine(body: (run: EngineRun) => void, properties: Record<string, PropertyValue> = {}): void {
  withTempEngine(
    ({ broker, engine, scheduler }) =>
      body({
        execute(sql) {
          engine.execute(sql);
          scheduler.runUntilIdle();
        },
        values: (topic) => broker.read(topic, 0, 0, { maxRecords: 10_000 }).map((r) => (r.value === null ? 'null' : r.value.toString())),
      }),
    { properties: { 'auto.offset.reset': 'earliest', ...properties } },
  );
}
