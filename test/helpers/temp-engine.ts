/** Test helper: a KsqlEngine with its own embedded broker and scheduler on a data directory. */
import { openEmbeddedBroker, type EmbeddedBroker, type TaskLog } from '../../src/broker/index.js';
import { KsqlConfig, type PropertyValue } from '../../src/engine/config.js';
import { KsqlEngine } from '../../src/engine/engine.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import type { FunctionRegistry } from '../../src/functions/registry.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { SchemaStore } from '../../src/schema-registry/schema-store.js';
import { storeRegistryClient } from '../../src/schema-registry/store-client.js';
import { withTempDir } from './temp-dir.js';

export interface EngineNode {
  readonly broker: EmbeddedBroker;
  readonly engine: KsqlEngine;
  readonly scheduler: Scheduler;
}

export interface EngineNodeOptions {
  /** The engine's configuration properties. */
  readonly properties?: Record<string, PropertyValue>;
  /** Create missing source topics, as the conformance driver does. */
  readonly autoCreateSourceTopics?: boolean;
  /** Records a task processes per scheduler turn. */
  readonly batchSize?: number;
  /** The function registry (default: the built-in functions). */
  readonly functions?: FunctionRegistry;
  /** Give the engine the embedded Schema Registry's store on the same log, as the server does. */
  readonly schemaRegistry?: boolean;
  /** The tasks' log, made over the broker (default: the broker's own). */
  readonly taskLog?: (broker: EmbeddedBroker) => TaskLog;
}

/** Opens a broker on `dataDir` and an engine over it; the command log there brings earlier statements back. */
export function openEngine(dataDir: string, options: EngineNodeOptions = {}): EngineNode {
  const broker = openEmbeddedBroker({ dataDir });
  const scheduler = new Scheduler(options.batchSize === undefined ? {} : { batchSize: options.batchSize });
  const engine = new KsqlEngine({
    broker,
    scheduler,
    config: new KsqlConfig(options.properties ?? {}),
    functions: options.functions ?? createFunctionRegistry(),
    ...(options.autoCreateSourceTopics === undefined ? {} : { autoCreateSourceTopics: options.autoCreateSourceTopics }),
    ...(options.schemaRegistry === true ? { schemaRegistry: storeRegistryClient(SchemaStore.open(broker)) } : {}),
    ...(options.taskLog === undefined ? {} : { taskLog: options.taskLog(broker) }),
  });
  return { broker, engine, scheduler };
}

export function closeEngine(node: EngineNode): void {
  node.engine.close();
  node.broker.close();
}

/** Runs a synchronous `body` against a fresh engine on a temporary data directory, closed and removed afterwards. */
export function withTempEngine<T>(body: (node: EngineNode) => T, options: EngineNodeOptions = {}): T {
  return withTempDir((dir) => {
    const node = openEngine(dir, options);
    try {
      return body(node);
    } finally {
      closeEngine(node);
    }
  });
}
