/**
 * Where the server listens, where it keeps its data and which ksqlDB
 * properties it runs with. Command-line flags win over environment variables
 * (KSQLITE_PORT, KSQLITE_HOST, KSQLITE_DATA_DIR), which win over the
 * `listeners` property of the `--config` file, which wins over the defaults
 * (127.0.0.1:8088, and ./data: unlike ksqlDB, which listens on every
 * interface, the server is reachable from this machine only until
 * `--host 0.0.0.0` or a `listeners` address opens it up). `--shutdown-timeout-ms`
 * (KSQLITE_SHUTDOWN_TIMEOUT_MS) bounds a graceful stop (see ksql-server.ts).
 * The Kafka-protocol listener binds the same host at `--kafka-port`
 * (KSQLITE_KAFKA_PORT, default 9092, 0 turns it off) and tells clients to
 * connect to `--kafka-advertised-host` (KSQLITE_KAFKA_ADVERTISED_HOST).
 *
 * `--kafka-bootstrap host:port[,...]` (KSQLITE_KAFKA_BOOTSTRAP, else
 * `bootstrap.servers` in the config file) runs the server on that Kafka
 * cluster instead of the embedded log (kafka-log.ts). There is no Kafka
 * listener then (the cluster is the Kafka), and no embedded Schema Registry
 * (its schemas would live on one server, not the cluster): giving either
 * port is a mistake in the command line.
 *
 * The config file may also be named alone, as ksqlDB's `ksql-server-start
 * <file>` takes it, and ksqlDB's KSQL_OPTS environment variable holds
 * `-Dname=value` settings that override the file's.
 *
 * `--queries-file <file>` (else `ksql.queries.file` in the config file or
 * KSQL_OPTS) starts the server in headless mode (queries-file.ts).
 *
 * Two switches let the log open a damaged data directory, each only because an
 * operator said so: `--accept-data-loss` (KSQLITE_ACCEPT_DATA_LOSS=true,
 * `ksqlite.accept.data.loss=true` in the config file) and `--start-fresh`
 * (KSQLITE_START_FRESH=true, `ksqlite.start.fresh=true`); see the README.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOG_LEVELS } from '../common/logger.js';
import { parseProperties } from './properties-file.js';
import { UsageError } from './usage-error.js';

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string;
  /** ksqlDB server properties (from the config file). */
  readonly properties: Record<string, string>;
  /** How long a stop waits for open requests to end before it cuts them. */
  readonly shutdownTimeoutMs?: number;
  /** Open the log even when its write-ahead log lost committed transactions (they are reported). */
  readonly acceptDataLoss?: boolean;
  /** Start with an empty log when a used data directory's database is missing or empty. */
  readonly startFresh?: boolean;
  /** The embedded Schema Registry's port (0 picks a free one); absent: no embedded registry. */
  readonly schemaRegistryPort?: number;
  /** `bootstrap.servers` of the Kafka cluster the server runs on; absent, it runs on the embedded log. */
  readonly kafkaBootstrap?: string;
  /** The Kafka-protocol listener's port (0 picks a free one); absent, there is no such listener. */
  readonly kafkaPort?: number;
  /** The host the Kafka listener's Metadata names (default: the bind host). */
  readonly kafkaAdvertisedHost?: string;
  /** Serve TLS (`listeners=https://...`), with the `ssl.*` properties (see tls-options.ts). */
  readonly https?: boolean;
  /** The log's level; absent: KSQLITE_LOG_LEVEL or info, as the logger decides. */
  readonly logLevel?: LogLevel;
  /** Headless mode's queries file (`--queries-file`, else `ksql.queries.file`), resolved against the working directory. */
  readonly queriesFile?: string;
}

export const DEFAULT_PORT = 8088;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SCHEMA_REGISTRY_PORT = 8081;
export const DEFAULT_KAFKA_PORT = 9092;

/** What the command line asks for: usage, the version, or a server with these options. */
export type CommandLine = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'run'; readonly options: ServerOptions };

/** Reads the command line; a mistake in it, or in the config file it names, throws a UsageError. */
export function readCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  if (argv.includes('--version') || argv.includes('-V')) return { kind: 'version' };
  return { kind: 'run', options: resolveServerOptions(argv, env) };
}

export function resolveServerOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ServerOptions {
  try {
    return resolveOptions(argv, env);
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}

function resolveOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ServerOptions {
  const { values, positionals } = parseCommandLine(argv);
  const configFile = configFileOf(values.config, positionals);
  const fromFile = configFile === undefined ? {} : parseProperties(readConfigFile(configFile), { strict: true, source: configFile });
  const { [ACCEPT_DATA_LOSS]: acceptInFile, [START_FRESH]: freshInFile, [LOG_LEVEL]: levelInFile, ...properties } =
    { ...fromFile, ...systemProperties(env.KSQL_OPTS) };
  const listener = parseListener(properties['listeners']);
  const portText = values.port ?? env.KSQLITE_PORT;
  const timeoutText = values['shutdown-timeout-ms'] ?? env.KSQLITE_SHUTDOWN_TIMEOUT_MS;
  const registryText = values['schema-registry-port'] ?? env.KSQLITE_SCHEMA_REGISTRY_PORT;
  const kafkaPortText = values['kafka-port'] ?? env.KSQLITE_KAFKA_PORT;
  const bootstrapText = values['kafka-bootstrap'] ?? env.KSQLITE_KAFKA_BOOTSTRAP ?? properties['bootstrap.servers'];
  const kafkaBootstrap = bootstrapText === undefined ? undefined : parseBootstrap(bootstrapText);
  // On a Kafka cluster both default to off; asking for one is a mistake.
  const kafkaMode = kafkaBootstrap !== undefined;
  const schemaRegistryPort = registryText === undefined ? (kafkaMode ? 0 : DEFAULT_SCHEMA_REGISTRY_PORT) : parsePort(registryText);
  const kafkaPort = kafkaPortText === undefined ? (kafkaMode ? 0 : DEFAULT_KAFKA_PORT) : parsePort(kafkaPortText);
  if (kafkaMode && kafkaPort !== 0) {
    throw new Error('--kafka-port cannot be used with --kafka-bootstrap: on a Kafka cluster, clients connect to the cluster itself');
  }
  if (kafkaMode && schemaRegistryPort !== 0) {
    throw new Error('--schema-registry-port cannot be used with --kafka-bootstrap: the embedded Schema Registry keeps its schemas on one server; set ksql.schema.registry.url to a Schema Registry instead');
  }
  const kafkaAdvertisedHost = values['kafka-advertised-host'] ?? env.KSQLITE_KAFKA_ADVERTISED_HOST;
  const levelText = values['log-level'] ?? env.KSQLITE_LOG_LEVEL ?? levelInFile;
  // As in ksqlDB, the flag wins over the setting.
  const queriesFile = values['queries-file'] ?? properties[QUERIES_FILE];
  if (queriesFile !== undefined && queriesFile.trim() === '') throw new UsageError(`Invalid queries file '${queriesFile}': expected a file name (--queries-file, ${QUERIES_FILE})`);
  return {
    host: values.host ?? env.KSQLITE_HOST ?? listener?.host ?? DEFAULT_HOST,
    port: portText === undefined ? (listener?.port ?? DEFAULT_PORT) : parsePort(portText),
    dataDir: resolve(values['data-dir'] ?? env.KSQLITE_DATA_DIR ?? './data'),
    properties,
    ...(timeoutText === undefined ? {} : { shutdownTimeoutMs: parseTimeout(timeoutText) }),
    acceptDataLoss: resolveSwitch(values['accept-data-loss'], env, 'KSQLITE_ACCEPT_DATA_LOSS', ACCEPT_DATA_LOSS, acceptInFile),
    startFresh: resolveSwitch(values['start-fresh'], env, 'KSQLITE_START_FRESH', START_FRESH, freshInFile),
    ...(schemaRegistryPort === 0 ? {} : { schemaRegistryPort }),
    ...(kafkaPort === 0 ? {} : { kafkaPort }),
    ...(kafkaBootstrap === undefined ? {} : { kafkaBootstrap }),
    ...(kafkaAdvertisedHost === undefined ? {} : { kafkaAdvertisedHost }),
    ...(listener?.https === true ? { https: true } : {}),
    ...(levelText === undefined ? {} : { logLevel: parseLogLevel(levelText) }),
    ...(queriesFile === undefined ? {} : { queriesFile: resolve(queriesFile.trim()) }),
  };
}

/** ksqlDB's setting that names headless mode's queries file. */
const QUERIES_FILE = 'ksql.queries.file';

/** `--config <file>`, or the file named alone as ksqlDB's `ksql-server-start <file>` takes it; not both. */
function configFileOf(flag: string | undefined, positionals: readonly string[]): string | undefined {
  if (positionals.length > 1 || (positionals.length === 1 && flag !== undefined)) {
    throw new UsageError(`Expected one config file, got ${[...(flag === undefined ? [] : [flag]), ...positionals].map((p) => `'${p}'`).join(' and ')}`);
  }
  return flag ?? positionals[0];
}

/**
 * ksqlDB's KSQL_OPTS: Java system properties (`-Dname=value`) that override
 * the config file's settings. Its other words are options of the JVM, which
 * ksqlite does not run on: they are refused rather than ignored.
 */
function systemProperties(text: string | undefined): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const word of (text ?? '').split(/\s+/).filter((w) => w !== '')) {
    const match = /^-D([^=]+)=(.*)$/s.exec(word);
    if (match === null) throw new UsageError(`KSQL_OPTS: '${word}' is not a setting: ksqlite takes only -Dname=value there (JVM options do not apply)`);
    // ksqlDB never takes these as settings (its PropertiesUtil drops them): they are the JVM's own.
    if (/^(java|os|sun|user)\.|^(line|path|file)\.separator/.test(match[1]!)) {
      const hint = match[1] === 'java.security.auth.login.config' ? ': for Basic authentication, name the password file in authentication.basic.users.file' : '';
      throw new UsageError(`KSQL_OPTS: '-D${match[1]}' is a Java system property, which ksqlite does not use${hint}`);
    }
    properties[match[1]!] = match[2]!;
  }
  return properties;
}

/** The flags, and the config file when it is named alone. */
function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string', short: 'c' },
        'shutdown-timeout-ms': { type: 'string' },
        'accept-data-loss': { type: 'boolean' },
        'start-fresh': { type: 'boolean' },
        'schema-registry-port': { type: 'string' },
        'kafka-port': { type: 'string' },
        'kafka-advertised-host': { type: 'string' },
        'kafka-bootstrap': { type: 'string' },
        'log-level': { type: 'string' },
        'queries-file': { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // Node's advice on positionals that start with '-' is about its own parser, not this command line.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`Cannot read the config file ${path}: ${reason}`);
  }
}

function parseLogLevel(text: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === text.trim().toLowerCase());
  if (level === undefined) throw new UsageError(`Invalid log level '${text}': expected one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function parseTimeout(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`Invalid shutdown timeout '${text}': expected a whole number of milliseconds`);
  return ms;
}

const ACCEPT_DATA_LOSS = 'ksqlite.accept.data.loss';
const START_FRESH = 'ksqlite.start.fresh';
const LOG_LEVEL = 'ksqlite.log.level';

/** The flag, else the environment variable, else the config file's property, else false. */
function resolveSwitch(flag: boolean | undefined, env: NodeJS.ProcessEnv, envName: string, propertyName: string, property: string | undefined): boolean {
  if (flag !== undefined) return flag;
  const fromEnv = env[envName];
  if (fromEnv !== undefined) return parseSwitch(envName, fromEnv);
  return property === undefined ? false : parseSwitch(propertyName, property);
}

function parseSwitch(name: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`Invalid ${name} '${text}': expected true or false`);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port '${text}': expected an integer from 0 to 65535`);
  return port;
}

/** `host:port[,host:port...]`, as Kafka's `bootstrap.servers`. */
function parseBootstrap(text: string): string {
  const servers = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (servers.length === 0) throw new Error(`Invalid Kafka bootstrap servers '${text}': expected host:port[,host:port...]`);
  for (const server of servers) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/,\[\]]+):(\d{1,5})$/.exec(server);
    if (match === null || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new Error(`Invalid Kafka bootstrap server '${server}': expected host:port (--kafka-bootstrap, bootstrap.servers)`);
    }
  }
  return servers.join(',');
}

/** The first `http://host:port` or `https://host:port` of ksqlDB's `listeners` property. */
function parseListener(text: string | undefined): { host: string; port: number; https: boolean } | undefined {
  if (text === undefined) return undefined;
  const first = text.split(',')[0]!.trim();
  const match = /^(https?):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/i.exec(first);
  if (!match) throw new Error(`Invalid listeners '${text}': expected http://host:port or https://host:port`);
  return { host: match[2]!.replace(/^\[|\]$/g, ''), port: parsePort(match[3]!), https: match[1]!.toLowerCase() === 'https' };
}
