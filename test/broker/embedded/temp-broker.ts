/** Test helper: an embedded broker in a fresh temporary directory, removed afterwards. */
import { openEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from '../../../src/broker/embedded/embedded-broker.js';
import { withTempDir } from '../../helpers/temp-dir.js';

export function withBroker<T>(fn: (broker: EmbeddedBroker, dir: string) => T, options: Partial<EmbeddedBrokerOptions> = {}): T {
  return withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir, ...options });
    try {
      return fn(broker, dir);
    } finally {
      broker.close();
    }
  });
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
