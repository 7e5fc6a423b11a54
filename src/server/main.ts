#!/usr/bin/env node
/**
 * `ksqlite-server` / `npm start`: opens the embedded log in the data
 * directory, replays the command log so every stream, table and persistent
 * query comes back, and runs the queries until SIGTERM or SIGINT, when it
 * finishes the current batch commits and closes the log cleanly.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openEmbeddedBroker } from '../broker/index.js';
import { createLogger } from '../common/logger.js';
import { KsqlConfig } from '../engine/config.js';
import { KsqlEngine } from '../engine/engine.js';
import { createFunctionRegistry } from '../functions/builtin-functions.js';
import { Scheduler } from '../runtime/scheduler.js';

const log = createLogger('server');

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
  },
});

const dataDir = resolve(values['data-dir'] ?? process.env.KSQLITE_DATA_DIR ?? './data');
const broker = openEmbeddedBroker({ dataDir });
const scheduler = new Scheduler({ onError: (task, error) => log.error({ err: error, topic: task.topic, partition: task.partition }, 'task commit failed; retrying') });
const engine = new KsqlEngine({ broker, config: new KsqlConfig(), functions: createFunctionRegistry(), scheduler });
scheduler.start();
broker.startMaintenance(60_000);
log.info({ dataDir, queries: engine.listQueries().length }, 'ksqlite engine running (the REST API on port 8088 arrives with the server issue)');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await scheduler.stop();
  engine.close();
  broker.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
