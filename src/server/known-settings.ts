/**
 * Which settings a server's properties may hold: a name neither ksqlDB
 * documents nor ksqlite defines refuses the start, so a typo or a setting
 * ksqlite lacks is never ignored silently. The rule follows ksqlDB's
 * property resolver: any `ksql.` name (its own settings, `ksql.streams.`
 * pass-through to Kafka Streams and its clients, `ksql.functions.` UDF
 * settings) is accepted, as ksqlDB accepts it; a bare name must be one of
 * ksqlDB's REST server settings, one of ksqlite's, or a Kafka Streams,
 * consumer, producer or admin client setting, bare or behind the client
 * prefixes Kafka Streams passes on (`consumer.`, `producer.`, `admin.`,
 * `main.consumer.`, `restore.consumer.`, `global.consumer.`), and the names
 * ksqlite's Kafka client reads (kafka-client-settings.ts, with librdkafka's
 * `sasl.username`, `sasl.password`, `ssl.ca.location`). A few settings
 * ksqlDB has and ksqlite does not implement, where ignoring them would weaken
 * security, are refused by name.
 */
import { KAFKA_CLIENT_SETTING_NAMES } from '../broker/kafka/kafka-client-settings.js';
import { PROPERTY_SPECS } from '../engine/config.js';
import { AUTH_PROPERTIES } from './basic-auth.js';
import { CORS_PROPERTIES } from './browser-guard.js';
import { CONNECTION_PROPERTIES } from './connection-limits.js';
import { PARSE_POOL_PROPERTIES } from '../parser/parse-pool.js';
import { KAFKA_LISTENER_PROPERTIES } from './kafka-settings.js';
import { KAFKA_SECURITY_PROPERTIES } from './kafka-security.js';
import { TLS_PROPERTIES } from './tls-options.js';
import { UsageError } from './usage-error.js';

/** ksqlDB's REST server settings without the `ksql.` prefix (its docs and KsqlRestConfig). */
const KSQLDB_SERVER_SETTINGS = [
  'listeners',
  'compression.type',
  'response.http.headers.config',
  'ssl.alpn',
  AUTH_PROPERTIES.method,
  AUTH_PROPERTIES.realm,
  AUTH_PROPERTIES.roles,
  AUTH_PROPERTIES.skipPaths,
  CORS_PROPERTIES.origin,
  CORS_PROPERTIES.methods,
  CORS_PROPERTIES.headers,
  ...TLS_PROPERTIES,
];

/** ksqlite's own settings. */
const KSQLITE_SETTINGS = [
  AUTH_PROPERTIES.usersFile, 'ksqlite.accept.data.loss', 'ksqlite.start.fresh', 'ksqlite.log.level',
  ...KAFKA_LISTENER_PROPERTIES, ...KAFKA_SECURITY_PROPERTIES, ...Object.values(CONNECTION_PROPERTIES), ...Object.values(PARSE_POOL_PROPERTIES),
];

/** ksqlDB settings ksqlite does not implement, refused rather than ignored. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'ksql.authentication.plugin.class': 'authentication plugins are Java classes; use authentication.method=BASIC',
  'ksql.security.extension.class': 'security extensions are Java classes',
  'ksql.internal.listener': 'ksqlite runs one node and has no internal listener',
  'ksql.ssl.keystore.alias.external': 'keystore aliases are not supported: use a keystore with one key',
  'ksql.ssl.keystore.alias.internal': 'keystore aliases are not supported: use a keystore with one key',
};

/** Kafka Streams, consumer, producer and admin client settings (Apache Kafka's config definitions). */
const KAFKA_CLIENT_SETTINGS = [
  // common client settings
  'bootstrap.servers', 'client.id', 'client.dns.lookup', 'client.rack', 'connections.max.idle.ms', 'default.api.timeout.ms',
  'metadata.max.age.ms', 'metadata.recovery.strategy', 'metric.reporters', 'metrics.num.samples', 'metrics.recording.level',
  'metrics.sample.window.ms', 'receive.buffer.bytes', 'send.buffer.bytes', 'reconnect.backoff.ms', 'reconnect.backoff.max.ms',
  'request.timeout.ms', 'retries', 'retry.backoff.ms', 'retry.backoff.max.ms', 'socket.connection.setup.timeout.ms',
  'socket.connection.setup.timeout.max.ms', 'security.protocol', 'security.providers', 'auto.include.jmx.reporter',
  'enable.metrics.push',
  // SASL
  'sasl.mechanism', 'sasl.jaas.config', 'sasl.client.callback.handler.class', 'sasl.login.callback.handler.class',
  'sasl.login.class', 'sasl.kerberos.service.name', 'sasl.kerberos.kinit.cmd', 'sasl.kerberos.ticket.renew.window.factor',
  'sasl.kerberos.ticket.renew.jitter', 'sasl.kerberos.min.time.before.relogin', 'sasl.login.refresh.window.factor',
  'sasl.login.refresh.window.jitter', 'sasl.login.refresh.min.period.seconds', 'sasl.login.refresh.buffer.seconds',
  'sasl.login.connect.timeout.ms', 'sasl.login.read.timeout.ms', 'sasl.login.retry.backoff.ms', 'sasl.login.retry.backoff.max.ms',
  'sasl.oauthbearer.token.endpoint.url', 'sasl.oauthbearer.jwks.endpoint.url', 'sasl.oauthbearer.scope.claim.name',
  'sasl.oauthbearer.sub.claim.name', 'sasl.oauthbearer.expected.audience', 'sasl.oauthbearer.expected.issuer',
  'sasl.oauthbearer.clock.skew.seconds', 'sasl.oauthbearer.jwks.endpoint.refresh.ms',
  'sasl.oauthbearer.jwks.endpoint.retry.backoff.ms', 'sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms',
  // TLS of the clients
  'ssl.provider', 'ssl.keymanager.algorithm', 'ssl.trustmanager.algorithm', 'ssl.secure.random.implementation',
  'ssl.engine.factory.class', 'ssl.truststore.certificates',
  // consumer
  'group.id', 'group.instance.id', 'group.protocol', 'group.remote.assignor', 'session.timeout.ms', 'heartbeat.interval.ms',
  'partition.assignment.strategy', 'auto.offset.reset', 'enable.auto.commit', 'auto.commit.interval.ms', 'fetch.min.bytes',
  'fetch.max.bytes', 'fetch.max.wait.ms', 'max.partition.fetch.bytes', 'max.poll.records', 'max.poll.interval.ms',
  'check.crcs', 'key.deserializer', 'value.deserializer', 'interceptor.classes', 'exclude.internal.topics',
  'isolation.level', 'allow.auto.create.topics',
  // producer
  'acks', 'batch.size', 'linger.ms', 'buffer.memory', 'compression.type', 'compression.gzip.level', 'compression.lz4.level',
  'compression.zstd.level', 'max.request.size', 'max.block.ms', 'delivery.timeout.ms', 'enable.idempotence',
  'max.in.flight.requests.per.connection', 'transactional.id', 'transaction.timeout.ms', 'key.serializer',
  'value.serializer', 'partitioner.class', 'partitioner.ignore.keys', 'partitioner.adaptive.partitioning.enable',
  'partitioner.availability.timeout.ms', 'metadata.max.idle.ms',
  // Kafka Streams
  'application.id', 'application.server', 'num.stream.threads', 'state.dir', 'commit.interval.ms',
  'cache.max.bytes.buffering', 'statestore.cache.max.bytes', 'processing.guarantee', 'replication.factor',
  'num.standby.replicas', 'topology.optimization', 'default.key.serde', 'default.value.serde',
  'default.timestamp.extractor', 'default.deserialization.exception.handler', 'default.production.exception.handler',
  'default.dsl.store', 'dsl.store.suppliers.class', 'buffered.records.per.partition', 'max.task.idle.ms', 'task.timeout.ms',
  'rocksdb.config.setter', 'upgrade.from', 'window.size.ms', 'windowed.inner.class.serde', 'acceptable.recovery.lag',
  'probing.rebalance.interval.ms', 'max.warmup.replicas', 'state.cleanup.delay.ms', 'poll.ms', 'repartition.purge.interval.ms',
  'rack.aware.assignment.tags', 'rack.aware.assignment.strategy', 'built.in.metrics.version', 'enable.metrics.push',
  'task.assignor.class', 'topology.name', 'statestore.uncommitted.max.bytes',
];

const CLIENT_PREFIXES = ['consumer.', 'producer.', 'admin.', 'main.consumer.', 'restore.consumer.', 'global.consumer.', 'topic.'];

const KNOWN = new Set<string>([
  ...KSQLDB_SERVER_SETTINGS, ...KSQLITE_SETTINGS, ...KAFKA_CLIENT_SETTINGS, ...KAFKA_CLIENT_SETTING_NAMES, ...Object.keys(PROPERTY_SPECS),
]);

/** Why the setting is refused, or undefined when it may be given. */
function refusal(name: string): string | undefined {
  const unsupported = UNSUPPORTED[name];
  if (unsupported !== undefined) return `'${name}' is not supported by ksqlite: ${unsupported}`;
  if (name.startsWith('ksql.') || KNOWN.has(name)) return undefined;
  const prefix = CLIENT_PREFIXES.find((p) => name.startsWith(p));
  // Kafka Streams passes `topic.` settings to its internal topics: any topic configuration.
  if (prefix === 'topic.' || (prefix !== undefined && KNOWN.has(name.slice(prefix.length)))) return undefined;
  return `unknown setting '${name}': neither ksqlDB nor ksqlite has it`;
}

/** Throws one error naming every setting that is refused. */
export function checkSettings(properties: Readonly<Record<string, string>>): void {
  const refused = Object.keys(properties).map(refusal).filter((r): r is string => r !== undefined);
  if (refused.length > 0) throw new UsageError(refused.join('; '));
}
