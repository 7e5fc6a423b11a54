/**
 * A running ksqlite server: the HTTP listener, the embedded log in the data
 * directory, the engine (which replays the command log when it is built) and
 * the scheduler that runs the persistent queries. `stop` is graceful: stop
 * accepting, finish the scheduler's current turn, stop the queries, close the
 * log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openEmbeddedBroker, type EmbeddedBroker } from '../broker/index.js';
import { createLogger } from '../common/logger.js';
import { KsqlConfig } from '../engine/config.js';
import { KsqlEngine } from '../engine/engine.js';
import { createFunctionRegistry } from '../functions/builtin-functions.js';
import { Scheduler } from '../runtime/scheduler.js';
import { createApp } from './create-app.js';
import type { ServerOptions } from './server-options.js';

export interface StartOptions extends ServerOptions {
  /** Largest request body accepted (default 10 MiB). */
  readonly maxBodyBytes?: number;
  /** How often the log runs retention and compaction (default 60 s). */
  readonly maintenanceIntervalMs?: number;
}

const log = createLogger('server');

export class KsqlServer {
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly http: Server,
    readonly broker: EmbeddedBroker,
    readonly engine: KsqlEngine,
    private readonly scheduler: Scheduler,
    readonly host: string,
    readonly port: number,
    private readonly markShuttingDown: () => void,
  ) {}

  /** The URL clients on this machine reach the server at. */
  get url(): string {
    return `http://${displayHost(this.host)}:${this.port}`;
  }

  static async start(options: StartOptions): Promise<KsqlServer> {
    let engine: KsqlEngine | undefined;
    let shuttingDown = false;
    let port = options.port;
    const app = createApp({
      engine: () => engine,
      hostName: () => `${displayHost(options.host)}:${port}`,
      isShuttingDown: () => shuttingDown,
      maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    });
    const http = createServer(app);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    port = (http.address() as AddressInfo).port;
    let broker: EmbeddedBroker | undefined;
    try {
      broker = openEmbeddedBroker({ dataDir: options.dataDir });
      const scheduler = new Scheduler({
        onError: (task, error) => log.error({ err: error, topic: task.topic, partition: task.partition }, 'task commit failed; retrying'),
      });
      const config = new KsqlConfig({ listeners: `http://${displayHost(options.host)}:${port}`, ...options.properties });
      engine = new KsqlEngine({ broker, config, functions: createFunctionRegistry(), scheduler });
      scheduler.start();
      broker.startMaintenance(options.maintenanceIntervalMs ?? 60_000);
      const server = new KsqlServer(http, broker, engine, scheduler, options.host, port, () => {
        shuttingDown = true;
      });
      log.info({ url: server.url, dataDir: options.dataDir, queries: engine.listQueries().length }, 'ksqlite server listening');
      return server;
    } catch (error) {
      broker?.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      throw error;
    }
  }

  /** Stops gracefully; a second call waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.markShuttingDown();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    await this.scheduler.stop();
    this.engine.close();
    this.broker.close();
    this.http.closeAllConnections();
    await closed;
    log.info('ksqlite server stopped');
  }
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
