#!/usr/bin/env node
/**
 * `ksqlite-server` / `npm start`: serves ksqlDB's REST API on port 8088 (see
 * server-options.ts for flags and environment), replays the command log so
 * every stream, table and persistent query comes back (in headless mode, runs
 * its queries file instead: queries-file.ts), runs the queries, and
 * on SIGTERM or SIGINT stops gracefully (see KsqlServer.stop); a second signal
 * during the stop cuts its wait for open requests short. What the log had to
 * repair in a damaged data directory, and why it refuses one, is also printed
 * as plain text on stderr, for the operator at the terminal. A failure to
 * start is one line on stderr and an exit code (server-usage.ts lists them):
 * 2 for a mistake in the command line or settings, 1 for anything else.
 */
import { readFileSync } from 'node:fs';
import { createLogger, setLogLevel, type Logger } from '../common/logger.js';
import { readCommandLine, type CommandLine } from './server-options.js';
import { SERVER_USAGE } from './server-usage.js';
import { UsageError } from './usage-error.js';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function fail(error: unknown, log?: Logger): void {
  const message = (error as Error).message;
  log?.fatal({ reason: message }, 'ksqlite server failed to start');
  process.stderr.write(`ksqlite-server: cannot start: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write("Run 'ksqlite-server --help' for the options.\n");
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(): Promise<void> {
  let commandLine: CommandLine;
  try {
    commandLine = readCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    fail(error);
    return;
  }
  if (commandLine.kind === 'help') {
    process.stdout.write(SERVER_USAGE);
    return;
  }
  if (commandLine.kind === 'version') {
    process.stdout.write(`ksqlite-server ${readVersion()}\n`);
    return;
  }
  const { options } = commandLine;
  if (options.logLevel !== undefined) setLogLevel(options.logLevel);
  // Loaded only now: their modules make their loggers as they load, at the level just set.
  const { KsqlServer } = await import('./ksql-server.js');
  const { describeRecoveryReport, isCleanRecovery } = await import('../broker/index.js');
  const log = createLogger('server');
  let server: Awaited<ReturnType<typeof KsqlServer.start>>;
  try {
    server = await KsqlServer.start(options);
  } catch (error) {
    fail(error, log);
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
        process.exit(EXIT_FAILED);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
