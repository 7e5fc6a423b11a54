/**
 * The Kafka cluster client over SASL/PLAIN, with the user from a JAAS line as
 * a Java client's config gives it: ksqlite's listener, in its own process
 * with SASL_PLAINTEXT, lets it in and serves a transaction; a wrong password
 * is refused at connect. Skipped against an external cluster, whose users
 * the test cannot know.
 */
import test from 'ava';
import { isBrokerError } from '../../../src/broker/index.js';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import { EXTERNAL_KAFKA, startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

const saslTest = EXTERNAL_KAFKA === undefined ? test.serial : test.serial.skip;
let target: KafkaTarget | undefined;

test.before(async () => {
  if (EXTERNAL_KAFKA !== undefined) return;
  target = await startKafkaTarget({
    'kafka.listener.security.protocol': 'SASL_PLAINTEXT',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config':
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_ksqlite="ksqlite-secret";',
  });
});

test.after.always(async () => {
  await target?.stop();
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
