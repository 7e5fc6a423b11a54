/** Test helper: an embedded broker in a fresh temporary directory, removed afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from '../../../src/broker/embedded/embedded-broker.js';

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ksqlite-broker-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function withBroker<T>(fn: (broker: EmbeddedBroker, dir: string) => T, options: Partial<EmbeddedBrokerOptions> = {}): T {
  const dir = makeTempDir();
  const broker = openEmbeddedBroker({ dataDir: dir, ...options });
  try {
    return fn(broker, dir);
  } finally {
    broker.close();
    removeDir(dir);
  }
}

export function text(value: Buffer | null): string | null {
  return value === null ? null : value.toString('utf8');
}

export function rec(key: string | null, value: string | null, timestamp?: number) {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    ...(timestamp === undefined ? {} : { timestamp }),
  };
}
