/**
 * How the Kafka-protocol listener is secured, with Kafka's own setting names:
 * `kafka.listener.security.protocol` names the listener's protocol
 * (PLAINTEXT, the default; SSL; SASL_PLAINTEXT; SASL_SSL): Kafka names a
 * listener's protocol in `listeners`, and ksqlite's one listener takes it
 * from this setting, leaving `security.protocol` to what it is in ksqlDB, a
 * setting of the Kafka clients (the scale-out on a Kafka cluster). TLS uses the server's certificate settings
 * (`ssl.keystore.*`, tls-options.ts). SASL offers the mechanisms of
 * `sasl.enabled.mechanisms` (only PLAIN exists, and is the default here,
 * where Kafka defaults to GSSAPI). Its users come from the broker's JAAS
 * setting for the listener, `listener.name.sasl_plaintext.plain.sasl.jaas.config`
 * or `listener.name.sasl_ssl.plain.sasl.jaas.config` (PlainLoginModule with
 * `user_NAME="password"` options), or, without one, from the HTTP Basic
 * password file (`authentication.basic.users.file`), where a user must also
 * hold one of `authentication.roles`, as over HTTP.
 */
import type { SecureContextOptions } from 'node:tls';
import type { SaslAuthenticator } from '../broker/kafka-protocol/sasl-exchange.js';
import { allowedRoles, hasAllowedRole, readPasswordFile } from './basic-auth.js';
import { equalInConstantTime } from './password-file.js';
import { loadTlsOptions } from './tls-options.js';

const LISTENER_PROTOCOL = 'kafka.listener.security.protocol';
const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
type SecurityProtocol = (typeof PROTOCOLS)[number];

/** ksqlite reads these for its Kafka listener. */
export const KAFKA_SECURITY_PROPERTIES = [
  LISTENER_PROTOCOL,
  'sasl.enabled.mechanisms',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config',
  'listener.name.sasl_ssl.plain.sasl.jaas.config',
] as const;

const PLAIN_LOGIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';

export interface KafkaSecurity {
  readonly protocol: SecurityProtocol;
  readonly tls?: SecureContextOptions;
  readonly sasl?: SaslAuthenticator;
}

export function resolveKafkaSecurity(properties: Readonly<Record<string, string>>): KafkaSecurity {
  const protocolText = (properties[LISTENER_PROTOCOL] ?? 'PLAINTEXT').trim().toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocolText)) {
    throw new Error(`Invalid ${LISTENER_PROTOCOL} '${properties[LISTENER_PROTOCOL]}': expected ${PROTOCOLS.join(', ')}`);
  }
  const protocol = protocolText as SecurityProtocol;
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL' ? loadTlsOptions(properties) : undefined;
  const sasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL' ? saslAuthenticator(properties, protocol) : undefined;
  return { protocol, ...(tls === undefined ? {} : { tls }), ...(sasl === undefined ? {} : { sasl }) };
}

function saslAuthenticator(properties: Readonly<Record<string, string>>, protocol: SecurityProtocol): SaslAuthenticator {
  const mechanisms = (properties['sasl.enabled.mechanisms'] ?? 'PLAIN').split(',').map((m) => m.trim()).filter((m) => m !== '');
  const unsupported = mechanisms.filter((m) => m !== 'PLAIN');
  if (unsupported.length > 0 || mechanisms.length === 0) {
    throw new Error(`Unsupported sasl.enabled.mechanisms '${properties['sasl.enabled.mechanisms']}': ksqlite's Kafka listener supports PLAIN only`);
  }
  const jaasName = `listener.name.${protocol.toLowerCase()}.plain.sasl.jaas.config`;
  const jaas = properties[jaasName];
  if (jaas !== undefined && jaas.trim() !== '') {
    const users = plainUsers(jaas, jaasName);
    return { mechanisms, authenticate: (user, password) => users.authenticate(user, password) };
  }
  const file = readPasswordFile(properties, `${LISTENER_PROTOCOL}=${protocol} without ${jaasName}`);
  const roles = allowedRoles(properties);
  return {
    mechanisms,
    authenticate(user, password) {
      const found = file.authenticate(user, password);
      return found !== undefined && hasAllowedRole(found, roles);
    },
  };
}

/** The `user_NAME="password"` options of a PlainLoginModule JAAS entry. */
function plainUsers(jaas: string, name: string): { authenticate(user: string, password: string): boolean } {
  const match = /^\s*(\S+)\s+(required|requisite|sufficient|optional)\b([\s\S]*?);?\s*$/.exec(jaas);
  if (match === null || match[1] !== PLAIN_LOGIN_MODULE) {
    throw new Error(`Invalid ${name}: expected '${PLAIN_LOGIN_MODULE} required user_NAME="password" ...;'`);
  }
  const users = new Map<string, string>();
  const option = /([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/g;
  for (const m of match[3]!.matchAll(option)) {
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    if (m[1]!.startsWith('user_')) users.set(m[1]!.slice(5), value);
  }
  if (users.size === 0) throw new Error(`${name} names no user: add user_NAME="password" options`);
  return {
    // An unknown user costs the same comparison as a wrong password.
    authenticate: (user, password) => equalInConstantTime(password, users.get(user) ?? '\u0000no such user') && users.has(user),
  };
}
