/**
 * The Kafka cluster client against a Kafka-protocol cluster in another
 * process: ksqlite's own listener, or the cluster `KSQLITE_TEST_KAFKA` names.
 * Topics with configs, transactions seen read_committed (committed visible,
 * aborted not, open ones holding back the last stable offset), input offsets
 * committed with their transaction, a zombie producer fenced by a newer
 * epoch of its transactional id, records deleted from a partition's start.
 */
import { execFile } from 'node:child_process';
import test from 'ava';
import { isBrokerError, partitionForKey, type ProducerRecord } from '../../../src/broker/index.js';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import { ProducerFencedError } from '../../../src/broker/kafka/kafka-errors.js';
import { KCAT_MISSING } from '../../helpers/kcat.js';
import { startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

let target: KafkaTarget;
let client: KafkaClusterClient;

test.before(async () => {
  target = await startKafkaTarget();
  client = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, 'client.id': 'ksqlite-client-test' });
});

test.after.always(async () => {
  await client?.close();
  await target?.stop();
});

const record = (key: string, value: string, partition = 0): ProducerRecord => ({ key: Buffer.from(key), value: Buffer.from(value), partition });

async function values(topic: string, partition = 0, from = 0): Promise<string[]> {
  const { records } = await client.fetch(topic, partition, from);
  return records.map((r) => String(r.value));
}

test.serial('creates a compacted topic with partitions and configs, describes, alters, grows and deletes it', async (t) => {
  const topic = uniqueName('changelog');
  const created = await client.admin.createTopic(topic, { partitions: 3, config: { 'cleanup.policy': 'compact', 'retention.ms': 3_600_000 } });
  t.deepEqual(created.partitions.map((p) => [p.partition, p.logStartOffset, p.logEndOffset]), [[0, 0, 0], [1, 0, 0], [2, 0, 0]]);
  t.is(created.config['cleanup.policy'], 'compact');
  t.is(created.config['retention.ms'], 3_600_000);
  t.true((await client.admin.listTopics()).includes(topic));
  t.true(await client.admin.hasTopic(topic));

  const exists = await t.throwsAsync(client.admin.createTopic(topic, { partitions: 1 }));
  t.true(isBrokerError(exists, 'TOPIC_EXISTS'), String(exists));
  t.is((await client.admin.createTopic(topic, { partitions: 1, ifNotExists: true })).partitions.length, 3);

  const altered = await client.admin.alterTopicConfig(topic, { 'retention.ms': 60_000 });
  t.is(altered.config['retention.ms'], 60_000);
  t.is(altered.config['cleanup.policy'], 'compact', 'the settings not named stay as they were');

  t.is((await client.admin.createPartitions(topic, 5)).partitions.length, 5);
  t.true(await client.admin.deleteTopic(topic));
  t.false(await client.admin.hasTopic(topic));
  t.false(await client.admin.deleteTopic(topic, { ifExists: true }));
  const unknown = await t.throwsAsync(client.admin.deleteTopic(topic));
  t.true(isBrokerError(unknown, 'UNKNOWN_TOPIC'), String(unknown));
});

test.serial('a topic config the log does not know is refused before the cluster sees it', async (t) => {
  const error = await t.throwsAsync(client.admin.createTopic(uniqueName('bad'), { partitions: 1, config: { 'cleanup.policy': 'sometimes' } as never }));
  t.true(isBrokerError(error, 'INVALID_CONFIG'), String(error));
});

test.serial('a committed transaction is read read_committed with its offsets; an aborted one is invisible', async (t) => {
  const topic = uniqueName('output');
  const input = uniqueName('input');
  const group = uniqueName('group');
  await client.admin.createTopic(topic, { partitions: 2 });
  await client.admin.createTopic(input, { partitions: 1 });
  const session = await client.openSession(uniqueName('task'));

  await session.begin();
  await session.send(topic, [record('a', 'one'), record('b', 'two'), record('c', 'other partition', 1)]);
  await session.sendOffsets(group, [{ topic: input, partition: 0, offset: 7 }]);
  await session.commit();

  await session.begin();
  await session.send(topic, [record('d', 'aborted')]);
  await session.sendOffsets(group, [{ topic: input, partition: 0, offset: 9 }]);
  await session.abort();

  await session.begin();
  await session.send(topic, [record('e', 'three')]);
  await session.commit();

  const fetched = await client.fetch(topic, 0, 0);
  t.deepEqual(fetched.records.map((r) => [r.offset, String(r.key), String(r.value)]), [[0, 'a', 'one'], [1, 'b', 'two'], [5, 'e', 'three']]);
  // Offsets 2 (commit marker), 3 (aborted record), 4 (abort marker), 6 (commit marker).
  t.is(fetched.nextOffset, 7);
  t.is(fetched.highWatermark, 7);
  t.is(fetched.lastStableOffset, 7);
  t.deepEqual(await values(topic, 0, 1), ['two', 'three'], 'a fetch from inside a batch starts at the offset asked');
  t.deepEqual(await values(topic, 1), ['other partition']);
  t.deepEqual(await client.admin.committedOffsets(group), [{ topic: input, partition: 0, offset: 7 }], 'the aborted transaction\'s offsets are not committed');
  await session.close();
});

test.serial('an open transaction holds back the last stable offset and its records until it commits', async (t) => {
  const topic = uniqueName('pending');
  await client.admin.createTopic(topic, { partitions: 1 });
  const session = await client.openSession(uniqueName('task'));
  await session.begin();
  await session.send(topic, [record('k', 'pending')]);

  const during = await client.fetch(topic, 0, 0);
  t.deepEqual(during.records, []);
  t.is(during.highWatermark, 1);
  t.is(during.lastStableOffset, 0);
  t.deepEqual(await client.admin.endOffsets(topic), [{ topic, partition: 0, offset: 1 }]);
  t.deepEqual(await client.admin.endOffsets(topic, 'read_committed'), [{ topic, partition: 0, offset: 0 }]);

  await session.commit();
  t.deepEqual(await values(topic), ['pending']);
  t.deepEqual(await client.admin.endOffsets(topic, 'read_committed'), [{ topic, partition: 0, offset: 2 }]);
  await session.close();
});

test.serial('a zombie producer is fenced by a newer producer of its transactional id', async (t) => {
  const topic = uniqueName('fenced');
  const transactionalId = uniqueName('task');
  await client.admin.createTopic(topic, { partitions: 1 });
  const zombie = await client.openSession(transactionalId);
  await zombie.begin();
  await zombie.send(topic, [record('z', 'left open by the zombie')]);

  // The new owner's InitProducerId aborts the zombie's transaction and bumps the epoch.
  const owner = await client.openSession(transactionalId);
  const fenced = await t.throwsAsync(zombie.send(topic, [record('z', 'after fencing')]));
  t.true(fenced instanceof ProducerFencedError, String(fenced));
  t.is(zombie.state, 'fenced');
  await t.throwsAsync(zombie.commit(), { instanceOf: ProducerFencedError });

  await owner.begin();
  await owner.send(topic, [record('o', 'from the owner')]);
  await owner.commit();
  t.deepEqual(await values(topic), ['from the owner']);
  await zombie.close();
  await owner.close();
});

test.serial('records are partitioned by the partition key, then the key, as the log partitions them', async (t) => {
  const topic = uniqueName('keyed');
  await client.admin.createTopic(topic, { partitions: 4 });
  const session = await client.openSession(uniqueName('task'));
  await session.begin();
  const windowed = Buffer.from('window-bytes-differ');
  await session.send(topic, [
    { key: Buffer.from('alpha'), value: Buffer.from('by key') },
    { key: windowed, partitionKey: Buffer.from('alpha'), value: Buffer.from('by partition key'), timestamp: 1_700_000_000_000, headers: [{ key: 'h', value: Buffer.from('v') }, { key: 'h', value: Buffer.from('w') }] },
  ]);
  await session.commit();
  // Kafka's murmur2 of "alpha" over 4 partitions.
  const partition = partitionForKey(Buffer.from('alpha'), 4);
  const { records } = await client.fetch(topic, partition, 0);
  t.deepEqual(records.map((r) => String(r.value)), ['by key', 'by partition key']);
  t.is(records[1]!.timestamp, 1_700_000_000_000);
  t.deepEqual(records[1]!.headers, [{ key: 'h', value: Buffer.from('v') }, { key: 'h', value: Buffer.from('w') }]);
  await session.begin();
  const nullHeader = await t.throwsAsync(session.send(topic, [{ key: null, value: null, headers: [{ key: 'h', value: null }] }]));
  t.true(isBrokerError(nullHeader, 'INVALID_RECORD'), String(nullHeader));
  await session.abort();
  await session.close();
});

test.serial('deleting records moves the log start; a fetch below it is out of range', async (t) => {
  const topic = uniqueName('trimmed');
  await client.admin.createTopic(topic, { partitions: 1 });
  const session = await client.openSession(uniqueName('task'));
  await session.begin();
  await session.send(topic, [record('a', '0'), record('b', '1'), record('c', '2')]);
  await session.commit();
  t.is(await client.admin.deleteRecords(topic, 0, 2), 2);
  t.deepEqual((await client.admin.describeTopic(topic)).partitions.map((p) => [p.logStartOffset, p.logEndOffset]), [[2, 4]]);
  t.deepEqual(await values(topic, 0, 2), ['2']);
  const error = await t.throwsAsync(client.fetch(topic, 0, 0));
  t.true(isBrokerError(error, 'OFFSET_OUT_OF_RANGE'), String(error));
  await session.close();
});

const kcatTest = KCAT_MISSING === null ? test.serial : test.serial.skip;

/** Produces `lines` to partition 0 of `topic` with kcat (librdkafka), compressed with `codec`. */
function kcatProduce(topic: string, codec: string, lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', ['-b', target.bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec], { timeout: 20_000 }, (error, _out, stderr) =>
      error === null ? resolve() : reject(new Error(`kcat -z ${codec} failed: ${stderr}`)),
    );
    child.stdin!.end(lines.map((l) => `${l}\n`).join(''));
  });
}

kcatTest('batches another producer compressed with gzip, snappy, LZ4 or zstd are read', async (t) => {
  const codecs = ['gzip', 'snappy', 'lz4', 'zstd'];
  const topic = uniqueName('compressed');
  await client.admin.createTopic(topic, { partitions: 1 });
  // Repetitive lines, so the batches shrink: librdkafka sends a batch that compression does not shrink uncompressed.
  const lines = (codec: string): string[] => Array.from({ length: 50 }, (_, i) => `${codec} record ${i} ${'compressible '.repeat(8)}`);
  for (const codec of codecs) await kcatProduce(topic, codec, lines(codec));
  t.deepEqual(await values(topic), codecs.flatMap(lines));
});

test.serial('a topic another client deletes and recreates with more partitions is seen as it is now', async (t) => {
  const topic = uniqueName('recreated');
  await client.admin.createTopic(topic, { partitions: 1 });
  t.deepEqual(await values(topic), []);
  const other = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap });
  try {
    await other.admin.deleteTopic(topic);
    await other.admin.createTopic(topic, { partitions: 3 });
    const session = await other.openSession(uniqueName('task'));
    await session.begin();
    await session.send(topic, [record('k', 'in the new partition', 2)]);
    await session.commit();
    await session.close();
  } finally {
    await other.close();
  }
  t.is((await client.admin.describeTopic(topic)).partitions.length, 3);
  t.deepEqual(await values(topic, 2), ['in the new partition']);
});

test.serial('a fetch at the end waits for the next commit when asked to wait', async (t) => {
  const topic = uniqueName('waiting');
  await client.admin.createTopic(topic, { partitions: 1 });
  const waiting = client.fetch(topic, 0, 0, { maxWaitMs: 10_000 });
  const session = await client.openSession(uniqueName('task'));
  await session.begin();
  await session.send(topic, [record('k', 'arrived')]);
  await session.commit();
  const { records, nextOffset } = await waiting;
  t.deepEqual(records.map((r) => String(r.value)), ['arrived']);
  t.is(nextOffset, 2);
  await session.close();
});

test.serial('a fetch waiting at the end of one partition does not hold up the fetch of records in another (a broker answers a connection\'s requests in order)', async (t) => {
  const [idle, busy] = [uniqueName('idle'), uniqueName('busy')];
  await client.admin.createTopic(idle, { partitions: 1 });
  await client.admin.createTopic(busy, { partitions: 1 });
  const session = await client.openSession(uniqueName('task'));
  await session.begin();
  await session.send(busy, [record('k', 'there')]);
  await session.commit();
  await session.close();
  // Both partitions' leaders known first, so the waiting fetch is the first one sent.
  await Promise.all([client.fetch(idle, 0, 0), client.fetch(busy, 0, 0)]);
  const answered: string[] = [];
  const waiting = client.fetch(idle, 0, 0, { maxWaitMs: 3_000 }).then(() => answered.push('waiting'));
  const immediate = client.fetch(busy, 0, 0).then((result) => {
    answered.push('immediate');
    return result;
  });
  const [, { records }] = await Promise.all([waiting, immediate]);
  t.deepEqual(records.map((r) => String(r.value)), ['there']);
  t.deepEqual(answered, ['immediate', 'waiting']);
});
