import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseProperties } from '../../src/server/properties-file.js';
import { resolveServerOptions } from '../../src/server/server-options.js';
import { withTempDir } from '../helpers/temp-dir.js';

test('without flags or environment the server listens on 127.0.0.1:8088 only, with ./data, its schema registry on 8081 and its Kafka listener on 9092', (t) => {
  t.deepEqual(resolveServerOptions([], {}), {
    host: '127.0.0.1',
    port: 8088,
    dataDir: resolve('./data'),
    properties: {},
    acceptDataLoss: false,
    startFresh: false,
    schemaRegistryPort: 8081,
    kafkaPort: 9092,
  });
});

test('--host 0.0.0.0 (or KSQLITE_HOST, or a listeners address) opens the server up to other machines', (t) => {
  t.is(resolveServerOptions(['--host', '0.0.0.0'], {}).host, '0.0.0.0');
  t.is(resolveServerOptions([], { KSQLITE_HOST: '0.0.0.0' }).host, '0.0.0.0');
});

test('the schema registry port comes from its flag, else KSQLITE_SCHEMA_REGISTRY_PORT; 0 turns the registry off', (t) => {
  t.is(resolveServerOptions(['--schema-registry-port', '18081'], { KSQLITE_SCHEMA_REGISTRY_PORT: '28081' }).schemaRegistryPort, 18081);
  t.is(resolveServerOptions([], { KSQLITE_SCHEMA_REGISTRY_PORT: '28081' }).schemaRegistryPort, 28081);
  t.false('schemaRegistryPort' in resolveServerOptions(['--schema-registry-port', '0'], {}));
  t.false('schemaRegistryPort' in resolveServerOptions([], { KSQLITE_SCHEMA_REGISTRY_PORT: '0' }));
  t.throws(() => resolveServerOptions(['--schema-registry-port', 'x'], {}), { message: /Invalid port 'x'/ });
});

test('the Kafka listener port and advertised host come from a flag or the environment, and port 0 turns the listener off', (t) => {
  t.like(resolveServerOptions(['--kafka-port', '19092', '--kafka-advertised-host', 'kafka.example'], {}), { kafkaPort: 19092, kafkaAdvertisedHost: 'kafka.example' });
  t.like(resolveServerOptions([], { KSQLITE_KAFKA_PORT: '29092', KSQLITE_KAFKA_ADVERTISED_HOST: 'k2' }), { kafkaPort: 29092, kafkaAdvertisedHost: 'k2' });
  t.like(resolveServerOptions(['--kafka-port', '39092'], { KSQLITE_KAFKA_PORT: '29092' }), { kafkaPort: 39092 });
  t.false('kafkaPort' in resolveServerOptions(['--kafka-port', '0'], {}));
  t.throws(() => resolveServerOptions(['--kafka-port', 'x'], {}), { message: /Invalid port 'x'/ });
});

test('--kafka-bootstrap (else KSQLITE_KAFKA_BOOTSTRAP, else bootstrap.servers of the config file) runs on a Kafka cluster, with no Kafka listener or embedded Schema Registry', (t) => {
  withTempDir((dir) => {
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'bootstrap.servers=file-host:9092\nsecurity.protocol=SASL_SSL\n');
    const fromFlag = resolveServerOptions(['--kafka-bootstrap', 'k1:9092, k2:9093', '--config', file], { KSQLITE_KAFKA_BOOTSTRAP: 'env-host:9092' });
    t.is(fromFlag.kafkaBootstrap, 'k1:9092,k2:9093');
    t.false('kafkaPort' in fromFlag);
    t.false('schemaRegistryPort' in fromFlag);
    t.is(resolveServerOptions(['--config', file], { KSQLITE_KAFKA_BOOTSTRAP: 'env-host:9092' }).kafkaBootstrap, 'env-host:9092');
    const fromFile = resolveServerOptions(['--config', file], {});
    t.is(fromFile.kafkaBootstrap, 'file-host:9092');
    t.is(fromFile.properties['security.protocol'], 'SASL_SSL', 'the client settings stay properties, for the cluster client');
    t.like(resolveServerOptions(['--kafka-bootstrap', 'k:9092', '--kafka-port', '0', '--schema-registry-port', '0'], {}), { kafkaBootstrap: 'k:9092' });
    t.false('kafkaBootstrap' in resolveServerOptions([], {}));
  });
});

test('--kafka-port or --schema-registry-port with --kafka-bootstrap, and a malformed bootstrap list, are usage errors', (t) => {
  t.throws(() => resolveServerOptions(['--kafka-bootstrap', 'k:9092', '--kafka-port', '19092'], {}), { message: /--kafka-port cannot be used with --kafka-bootstrap/ });
  t.throws(() => resolveServerOptions(['--kafka-bootstrap', 'k:9092'], { KSQLITE_SCHEMA_REGISTRY_PORT: '18081' }), {
    message: /--schema-registry-port cannot be used with --kafka-bootstrap.*ksql\.schema\.registry\.url/,
  });
  t.throws(() => resolveServerOptions(['--kafka-bootstrap', 'k9092'], {}), { message: /Invalid Kafka bootstrap server 'k9092': expected host:port/ });
  t.throws(() => resolveServerOptions(['--kafka-bootstrap', ' , '], {}), { message: /Invalid Kafka bootstrap servers/ });
  t.throws(() => resolveServerOptions(['--kafka-bootstrap', 'k:99999'], {}), { message: /Invalid Kafka bootstrap server 'k:99999'/ });
});

test('accepting data loss and starting fresh are off unless a flag, the environment or the config file turns them on', (t) => {
  withTempDir((dir) => {
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'ksqlite.accept.data.loss=true\nksqlite.start.fresh=TRUE\nksql.service.id=svc_\n');
    t.like(resolveServerOptions(['--accept-data-loss'], {}), { acceptDataLoss: true, startFresh: false });
    t.like(resolveServerOptions(['--start-fresh'], {}), { acceptDataLoss: false, startFresh: true });
    t.like(resolveServerOptions([], { KSQLITE_ACCEPT_DATA_LOSS: 'true', KSQLITE_START_FRESH: 'false' }), { acceptDataLoss: true, startFresh: false });
    const fromFile = resolveServerOptions(['--config', file], {});
    t.like(fromFile, { acceptDataLoss: true, startFresh: true });
    t.deepEqual(fromFile.properties, { 'ksql.service.id': 'svc_' }, 'the switches are not passed on as ksqlDB properties');
    t.like(resolveServerOptions(['--config', file], { KSQLITE_START_FRESH: 'false' }), { startFresh: false });
    t.throws(() => resolveServerOptions([], { KSQLITE_ACCEPT_DATA_LOSS: 'yes' }), { message: /KSQLITE_ACCEPT_DATA_LOSS 'yes'/ });
  });
});

test('environment variables set port, host and data directory', (t) => {
  const o = resolveServerOptions([], { KSQLITE_PORT: '9000', KSQLITE_HOST: '127.0.0.1', KSQLITE_DATA_DIR: '/tmp/k' });
  t.like(o, { port: 9000, host: '127.0.0.1', dataDir: '/tmp/k' });
});

test('flags win over environment variables', (t) => {
  const o = resolveServerOptions(['--port', '9100', '--host', 'localhost', '--data-dir', '/tmp/f'], { KSQLITE_PORT: '9000', KSQLITE_DATA_DIR: '/tmp/k' });
  t.like(o, { port: 9100, host: 'localhost', dataDir: '/tmp/f' });
});

test('a config file gives ksqlDB properties, and its listeners the address', (t) => {
  withTempDir((dir) => {
    const file = join(dir, 'server.properties');
    writeFileSync(file, '# comment\nlisteners=http://127.0.0.1:9200\nksql.service.id = svc_\n! other comment\nksql.streams.auto.offset.reset: earliest\n');
    const o = resolveServerOptions(['--config', file], {});
    t.like(o, { host: '127.0.0.1', port: 9200 });
    t.deepEqual(o.properties, { listeners: 'http://127.0.0.1:9200', 'ksql.service.id': 'svc_', 'ksql.streams.auto.offset.reset': 'earliest' });
    t.is(resolveServerOptions(['--config', file, '--port', '1'], {}).port, 1);
  });
});

test('a port that is not a number is refused', (t) => {
  t.throws(() => resolveServerOptions(['--port', 'http'], {}), { message: /Invalid port/ });
  t.throws(() => resolveServerOptions([], { KSQLITE_PORT: '70000' }), { message: /Invalid port/ });
});

test('an unknown flag is refused', (t) => {
  t.throws(() => resolveServerOptions(['--bogus'], {}));
});

test('properties files continue lines ending in a backslash and unescape values', (t) => {
  t.deepEqual(parseProperties('a=one \\\n   two\nb\\:c=x\\ty\nempty\n'), { a: 'one two', 'b:c': 'x\ty', empty: '' });
});

test('the shutdown timeout comes from its flag or environment variable, and must be whole milliseconds', (t) => {
  t.is(resolveServerOptions([], {}).shutdownTimeoutMs, undefined);
  t.is(resolveServerOptions([], { KSQLITE_SHUTDOWN_TIMEOUT_MS: '1500' }).shutdownTimeoutMs, 1500);
  t.is(resolveServerOptions(['--shutdown-timeout-ms', '0'], { KSQLITE_SHUTDOWN_TIMEOUT_MS: '1500' }).shutdownTimeoutMs, 0);
  t.throws(() => resolveServerOptions(['--shutdown-timeout-ms', '2s'], {}), { message: /Invalid shutdown timeout/ });
});

test('the log level comes from --log-level, else KSQLITE_LOG_LEVEL, else ksqlite.log.level in the config file; others are refused', (t) => {
  t.is(resolveServerOptions([], {}).logLevel, undefined);
  t.is(resolveServerOptions(['--log-level', 'DEBUG'], { KSQLITE_LOG_LEVEL: 'warn' }).logLevel, 'debug');
  t.is(resolveServerOptions([], { KSQLITE_LOG_LEVEL: 'warn' }).logLevel, 'warn');
  withTempDir((dir) => {
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'ksqlite.log.level=error\n');
    const options = resolveServerOptions(['--config', file], {});
    t.is(options.logLevel, 'error');
    t.false('ksqlite.log.level' in options.properties);
  });
  t.throws(() => resolveServerOptions(['--log-level', 'loud'], {}), { message: /Invalid log level 'loud'/ });
});
