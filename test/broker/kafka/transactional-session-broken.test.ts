/**
 * A commit that fails leaves the transaction's outcome unknown and kafkajs'
 * producer unable to start another: the session says so (state `broken`)
 * and refuses further work with a message naming the way out (close it and
 * open a new one for the id). The cluster is ksqlite's listener in its own
 * process, killed while the transaction is open; skipped on an external cluster.
 */
import test from 'ava';
import { isBrokerError } from '../../../src/broker/index.js';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import { EXTERNAL_KAFKA, startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

const localTest = EXTERNAL_KAFKA === undefined ? test.serial : test.serial.skip;
let target: KafkaTarget | undefined;

test.after.always(async () => {
  await target?.stop();
});

localTest('a commit the cluster never answers breaks the session until it is reopened', async (t) => {
  target = await startKafkaTarget();
  const client = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, retries: '1', 'retry.backoff.ms': '10', 'socket.connection.setup.timeout.ms': '500' });
  try {
    const topic = uniqueName('lost');
    await client.admin.createTopic(topic, { partitions: 1 });
    const session = await client.openSession(uniqueName('task'));
    await session.begin();
    await session.send(topic, [{ key: Buffer.from('k'), value: Buffer.from('v') }]);
    await target.kill();

    const failed = await t.throwsAsync(session.commit());
    t.true(isBrokerError(failed, 'KAFKA_CLUSTER'), String(failed));
    t.is(session.state, 'broken');
    const refused = await t.throwsAsync(session.begin());
    t.true(isBrokerError(refused, 'INVALID_TXN_STATE'), String(refused));
    t.regex(refused!.message, /closed and opened again/);
    await session.close();
    t.is(session.state, 'closed');
  } finally {
    await client.close();
  }
});
