/** `ksqlite/testing`: the conformance driver contract of ../shared/conformance/README.md. */
import type { PropertyValue } from '../engine/config.js';
import { TestDriver, type OutputRecord, type TestRecord, type TopicSpec } from './test-driver.js';

export { TestDriver };

/** The asynchronous surface qtt.mjs calls; every call runs synchronously underneath. */
export interface AsyncTestDriver {
  registerTopic(topic: TopicSpec): Promise<void>;
  execute(sql: string): Promise<unknown>;
  pipe(record: TestRecord): Promise<void>;
  read(topic: string): Promise<OutputRecord[]>;
  sources(): Promise<object[]>;
  topics(): Promise<string[]>;
  close(): Promise<void>;
}

export async function createTestDriver(opts: { properties?: Record<string, PropertyValue> } = {}): Promise<AsyncTestDriver> {
  const d = new TestDriver(opts.properties ?? {});
  return {
    registerTopic: async (topic) => d.registerTopic(topic),
    execute: async (sql) => d.execute(sql),
    pipe: async (record) => d.pipe(record),
    read: async (topic) => d.read(topic),
    sources: async () => d.sources(),
    topics: async () => d.topics(),
    close: async () => d.close(),
  };
}
