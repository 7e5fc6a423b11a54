/**
 * The engine's topics on a Kafka-protocol cluster in another process
 * (ksqlite's own listener, or the cluster `KSQLITE_TEST_KAFKA` names): the
 * synchronous view after changes made through the store and after changes
 * made by another client (background refresh), appends partitioned as the
 * embedded log partitions them with their offsets and timestamps, read
 * committed ends, and a cluster that goes away and comes back.
 */
import test from 'ava';
import { BrokerError, isBrokerError, type ProducerRecord } from '../../../src/broker/index.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import { KafkaTopicStore } from '../../../src/broker/kafka/kafka-topic-store.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';
import { EXTERNAL_KAFKA, startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

let target: KafkaTarget;
let client: KafkaClusterClient;
/** Another server's client: changes it makes reach the store only by a refresh. */
let other: KafkaClusterClient;

test.before(async () => {
  target = await startKafkaTarget();
  client = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, 'client.id': 'ksqlite-topic-store-test' });
  other = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, 'client.id': 'ksqlite-topic-store-other' });
});

test.after.always(async () => {
  await client?.close();
  await other?.close();
  await target?.stop();
});

async function eventually(condition: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

test.serial('the view follows every change made through the store at once', async (t) => {
  const existing = uniqueName('existing');
  await other.admin.createTopic(existing, { partitions: 2 });
  const store = await KafkaTopicStore.open(client);
  try {
    t.true(store.hasTopic(existing), 'a topic that was there at open is in the view');
    t.is(store.describeTopic(existing).partitions.length, 2);

    const topic = uniqueName('made');
    const created = await store.createTopic(topic, { partitions: 3, config: { 'cleanup.policy': 'compact' } });
    t.is(created.partitions.length, 3);
    t.true(store.hasTopic(topic));
    t.true(store.listTopics().includes(topic));
    t.is(store.describeTopic(topic).config['cleanup.policy'], 'compact');

    const exists = await t.throwsAsync(store.createTopic(topic, { partitions: 1 }));
    t.true(isBrokerError(exists, 'TOPIC_EXISTS'), String(exists));
    t.is((await store.createTopic(topic, { partitions: 1, ifNotExists: true })).partitions.length, 3, 'IF NOT EXISTS answers the topic as it is');
    const noPartitions = await t.throwsAsync(store.createTopic(uniqueName('none'), { partitions: 0 }));
    t.true(isBrokerError(noPartitions, 'INVALID_PARTITION'), String(noPartitions));

    await store.alterTopicConfig(topic, { 'retention.ms': 60_000 });
    t.is(store.describeTopic(topic).config['retention.ms'], 60_000);
    t.is(store.describeTopic(topic).config['cleanup.policy'], 'compact');

    await store.createPartitions(topic, 5);
    t.is(store.describeTopic(topic).partitions.length, 5);
    const shrink = await t.throwsAsync(store.createPartitions(topic, 4));
    t.true(isBrokerError(shrink, 'INVALID_PARTITION'), String(shrink));

    t.true(await store.deleteTopic(topic));
    t.false(store.hasTopic(topic));
    t.false(store.listTopics().includes(topic));
    const unknown = t.throws(() => store.describeTopic(topic));
    t.true(isBrokerError(unknown, 'UNKNOWN_TOPIC'), String(unknown));
    t.is(unknown!.message, `Topic '${topic}' does not exist.`);
    t.false(await store.deleteTopic(topic, { ifExists: true }));
    const gone = await t.throwsAsync(store.deleteTopic(topic));
    t.true(isBrokerError(gone, 'UNKNOWN_TOPIC'), String(gone));
  } finally {
    store.close();
  }
});

test.serial("another client's topics reach the view by the background refresh and by refresh()", async (t) => {
  const store = await KafkaTopicStore.open(client, { refreshIntervalMs: 100 });
  const topic = uniqueName('elsewhere');
  try {
    await other.admin.createTopic(topic, { partitions: 4 });
    t.true(await eventually(() => store.hasTopic(topic)), 'the background refresh saw the new topic');
    t.is(store.describeTopic(topic).partitions.length, 4);
    await other.admin.deleteTopic(topic);
    t.true(await eventually(() => !store.hasTopic(topic)), 'and saw it go');
  } finally {
    store.close();
  }

  const still = await KafkaTopicStore.open(client, { refreshIntervalMs: 3_600_000 });
  try {
    await other.admin.createTopic(topic, { partitions: 2, config: { 'cleanup.policy': 'compact', 'retention.ms': 1234 } });
    t.false(still.hasTopic(topic), 'no refresh ran yet');
    await still.refresh();
    t.true(still.hasTopic(topic));
    const seen = still.describeTopic(topic);
    t.is(seen.partitions.length, 2);
    t.is(seen.config['cleanup.policy'], 'compact');
    t.is(seen.config['retention.ms'], 1234);
  } finally {
    still.close();
  }
});

interface Gate {
  /** Resolves once the held refresh has the cluster's answer. */
  readonly reached: Promise<void>;
  release(): void;
}

/**
 * `client` whose admin's describeAllTopics can be held: while a gate is
 * open, a call gets the cluster's answer and then waits for `release`, so a
 * refresh can be caught between reading the cluster and taking what it read
 * as its view.
 */
function gatedClient(): { client: KafkaClusterClient; hold(): Gate } {
  let gate: { reached: () => void; released: Promise<void> } | null = null;
  const admin = client.admin;
  const gatedAdmin = new Proxy(admin, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== 'describeAllTopics') return value.bind(target);
      return async () => {
        const answer = await target.describeAllTopics();
        const open = gate;
        if (open !== null) {
          open.reached();
          await open.released;
        }
        return answer;
      };
    },
  });
  const gated = new Proxy(client, {
    get(target, property) {
      if (property === 'admin') return gatedAdmin;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    client: gated,
    hold() {
      let reached: () => void = () => undefined;
      let release: () => void = () => undefined;
      const reachedPromise = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      gate = { reached, released };
      return {
        reached: reachedPromise,
        release() {
          gate = null;
          release();
        },
      };
    },
  };
}

test.serial('a refresh that read the cluster before a change made through the store does not undo the change', async (t) => {
  const gated = gatedClient();
  const store = await KafkaTopicStore.open(gated.client, { refreshIntervalMs: 3_600_000 });
  const topic = uniqueName('raced');
  try {
    const beforeCreate = gated.hold();
    const refreshing = store.refresh();
    await beforeCreate.reached;
    await store.createTopic(topic, { partitions: 1 });
    beforeCreate.release();
    await refreshing;
    t.true(store.hasTopic(topic), 'the refresh read the cluster before the create');

    const beforeDelete = gated.hold();
    const refreshingAgain = store.refresh();
    await beforeDelete.reached;
    await store.deleteTopic(topic);
    beforeDelete.release();
    await refreshingAgain;
    t.false(store.hasTopic(topic), 'the refresh read the cluster before the delete');
    await store.refresh();
    t.false(store.hasTopic(topic), 'and the next one finds it gone');
  } finally {
    store.close();
  }
});

test.serial('the view is fetched one topic at a time when a topic is deleted while all are described at once', async (t) => {
  const vanishing = uniqueName('vanishing');
  const staying = uniqueName('staying');
  await other.admin.createTopic(vanishing, { partitions: 1 });
  await other.admin.createTopic(staying, { partitions: 2 });
  let failOnce = true;
  const racing = new Proxy(client, {
    get(target, property) {
      if (property !== 'admin') {
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return new Proxy(target.admin, {
        get(admin, name) {
          const value = Reflect.get(admin, name, admin) as unknown;
          if (name !== 'describeAllTopics' || !failOnce) return typeof value === 'function' ? value.bind(admin) : value;
          return async () => {
            failOnce = false;
            await other.admin.deleteTopic(vanishing);
            // As the cluster answers when a topic goes between its Metadata and its ListOffsets.
            throw new BrokerError('UNKNOWN_TOPIC', `Describing every topic failed on the Kafka cluster (UNKNOWN_TOPIC_OR_PARTITION)`);
          };
        },
      });
    },
  });
  const store = await KafkaTopicStore.open(racing, { refreshIntervalMs: 3_600_000 });
  try {
    t.false(store.hasTopic(vanishing));
    t.is(store.describeTopic(staying).partitions.length, 2);
  } finally {
    store.close();
  }
});

test.serial('appends land in the partitions the embedded log picks, with offsets and timestamps in input order', async (t) => {
  const topic = uniqueName('keyed');
  const dir = makeTempDir('ksqlite-topic-store-');
  const embedded = openEmbeddedBroker({ dataDir: dir });
  const store = await KafkaTopicStore.open(client, { clock: () => 1_700_000_000_000 });
  try {
    await store.createTopic(topic, { partitions: 6 });
    embedded.createTopic(topic, { partitions: 6 });
    const records: ProducerRecord[] = [
      ...Array.from({ length: 20 }, (_, i) => ({ key: Buffer.from(`key-${i}`), value: Buffer.from(`v${i}`), timestamp: 1000 + i })),
      { key: Buffer.from('window@123'), partitionKey: Buffer.from('window'), value: Buffer.from('windowed') },
      { key: Buffer.from('pinned'), value: Buffer.from('explicit'), partition: 5, timestamp: 7 },
    ];
    const appended = await store.append(topic, records);
    const expected = embedded.append(topic, records);
    t.deepEqual(
      appended.map((a) => a.partition),
      expected.map((e) => e.partition),
      'the same murmur2 partitions',
    );
    t.deepEqual(
      appended.map((a) => a.offset),
      expected.map((e) => e.offset),
      'offsets counted per partition in input order',
    );
    t.deepEqual(
      appended.map((a) => a.timestamp),
      [...records.slice(0, 20).map((r) => r.timestamp), 1_700_000_000_000, 7],
      "the record's own timestamp, else the store's clock",
    );
    for (const [i, a] of appended.entries()) {
      const { records: read } = await client.fetch(topic, a.partition, a.offset);
      t.is(String(read[0]?.value), String(records[i]!.value), `record ${i} is where the append said`);
    }

    const keyless = await store.append(topic, [
      { key: null, value: Buffer.from('a') },
      { key: null, value: Buffer.from('b') },
    ]);
    t.is(keyless[0]!.partition, keyless[1]!.partition, 'the keyless records of one call share a partition');
    t.is(keyless[1]!.offset, keyless[0]!.offset + 1);
  } finally {
    store.close();
    embedded.close();
    removeDir(dir);
  }
});

test.serial('a LogAppendTime topic answers the time the cluster stamped', async (t) => {
  const topic = uniqueName('appendtime');
  const store = await KafkaTopicStore.open(client);
  try {
    await store.createTopic(topic, { partitions: 1, config: { 'message.timestamp.type': 'LogAppendTime' } });
    const before = Date.now();
    const [appended] = await store.append(topic, [{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 5 }]);
    t.true(appended!.timestamp >= before - 1000, String(appended!.timestamp));
  } finally {
    store.close();
  }
});

test.serial('records the log cannot take are refused with its errors before they are sent', async (t) => {
  const topic = uniqueName('checked');
  const compacted = uniqueName('compacted');
  const store = await KafkaTopicStore.open(client);
  try {
    await store.createTopic(topic, { partitions: 2 });
    await store.createTopic(compacted, { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    const partition = await t.throwsAsync(store.append(topic, [{ key: null, value: Buffer.from('x'), partition: 2 }]));
    t.true(isBrokerError(partition, 'INVALID_PARTITION'), String(partition));
    const keyless = await t.throwsAsync(store.append(compacted, [{ key: null, value: Buffer.from('x') }]));
    t.true(isBrokerError(keyless, 'INVALID_RECORD'), String(keyless));
    const unknown = await t.throwsAsync(store.append(uniqueName('missing'), [{ key: null, value: Buffer.from('x') }]));
    t.true(isBrokerError(unknown, 'UNKNOWN_TOPIC'), String(unknown));
    t.is((await client.admin.endOffsets(topic)).reduce((n, o) => n + o.offset, 0), 0, 'nothing was written');
  } finally {
    store.close();
  }
});

test.serial("an append to a topic another client created since the last refresh finds it", async (t) => {
  const topic = uniqueName('fresh');
  const store = await KafkaTopicStore.open(client, { refreshIntervalMs: 3_600_000 });
  try {
    await other.admin.createTopic(topic, { partitions: 1 });
    const [appended] = await store.append(topic, [{ key: Buffer.from('k'), value: Buffer.from('v') }]);
    t.is(appended!.offset, 0);
    t.true(store.hasTopic(topic));
  } finally {
    store.close();
  }
});

test.serial('offsets() tells the log start and the read-committed end now', async (t) => {
  const topic = uniqueName('ends');
  const store = await KafkaTopicStore.open(client);
  try {
    await store.createTopic(topic, { partitions: 1 });
    await store.append(topic, [1, 2, 3].map((i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) })));
    t.deepEqual(await store.offsets(topic, 0), { start: 0, end: 3 });
    const session = await other.openSession(uniqueName('open'));
    await session.begin();
    await session.send(topic, [{ key: Buffer.from('pending'), value: Buffer.from('uncommitted'), partition: 0 }]);
    t.deepEqual(await store.offsets(topic, 0), { start: 0, end: 3 }, 'an open transaction is not read committed yet');
    await session.commit();
    await session.close();
    t.deepEqual(await store.offsets(topic, 0), { start: 0, end: 5 }, 'its record and commit marker are');
    await client.admin.deleteRecords(topic, 0, 2);
    t.deepEqual(await store.offsets(topic, 0), { start: 2, end: 5 });
    await store.refresh();
    t.deepEqual(
      store.describeTopic(topic).partitions.map((p) => [p.logStartOffset, p.logEndOffset]),
      [[2, 5]],
      'a refresh fetches the log start and end',
    );
    const partition = await t.throwsAsync(store.offsets(topic, 1));
    t.true(isBrokerError(partition, 'INVALID_PARTITION'), String(partition));
  } finally {
    store.close();
  }
});

const localTest = EXTERNAL_KAFKA === undefined ? test.serial : test.serial.skip;

localTest('while the cluster is down the view stays and refresh() says why; afterwards it refreshes again', async (t) => {
  const lonely = await startKafkaTarget();
  const settings = { 'bootstrap.servers': lonely.bootstrap, retries: '1', 'retry.backoff.ms': '50', 'socket.connection.setup.timeout.ms': '500', 'request.timeout.ms': '2000' };
  const ownClient = await KafkaClusterClient.connect(settings);
  const store = await KafkaTopicStore.open(ownClient, { refreshIntervalMs: 3_600_000 });
  try {
    const kept = uniqueName('kept');
    await store.createTopic(kept, { partitions: 2 });
    await lonely.kill();

    const failed = await t.throwsAsync(store.refresh());
    t.true(isBrokerError(failed, 'KAFKA_CLUSTER'), String(failed));
    t.regex(failed!.message, /^Cannot fetch the topics of the Kafka cluster: /);
    t.true(store.hasTopic(kept), 'the last view is kept');
    t.is(store.describeTopic(kept).partitions.length, 2);

    await lonely.restart();
    const later = uniqueName('later');
    const otherClient = await KafkaClusterClient.connect(settings);
    try {
      await otherClient.admin.createTopic(later, { partitions: 1 });
    } finally {
      await otherClient.close();
    }
    await store.refresh();
    t.true(store.hasTopic(later), 'the view is fetched again once the cluster is back');
    t.true(store.hasTopic(kept));
  } finally {
    store.close();
    await ownClient.close();
    await lonely.stop();
  }
});

test.serial('a topic deleted elsewhere after an append does not stop appends to the others', async (t) => {
  const kept = uniqueName('kept-writing');
  const dropped = uniqueName('dropped');
  const store = await KafkaTopicStore.open(client);
  try {
    await store.createTopic(kept, { partitions: 1 });
    await store.createTopic(dropped, { partitions: 1 });
    await store.append(dropped, [{ key: Buffer.from('k'), value: Buffer.from('soon gone') }]);
    await other.admin.deleteTopic(dropped);
    const appended = await store.append(kept, [{ key: Buffer.from('k'), value: Buffer.from('still written') }]);
    t.is(appended[0]!.offset, 0);
  } finally {
    store.close();
  }
});

test.serial('appends running while the store deletes a topic they wrote to before all land once', async (t) => {
  const kept = uniqueName('kept-busy');
  const dropped = uniqueName('dropped-busy');
  const store = await KafkaTopicStore.open(client);
  try {
    await store.createTopic(kept, { partitions: 1 });
    await store.createTopic(dropped, { partitions: 1 });
    await store.append(dropped, [{ key: Buffer.from('k'), value: Buffer.from('soon gone') }]);
    const appends = Array.from({ length: 6 }, (_, i) => store.append(kept, [{ key: Buffer.from('k'), value: Buffer.from(`v${i}`) }]));
    const deleted = store.deleteTopic(dropped);
    appends.push(...Array.from({ length: 6 }, (_, i) => store.append(kept, [{ key: Buffer.from('k'), value: Buffer.from(`v${i + 6}`) }])));
    t.true(await deleted);
    const offsets = (await Promise.all(appends)).map(([a]) => a!.offset);
    t.deepEqual([...offsets].sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i));
    const { records } = await client.fetch(kept, 0, 0);
    t.deepEqual(records.map((r) => String(r.value)).sort(), Array.from({ length: 12 }, (_, i) => `v${i}`).sort());
  } finally {
    store.close();
  }
});
