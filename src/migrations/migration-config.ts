/**
 * The migrations project's `ksql-migrations.properties`: ksqlDB's keys and
 * defaults, the migrations directory it implies, and the server client it
 * configures. The metadata topics' default names hold the server's service
 * id, so they are asked for only when a command creates the metadata.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { splitConfigFile } from '../cli/client-tls.js';
import { KsqlClient } from '../cli/ksql-client.js';
import { parseProperties } from '../server/properties-file.js';
import { MigrationError } from './migration-error.js';

export const SERVER_URL = 'ksql.server.url';
export const AUTH_USERNAME = 'ksql.auth.basic.username';
export const AUTH_PASSWORD = 'ksql.auth.basic.password';
export const STREAM_NAME = 'ksql.migrations.stream.name';
export const TABLE_NAME = 'ksql.migrations.table.name';
export const STREAM_TOPIC_NAME = 'ksql.migrations.stream.topic.name';
export const TABLE_TOPIC_NAME = 'ksql.migrations.table.topic.name';
export const TOPIC_REPLICAS = 'ksql.migrations.topic.replicas';
export const DIR_OVERRIDE = 'ksql.migrations.dir.override';
export const SSL_TRUSTSTORE_LOCATION = 'ssl.truststore.location';
export const SSL_TRUSTSTORE_PASSWORD = 'ssl.truststore.password';
export const SSL_KEYSTORE_LOCATION = 'ssl.keystore.location';
export const SSL_KEYSTORE_PASSWORD = 'ssl.keystore.password';
export const SSL_KEY_PASSWORD = 'ssl.key.password';
export const SSL_KEY_ALIAS = 'ssl.key.alias';
export const SSL_ALPN = 'ssl.alpn';
export const SSL_VERIFY_HOST = 'ssl.verify.host';

/** The file `new-project` writes and the migrations directory beside it. */
export const CONFIG_FILE_NAME = 'ksql-migrations.properties';
export const MIGRATIONS_DIR_NAME = 'migrations';

const DEFAULT_STREAM_NAME = 'MIGRATION_EVENTS';
const DEFAULT_TABLE_NAME = 'MIGRATION_SCHEMA_VERSIONS';

/** The keys `new-project` writes, commented out, under their headings, with the defaults ksqlDB shows for them. */
export const CONFIG_TEMPLATE: readonly { readonly heading: string; readonly keys: readonly (readonly [string, string])[] }[] = [
  {
    heading: 'Migrations metadata configs',
    keys: [
      [STREAM_NAME, DEFAULT_STREAM_NAME],
      [TABLE_NAME, DEFAULT_TABLE_NAME],
      [STREAM_TOPIC_NAME, `ksql-service-idksql_${DEFAULT_STREAM_NAME}`],
      [TABLE_TOPIC_NAME, `ksql-service-idksql_${DEFAULT_TABLE_NAME}`],
      [TOPIC_REPLICAS, '1'],
    ],
  },
  {
    heading: 'TLS configs',
    keys: [
      [SSL_TRUSTSTORE_LOCATION, ''], [SSL_TRUSTSTORE_PASSWORD, ''], [SSL_KEYSTORE_LOCATION, ''], [SSL_KEYSTORE_PASSWORD, ''],
      [SSL_KEY_PASSWORD, ''], [SSL_KEY_ALIAS, ''], [SSL_ALPN, 'false'], [SSL_VERIFY_HOST, 'true'],
    ],
  },
  { heading: 'ksqlDB server authentication configs', keys: [[AUTH_USERNAME, ''], [AUTH_PASSWORD, '']] },
  { heading: 'Migrations directory configs', keys: [[DIR_OVERRIDE, '']] },
];

/** The TLS settings the shell's client reads as the shell's --config-file gives them (client-tls.ts). */
const TLS_KEYS = [SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEY_PASSWORD];

export class MigrationConfig {
  private constructor(private readonly values: Readonly<Record<string, string>>, readonly path: string) {}

  static load(path: string): MigrationConfig {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new MigrationError(`Failed to load the migrations config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const values = parseProperties(text);
    if ((values[SERVER_URL] ?? '').trim() === '') throw new MigrationError(`Missing required property: ${SERVER_URL}`);
    return new MigrationConfig(values, path);
  }

  private text(key: string, fallback = ''): string {
    const value = this.values[key]?.trim() ?? '';
    return value === '' ? fallback : value;
  }

  get serverUrl(): string {
    return this.text(SERVER_URL);
  }

  get streamName(): string {
    return this.text(STREAM_NAME, DEFAULT_STREAM_NAME);
  }

  get tableName(): string {
    return this.text(TABLE_NAME, DEFAULT_TABLE_NAME);
  }

  /** The stream's topic: set, or `<service id>ksql_<stream name>` as ksqlDB names it. */
  streamTopic(serviceId: string): string {
    return this.text(STREAM_TOPIC_NAME, `${serviceId}ksql_${this.streamName}`);
  }

  tableTopic(serviceId: string): string {
    return this.text(TABLE_TOPIC_NAME, `${serviceId}ksql_${this.tableName}`);
  }

  get replicas(): number {
    const text = this.text(TOPIC_REPLICAS, '1');
    if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new MigrationError(`Invalid value ${text} for configuration ${TOPIC_REPLICAS}: expected a positive whole number`);
    return Number(text);
  }

  /** The override, or the `migrations` folder beside the config file. */
  get migrationsDir(): string {
    return this.text(DIR_OVERRIDE, join(dirname(this.path), MIGRATIONS_DIR_NAME));
  }

  /** A client of the configured server, with basic credentials when set and `headers` on every request. */
  client(headers: Readonly<Record<string, string>> = {}): KsqlClient {
    if (this.text(SSL_VERIFY_HOST, 'true').toLowerCase() === 'false') throw new MigrationError(`ksqlite-migrations always verifies the server's host name: remove ${SSL_VERIFY_HOST}=false`);
    if (this.text(SSL_KEY_ALIAS) !== '') throw new MigrationError(`${SSL_KEY_ALIAS} is not read: the keystore holds one key and its certificate (PEM or PKCS12)`);
    const user = this.text(AUTH_USERNAME);
    const credentials = user === '' ? undefined : { user, password: this.values[AUTH_PASSWORD] ?? '' };
    return new KsqlClient(this.serverUrl, credentials, this.tls(), headers);
  }

  /** The truststore and keystore settings as the shell reads them; undefined when none is set. */
  private tls(): ConnectionOptions | undefined {
    const settings = Object.fromEntries(TLS_KEYS.filter((key) => this.text(key) !== '').map((key) => [key, this.text(key)]));
    try {
      return splitConfigFile(settings).tls;
    } catch (error) {
      throw new MigrationError((error as Error).message);
    }
  }
}

/** Reads a `--headers` file: one `Name: value` or `Name=value` per line, blank lines skipped. */
export function readHeadersFile(path: string): Record<string, string> {
  if (!existsSync(path)) throw new MigrationError(`The headers file ${path} does not exist`);
  const headers: Record<string, string> = {};
  for (const [index, line] of readFileSync(path, 'utf8').split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const match = /^\s*([^:=\s]+)\s*[:=]\s*(.*?)\s*$/.exec(line);
    if (match === null) throw new MigrationError(`Line ${index + 1} of the headers file ${path} is not 'Name: value' or 'Name=value': ${line}`);
    headers[match[1]!] = match[2]!;
  }
  return headers;
}
