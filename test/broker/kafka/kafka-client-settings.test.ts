/**
 * Kafka's client property names turned into kafkajs' options: the servers,
 * SASL users from a JAAS line or librdkafka's names, TLS from PEM files, and
 * a clear refusal of whatever is unknown, misspelt or unsupported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { isBrokerError } from '../../../src/broker/index.js';
import { parseKafkaClientSettings } from '../../../src/broker/kafka/kafka-client-settings.js';
import { withTempDir } from '../../helpers/temp-dir.js';

function refused(t: import('ava').ExecutionContext, properties: Record<string, string>, message: RegExp): void {
  const error = t.throws(() => parseKafkaClientSettings(properties));
  t.true(isBrokerError(error, 'INVALID_CONFIG'), String(error));
  t.regex(error!.message, message);
}

test('bootstrap servers, client id and timeouts', (t) => {
  const settings = parseKafkaClientSettings({
    'bootstrap.servers': 'kafka-1:9092, kafka-2:9093,[::1]:9094',
    'client.id': 'ksqlite-a',
    'request.timeout.ms': '5000',
    'replication.factor': '3',
    'metadata.max.age.ms': '1000',
    retries: '0',
    'retry.backoff.ms': '50',
  });
  t.deepEqual(settings.client.brokers, ['kafka-1:9092', 'kafka-2:9093', '[::1]:9094']);
  t.is(settings.client.clientId, 'ksqlite-a');
  t.is(settings.client.requestTimeout, 5000);
  t.is(settings.replicationFactor, 3);
  t.is(settings.metadataMaxAgeMs, 1000);
  t.is(parseKafkaClientSettings({ 'bootstrap.servers': 'k:9092' }).metadataMaxAgeMs, 300_000, "Kafka's default");
  t.deepEqual(settings.client.retry, { retries: 0, initialRetryTime: 50 });
  t.is(settings.client.ssl, undefined);
  t.is(settings.client.sasl, undefined);
});

test('missing, malformed, unknown and unsupported settings are refused by name', (t) => {
  refused(t, {}, /'bootstrap\.servers' is required/);
  refused(t, { 'bootstrap.servers': 'kafka-1' }, /expected host:port/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'acks': 'all' }, /Unknown Kafka client setting 'acks'/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'security.protocol': 'TLS' }, /security\.protocol/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'request.timeout.ms': '-1' }, /integer >= 1/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'sasl.mechanism': 'PLAIN' }, /security\.protocol' is PLAINTEXT/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' }, /Unsupported 'sasl\.mechanism' GSSAPI/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'security.protocol': 'SASL_PLAINTEXT' }, /SASL needs a user/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'security.protocol': 'SSL', 'ssl.truststore.location': '/nonexistent/ca.pem' }, /Cannot read 'ssl\.truststore\.location'/);
  refused(t, { 'bootstrap.servers': 'k:9092', 'security.protocol': 'SSL', 'ssl.keystore.location': 'x.jks', 'ssl.keystore.type': 'JKS' }, /use PEM or PKCS12/);
});

test('a SASL user comes from a JAAS line of the matching login module, or from sasl.username and sasl.password', (t) => {
  const jaas = parseKafkaClientSettings({
    'bootstrap.servers': 'k:9092',
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'SCRAM-SHA-512',
    'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="p\\"w;d";',
  });
  t.deepEqual(jaas.client.sasl, { mechanism: 'scram-sha-512', username: 'alice', password: 'p"w;d' });
  t.deepEqual(jaas.client.ssl, {});
  const named = parseKafkaClientSettings({ 'bootstrap.servers': 'k:9092', 'security.protocol': 'SASL_PLAINTEXT', 'sasl.username': 'bob', 'sasl.password': 'secret' });
  t.deepEqual(named.client.sasl, { mechanism: 'plain', username: 'bob', password: 'secret' });
  refused(
    t,
    { 'bootstrap.servers': 'k:9092', 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="a" password="b";' },
    /needs PlainLoginModule/,
  );
});

test('TLS reads the truststore and keystore PEM files; an empty endpoint identification algorithm skips the host name check', (t) => {
  withTempDir((dir) => {
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    writeFileSync(join(dir, 'client.pem'), 'KEY AND CERT');
    const settings = parseKafkaClientSettings({
      'bootstrap.servers': 'k:9093',
      'security.protocol': 'SSL',
      'ssl.truststore.location': join(dir, 'ca.pem'),
      'ssl.keystore.location': join(dir, 'client.pem'),
      'ssl.key.password': 'kp',
      'ssl.endpoint.identification.algorithm': '',
    });
    const ssl = settings.client.ssl as import('node:tls').ConnectionOptions;
    t.deepEqual(ssl.ca, [Buffer.from('CA')]);
    t.deepEqual(ssl.cert, Buffer.from('KEY AND CERT'));
    t.is(ssl.passphrase, 'kp');
    t.is(ssl.checkServerIdentity?.('host', {} as never), undefined);
  });
});
