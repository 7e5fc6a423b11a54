/** Test helper: an embedded broker in a fresh directory with its store registry. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded/embedded-broker.js';
import { openStoreRegistry, type StoreRegistry } from '../../src/state/index.js';

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ksqlite-state-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function withStores<T>(fn: (registry: StoreRegistry, broker: EmbeddedBroker, dir: string) => T): T {
  const dir = makeTempDir();
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    return fn(openStoreRegistry(broker.database), broker, dir);
  } finally {
    broker.close();
    removeDir(dir);
  }
}

export function b(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

export function s(value: Buffer | null): string | null {
  return value === null ? null : value.toString('utf8');
}

export function entries(iterable: Iterable<{ key: Buffer; value: Buffer }>): [string, string][] {
  return [...iterable].map((e) => [s(e.key)!, s(e.value)!]);
}

/** Commits `work` as the runtime does: inside a broker transaction. */
export function commit(broker: EmbeddedBroker, work: () => void): void {
  broker.commitTransaction({ work });
}
