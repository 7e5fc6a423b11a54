#!/usr/bin/env node
/**
 * `ksqlite-server` / `npm start`: serves ksqlDB's REST API on port 8088 (see
 * server-options.ts for flags and environment), replays the command log so
 * every stream, table and persistent query comes back, runs the queries, and
 * on SIGTERM or SIGINT stops gracefully (see KsqlServer.stop); a second signal
 * during the stop cuts its wait for open requests short. What the log had to
 * repair in a damaged data directory, and why it refuses one, is also printed
 * as plain text on stderr, for the operator at the terminal.
 */
import { createLogger, setLogLevel } from '../common/logger.js';
import { resolveServerOptions, type ServerOptions } from './server-options.js';

async function main(): Promise<void> {
  let options: ServerOptions;
  try {
    options = resolveServerOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`ksqlite-server: cannot start: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  if (options.logLevel !== undefined) setLogLevel(options.logLevel);
  // Loaded only now: their modules make their loggers as they load, at the level just set.
  const { KsqlServer } = await import('./ksql-server.js');
  const { describeRecoveryReport, isCleanRecovery } = await import('../broker/index.js');
  const log = createLogger('server');
  let server: Awaited<ReturnType<typeof KsqlServer.start>>;
  try {
    server = await KsqlServer.start(options);
  } catch (error) {
    log.fatal({ err: error }, 'ksqlite server failed to start');
    process.stderr.write(`ksqlite-server: cannot start: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const report = server.broker.recoveryReport;
  if (!isCleanRecovery(report)) process.stderr.write(`ksqlite-server: ${describeRecoveryReport(report, server.broker.path).join('\n')}\n`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      log.warn({ signal }, 'stopping now: open requests are cut');
      server.hurry();
      return;
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
