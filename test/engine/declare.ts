/** Runs statements on a fresh engine: the sources they leave, or the first error's message. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { KsqlConfig, type PropertyValue } from '../../src/engine/config.js';
import type { DataSource } from '../../src/engine/data-source.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { Scheduler } from '../../src/runtime/scheduler.js';

/** Runs `sql` on a fresh engine and returns the sources it declared, or the error message. */
export function declare(sql: string, config: Record<string, PropertyValue> = {}): Map<string, DataSource> | string {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-ddl-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  const engine = new KsqlEngine({
    broker, config: new KsqlConfig(config), functions: createFunctionRegistry(), scheduler: new Scheduler(), autoCreateSourceTopics: true,
  });
  try {
    engine.execute(sql);
    return new Map(engine.metastore.listSources().map((s) => [s.name, s]));
  } catch (error) {
    return (error as Error).message;
  } finally {
    engine.close();
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function source(sql: string, name: string, config: Record<string, PropertyValue> = {}): DataSource {
  const sources = declare(sql, config);
  if (typeof sources === 'string') throw new Error(sources);
  return sources.get(name)!;
}

