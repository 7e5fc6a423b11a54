/** The only place that builds pino loggers. */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

let root: Logger | undefined;

function level(): string {
  return process.env.KSQLITE_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
}

/** The process-wide root logger; `configureLogging` may replace it before first use. */
export function rootLogger(): Logger {
  root ??= pino({ level: level(), base: { app: 'ksqlite' } });
  return root;
}

export function configureLogging(options: LoggerOptions): void {
  root = pino({ level: level(), base: { app: 'ksqlite' }, ...options });
}

/** A child logger for one component, e.g. `createLogger('broker')`. */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}
