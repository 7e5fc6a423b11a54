/**
 * An engine to try statements out on (ksqlDB's sandbox, which headless mode
 * validates its queries file in before it runs anything): it starts with a
 * copy of the engine's sources and types, its log is a throwaway embedded
 * broker in a temporary directory holding empty topics of the same names,
 * partitions and configs as the engine's, its Schema Registry keeps its
 * registrations to itself, and its scheduler never runs. Statements plan,
 * create topics and start queries there; the real log, registry and
 * queries see none of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPromise } from '../common/maybe-async.js';
import { openEmbeddedBroker } from '../broker/index.js';
import { sandboxRegistryClient } from '../formats/index.js';
import { Scheduler } from '../runtime/scheduler.js';
import { KsqlEngine } from './engine.js';

export interface SandboxEngine {
  readonly engine: KsqlEngine;
  /** Stops its queries and removes its log. */
  close(): void;
}

export function openSandboxEngine(real: KsqlEngine): SandboxEngine {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-sandbox-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  let engine: KsqlEngine | undefined;
  try {
    for (const name of real.topics.listTopics()) {
      const topic = real.topics.describeTopic(name);
      broker.createTopic(name, { partitions: topic.partitions.length, config: topic.config });
    }
    engine = new KsqlEngine({
      broker,
      config: real.config,
      functions: real.functions,
      scheduler: new Scheduler(),
      ...(real.schemaRegistry === undefined ? {} : { schemaRegistry: sandboxRegistryClient(real.schemaRegistry) }),
    });
    if (isPromise(engine.ready)) throw new Error('the sandbox log answered later');
    for (const [name, type] of real.metastore.listTypes()) engine.metastore.putType(name, type);
    for (const source of real.metastore.listSources()) engine.metastore.putSource(source);
  } catch (error) {
    engine?.close();
    broker.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const opened = engine;
  return {
    engine: opened,
    close() {
      opened.close();
      broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
