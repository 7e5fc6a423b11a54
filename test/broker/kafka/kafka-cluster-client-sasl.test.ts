/**
 * The Kafka cluster client over SASL/PLAIN, with the user from a JAAS line as
 * a Java client's config gives it: ksqlite's listener, in its own process
 * with SASL_PLAINTEXT, lets it in and serves a transaction; a wrong password
 * is refused at connect; over SASL_SSL it trusts the listener's certificate
 * from `ssl.truststore.location`. Skipped against an external cluster, whose
 * users and certificates the test cannot know.
 */
import test from 'ava';
import { isBrokerError } from '../../../src/broker/index.js';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';
import { makeTestCertificate } from '../../helpers/test-certificate.js';
import { EXTERNAL_KAFKA, startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

const saslTest = EXTERNAL_KAFKA === undefined ? test.serial : test.serial.skip;
const USERS = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_ksqlite="ksqlite-secret";';
let target: KafkaTarget | undefined;
let tlsTarget: KafkaTarget | undefined;
const certDir = makeTempDir('ksqlite-kafka-client-tls-');

test.before(async () => {
  if (EXTERNAL_KAFKA !== undefined) return;
  target = await startKafkaTarget({ 'kafka.listener.security.protocol': 'SASL_PLAINTEXT', 'listener.name.sasl_plaintext.plain.sasl.jaas.config': USERS });
});

test.after.always(async () => {
  await target?.stop();
  await tlsTarget?.stop();
  removeDir(certDir);
});

const settings = (password: string): Record<string, string> => ({
  'bootstrap.servers': target!.bootstrap,
  'security.protocol': 'SASL_PLAINTEXT',
  'sasl.mechanism': 'PLAIN',
  'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="ksqlite" password="${password}";`,
});

saslTest('connects with the JAAS user, commits a transaction and reads it back', async (t) => {
  const client = await KafkaClusterClient.connect(settings('ksqlite-secret'));
  try {
    const topic = uniqueName('sasl');
    await client.admin.createTopic(topic, { partitions: 1 });
    const session = await client.openSession(uniqueName('task'));
    await session.begin();
    await session.send(topic, [{ key: Buffer.from('k'), value: Buffer.from('over sasl') }]);
    await session.commit();
    t.deepEqual((await client.fetch(topic, 0, 0)).records.map((r) => String(r.value)), ['over sasl']);
  } finally {
    await client.close();
  }
});

saslTest('a wrong password is refused at connect', async (t) => {
  const error = await t.throwsAsync(KafkaClusterClient.connect(settings('wrong')));
  t.true(isBrokerError(error, 'KAFKA_CLUSTER'), String(error));
  t.regex(String(error), /authentication/i);
});

saslTest('over SASL_SSL it trusts the listener\'s certificate from the truststore and commits a transaction', async (t) => {
  const cert = makeTestCertificate(certDir);
  tlsTarget = await startKafkaTarget({
    'kafka.listener.security.protocol': 'SASL_SSL',
    'listener.name.sasl_ssl.plain.sasl.jaas.config': USERS,
    'ssl.keystore.location': cert.pemKeystore,
  });
  const client = await KafkaClusterClient.connect({
    'bootstrap.servers': tlsTarget.bootstrap,
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.username': 'ksqlite',
    'sasl.password': 'ksqlite-secret',
    'ssl.truststore.location': cert.certFile,
  });
  try {
    const topic = uniqueName('tls');
    await client.admin.createTopic(topic, { partitions: 1 });
    const session = await client.openSession(uniqueName('task'));
    await session.begin();
    await session.send(topic, [{ key: null, value: Buffer.from('over tls') }]);
    await session.commit();
    t.deepEqual((await client.fetch(topic, 0, 0)).records.map((r) => String(r.value)), ['over tls']);
  } finally {
    await client.close();
  }
  const untrusting = await t.throwsAsync(
    KafkaClusterClient.connect({ 'bootstrap.servers': tlsTarget.bootstrap, 'security.protocol': 'SASL_SSL', 'sasl.username': 'ksqlite', 'sasl.password': 'ksqlite-secret', retries: '1' }),
  );
  t.true(isBrokerError(untrusting, 'KAFKA_CLUSTER'), String(untrusting));
});
