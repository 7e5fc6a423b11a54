/**
 * The only place that builds pino loggers. The level is `setLogLevel`'s (the
 * server's `--log-level`), else KSQLITE_LOG_LEVEL, else info (silent under
 * NODE_ENV=test). A child logger takes its level when it is made, so the
 * server sets the level before it loads the modules that make theirs.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** pino's levels, most to least verbose, and silent. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

let root: Logger | undefined;
let chosenLevel: string | undefined;

function level(): string {
  return chosenLevel ?? process.env.KSQLITE_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
}

/** The process-wide root logger; `configureLogging` may replace it before first use. */
export function rootLogger(): Logger {
  root ??= pino({ level: level(), base: { app: 'ksqlite' } });
  return root;
}

export function configureLogging(options: LoggerOptions): void {
  root = pino({ level: level(), base: { app: 'ksqlite' }, ...options });
}

/** Sets the level of the root logger and of every logger made from now on. */
export function setLogLevel(name: (typeof LOG_LEVELS)[number]): void {
  chosenLevel = name;
  if (root !== undefined) root.level = name;
}

/** A child logger for one component, e.g. `createLogger('broker')`; a query's carry its `queryId`. */
export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}
