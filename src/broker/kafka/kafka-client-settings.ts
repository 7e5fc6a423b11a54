/**
 * The settings of a connection to a Kafka cluster, given under Kafka's own
 * client property names (as in ksqlDB's server properties or a Java client's
 * config) and turned into kafkajs' options. Only the names below are read;
 * any other is refused, so a misspelt or unsupported setting is never
 * silently ignored.
 *
 * - `bootstrap.servers` (required): host:port[,host:port...]
 * - `client.id`, `request.timeout.ms`, `socket.connection.setup.timeout.ms`
 * - `retries` (default 5) and `retry.backoff.ms` (default 300): how often and
 *   after how long a failed request is tried again (the wait doubles each time)
 * - `metadata.max.age.ms` (default 300000, Kafka's): how old the topic store's
 *   view of the cluster's topics may grow before it is fetched again
 * - `replication.factor`: of the topics this client creates (default 1), as
 *   Kafka Streams names it; kafkajs' CreateTopics versions need it explicit
 * - `security.protocol`: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * - `sasl.mechanism`: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, with the user in
 *   `sasl.jaas.config` (Java's PlainLoginModule / ScramLoginModule line) or
 *   `sasl.username` and `sasl.password` (librdkafka's names)
 * - `ssl.truststore.location` (PEM; or librdkafka's `ssl.ca.location`),
 *   `ssl.keystore.location` (PEM holding key and certificate, or PKCS12 with
 *   `ssl.keystore.type=PKCS12`), `ssl.keystore.password`, `ssl.key.password`,
 *   `ssl.endpoint.identification.algorithm` (empty turns off the host name check)
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { noDelaySocketFactory } from './no-delay-socket-factory.js';
import { BrokerError } from '../broker-error.js';

export interface KafkaClientSettings {
  /** kafkajs' client options (brokers, ssl, sasl, timeouts); no logger. */
  readonly client: KafkaConfig;
  readonly replicationFactor: number;
  /** How often the topic store fetches the cluster's topics again. */
  readonly metadataMaxAgeMs: number;
  /** Also in `client.retry`; producers take it too. */
  readonly retry: { readonly retries: number; readonly initialRetryTime: number };
}

/** Kafka clients' default metadata.max.age.ms: five minutes. */
const DEFAULT_METADATA_MAX_AGE_MS = 300_000;

type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

/** Every setting name read here. */
export const KAFKA_CLIENT_SETTING_NAMES: readonly string[] = [
  'bootstrap.servers',
  'client.id',
  'request.timeout.ms',
  'socket.connection.setup.timeout.ms',
  'retries',
  'retry.backoff.ms',
  'metadata.max.age.ms',
  'replication.factor',
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'sasl.username',
  'sasl.password',
  'ssl.truststore.location',
  'ssl.truststore.type',
  'ssl.ca.location',
  'ssl.keystore.location',
  'ssl.keystore.type',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
];

const KNOWN = new Set(KAFKA_CLIENT_SETTING_NAMES);

function invalid(message: string): BrokerError {
  return new BrokerError('INVALID_CONFIG', message);
}

function integerSetting(properties: Readonly<Record<string, string>>, name: string, min: number): number | undefined {
  const text = properties[name];
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < min) throw invalid(`Invalid value '${text}' for Kafka client setting '${name}': expected an integer >= ${min}.`);
  return value;
}

function securityProtocolOf(text: string | undefined): SecurityProtocol {
  const protocol = (text ?? 'PLAINTEXT').trim().toUpperCase();
  if (protocol === 'PLAINTEXT' || protocol === 'SSL' || protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') return protocol;
  throw invalid(`Invalid value '${text}' for Kafka client setting 'security.protocol': expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.`);
}

/** The `name="value"` options of a JAAS login module line. */
function jaasOptions(jaas: string): { module: string; options: Map<string, string> } {
  const match = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\s*(.*?);?\s*$/s.exec(jaas);
  if (match === null) throw invalid("Invalid 'sasl.jaas.config': expected '<LoginModule> required name=\"value\" ...;'.");
  const options = new Map<string, string>();
  const option = /([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]+))/g;
  for (const [, name, quoted, bare] of match[3]!.matchAll(option)) {
    options.set(name!, quoted === undefined ? bare! : quoted.replace(/\\(.)/g, '$1'));
  }
  return { module: match[1]!, options };
}

const MODULE_OF_MECHANISM: Readonly<Record<string, string>> = {
  PLAIN: 'PlainLoginModule',
  'SCRAM-SHA-256': 'ScramLoginModule',
  'SCRAM-SHA-512': 'ScramLoginModule',
};

function saslOf(properties: Readonly<Record<string, string>>): SASLOptions {
  const mechanism = (properties['sasl.mechanism'] ?? 'PLAIN').trim().toUpperCase();
  const module = MODULE_OF_MECHANISM[mechanism];
  if (module === undefined) throw invalid(`Unsupported 'sasl.mechanism' ${mechanism}: ksqlite's Kafka client speaks PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512.`);
  let username = properties['sasl.username'];
  let password = properties['sasl.password'];
  const jaas = properties['sasl.jaas.config'];
  if (jaas !== undefined) {
    const parsed = jaasOptions(jaas);
    if (!parsed.module.endsWith(`.${module}`) && parsed.module !== module) {
      throw invalid(`'sasl.jaas.config' names ${parsed.module}, but sasl.mechanism ${mechanism} needs ${module}.`);
    }
    username = parsed.options.get('username') ?? username;
    password = parsed.options.get('password') ?? password;
  }
  if (username === undefined || password === undefined) {
    throw invalid(`SASL needs a user: set 'sasl.jaas.config' (username="..." password="...") or 'sasl.username' and 'sasl.password'.`);
  }
  const lower = mechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512';
  return { mechanism: lower, username, password };
}

function pemOrPkcs12(properties: Readonly<Record<string, string>>, typeName: string, location: string): 'PEM' | 'PKCS12' {
  const type = (properties[typeName] ?? 'PEM').trim().toUpperCase();
  if (type === 'PEM' || type === 'PKCS12') return type;
  throw invalid(`Unsupported '${typeName}' ${type} for ${location}: use PEM or PKCS12 (convert a JKS store with keytool -importkeystore).`);
}

function tlsOf(properties: Readonly<Record<string, string>>): ConnectionOptions {
  const options: ConnectionOptions = {};
  const read = (name: string): Buffer => {
    try {
      return readFileSync(properties[name]!);
    } catch (error) {
      throw invalid(`Cannot read '${name}' ${properties[name]}: ${(error as Error).message}`);
    }
  };
  const truststore = properties['ssl.truststore.location'] === undefined ? 'ssl.ca.location' : 'ssl.truststore.location';
  if (properties[truststore] !== undefined) {
    if (pemOrPkcs12(properties, 'ssl.truststore.type', truststore) !== 'PEM') throw invalid(`'ssl.truststore.type' must be PEM: Node reads certificate authorities from PEM only.`);
    options.ca = [read(truststore)];
  }
  if (properties['ssl.keystore.location'] !== undefined) {
    const type = pemOrPkcs12(properties, 'ssl.keystore.type', 'ssl.keystore.location');
    const keystore = read('ssl.keystore.location');
    const passphrase = properties['ssl.key.password'] ?? properties['ssl.keystore.password'];
    if (type === 'PKCS12') {
      options.pfx = keystore;
      if (properties['ssl.keystore.password'] !== undefined) options.passphrase = properties['ssl.keystore.password'];
    } else {
      options.cert = keystore;
      options.key = keystore;
      if (passphrase !== undefined) options.passphrase = passphrase;
    }
  }
  if (properties['ssl.endpoint.identification.algorithm']?.trim() === '') options.checkServerIdentity = () => undefined;
  return options;
}

/** Reads the client settings; a BrokerError (INVALID_CONFIG) names the first bad or unknown one. */
export function parseKafkaClientSettings(properties: Readonly<Record<string, string>>): KafkaClientSettings {
  for (const name of Object.keys(properties)) {
    if (!KNOWN.has(name)) throw invalid(`Unknown Kafka client setting '${name}'.`);
  }
  const servers = (properties['bootstrap.servers'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (servers.length === 0) throw invalid("'bootstrap.servers' is required: host:port[,host:port...].");
  for (const server of servers) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[^\s:/]+):\d{1,5}$/.test(server)) throw invalid(`Invalid 'bootstrap.servers' entry '${server}': expected host:port.`);
  }
  const protocol = securityProtocolOf(properties['security.protocol']);
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  if (!usesSasl && (properties['sasl.mechanism'] ?? properties['sasl.jaas.config'] ?? properties['sasl.username']) !== undefined) {
    throw invalid(`SASL settings are given but 'security.protocol' is ${protocol}: use SASL_PLAINTEXT or SASL_SSL.`);
  }
  const requestTimeout = integerSetting(properties, 'request.timeout.ms', 1);
  const connectionTimeout = integerSetting(properties, 'socket.connection.setup.timeout.ms', 1);
  const retries = integerSetting(properties, 'retries', 0) ?? 5;
  const initialRetryTime = integerSetting(properties, 'retry.backoff.ms', 1) ?? 300;
  const client: KafkaConfig = {
    brokers: servers,
    clientId: properties['client.id'] ?? 'ksqlite',
    ...(requestTimeout === undefined ? {} : { requestTimeout }),
    ...(connectionTimeout === undefined ? {} : { connectionTimeout }),
    retry: { retries, initialRetryTime },
    socketFactory: noDelaySocketFactory(),
    ...(usesTls ? { ssl: tlsOf(properties) } : {}),
    ...(usesSasl ? { sasl: saslOf(properties) } : {}),
  };
  return {
    client,
    replicationFactor: integerSetting(properties, 'replication.factor', 1) ?? 1,
    metadataMaxAgeMs: integerSetting(properties, 'metadata.max.age.ms', 1) ?? DEFAULT_METADATA_MAX_AGE_MS,
    retry: { retries, initialRetryTime },
  };
}
