/**
 * Where the server listens, where it keeps its data and which ksqlDB
 * properties it runs with. Command-line flags win over environment variables
 * (KSQLITE_PORT, KSQLITE_HOST, KSQLITE_DATA_DIR), which win over the
 * `listeners` property of the `--config` file, which wins over the defaults
 * (0.0.0.0:8088, as ksqlDB listens, and ./data). `--shutdown-timeout-ms`
 * (KSQLITE_SHUTDOWN_TIMEOUT_MS) bounds a graceful stop (see ksql-server.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseProperties } from './properties-file.js';

export interface ServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string;
  /** ksqlDB server properties (from the config file). */
  readonly properties: Record<string, string>;
  /** How long a stop waits for open requests to end before it cuts them. */
  readonly shutdownTimeoutMs?: number;
}

export const DEFAULT_PORT = 8088;
export const DEFAULT_HOST = '0.0.0.0';

export function resolveServerOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ServerOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string', short: 'c' },
      'shutdown-timeout-ms': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const properties = values.config === undefined ? {} : parseProperties(readFileSync(values.config, 'utf8'));
  const listener = parseListener(properties['listeners']);
  const portText = values.port ?? env.KSQLITE_PORT;
  const timeoutText = values['shutdown-timeout-ms'] ?? env.KSQLITE_SHUTDOWN_TIMEOUT_MS;
  return {
    host: values.host ?? env.KSQLITE_HOST ?? listener?.host ?? DEFAULT_HOST,
    port: portText === undefined ? (listener?.port ?? DEFAULT_PORT) : parsePort(portText),
    dataDir: resolve(values['data-dir'] ?? env.KSQLITE_DATA_DIR ?? './data'),
    properties,
    ...(timeoutText === undefined ? {} : { shutdownTimeoutMs: parseTimeout(timeoutText) }),
  };
}

function parseTimeout(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`Invalid shutdown timeout '${text}': expected a whole number of milliseconds`);
  return ms;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port '${text}': expected an integer from 0 to 65535`);
  return port;
}

/** The first `http://host:port` of ksqlDB's `listeners` property. */
function parseListener(text: string | undefined): { host: string; port: number } | undefined {
  if (text === undefined) return undefined;
  const first = text.split(',')[0]!.trim();
  const match = /^https?:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/i.exec(first);
  if (!match) throw new Error(`Invalid listeners '${text}': expected http://host:port`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: parsePort(match[2]!) };
}
