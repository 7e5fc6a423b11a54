/** Test helper: an embedded broker in a fresh directory with its store registry. */
import { openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded/embedded-broker.js';
import { openStoreRegistry, type StoreRegistry } from '../../src/state/index.js';
import { withTempDir } from '../helpers/temp-dir.js';

export function withStores<T>(fn: (registry: StoreRegistry, broker: EmbeddedBroker, dir: string) => T): T {
  return withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      return fn(openStoreRegistry(broker.database), broker, dir);
    } finally {
      broker.close();
    }
  });
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

/** Commits `work` as the runtime does: a participant of a broker transaction. */
export function commit(broker: EmbeddedBroker, work: () => void): void {
  broker.commitTransaction({ participants: [{ commit: work }] });
}
