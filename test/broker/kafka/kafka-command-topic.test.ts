/**
 * The command topic on a Kafka-protocol cluster in another process (ksqlite's
 * own listener, or the cluster `KSQLITE_TEST_KAFKA` names), shared by two
 * servers of one service id, each with its own client: the topic as ksqlDB
 * keeps it, appends that fence each other, an `end` that covers every
 * command committed before the append opened, and one order for every reader.
 */
import test from 'ava';
import { isBrokerError } from '../../../src/broker/index.js';
import type { CommandAppend } from '../../../src/broker/command-topic.js';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import { commandTopicName, KafkaCommandTopic } from '../../../src/broker/kafka/kafka-command-topic.js';
import { ProducerFencedError } from '../../../src/broker/kafka/kafka-errors.js';
import { startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

let target: KafkaTarget;
let first: KafkaClusterClient;
let second: KafkaClusterClient;

test.before(async () => {
  target = await startKafkaTarget();
  first = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, 'client.id': 'ksqlite-server-1' });
  second = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, 'client.id': 'ksqlite-server-2' });
});

test.after.always(async () => {
  await first?.close();
  await second?.close();
  await target?.stop();
});

const options = { pollMs: 50 };

/** Every committed command of the topic, as `[offset, value]`. */
async function commands(commandTopic: KafkaCommandTopic): Promise<[number, string][]> {
  const read: [number, string][] = [];
  let offset = 0;
  for (;;) {
    const { records, nextOffset } = await commandTopic.read(offset);
    if (records.length === 0 && nextOffset === offset) return read;
    for (const r of records) read.push([r.offset, String(r.value)]);
    offset = nextOffset;
  }
}

test.serial('the command topic is created as ksqlDB keeps it, and an existing one is set back to be kept forever', async (t) => {
  const serviceId = uniqueName('service');
  const commandTopic = await KafkaCommandTopic.open(first, serviceId, options);
  t.is(commandTopic.topic, `_confluent-ksql-${serviceId}_command_topic`);
  const created = await first.admin.describeTopic(commandTopic.topic);
  t.is(created.partitions.length, 1);
  t.is(created.config['retention.ms'], -1);
  t.is(created.config['cleanup.policy'], 'delete');
  await KafkaCommandTopic.open(second, serviceId, options);
  t.is((await first.admin.describeTopic(commandTopic.topic)).partitions.length, 1, 'a second server opens the same topic');

  const shortLived = uniqueName('service');
  await first.admin.createTopic(commandTopicName(shortLived), { partitions: 1, config: { 'retention.ms': 60_000, 'cleanup.policy': 'compact' } });
  await KafkaCommandTopic.open(first, shortLived, options);
  const corrected = await first.admin.describeTopic(commandTopicName(shortLived));
  t.is(corrected.config['retention.ms'], -1);
  t.is(corrected.config['cleanup.policy'], 'delete');

  const wide = uniqueName('service');
  await first.admin.createTopic(commandTopicName(wide), { partitions: 2 });
  const refused = await t.throwsAsync(KafkaCommandTopic.open(first, wide, options));
  t.true(isBrokerError(refused, 'INVALID_PARTITION'), String(refused));
  t.regex(refused!.message, /expected 1, but it has 2/);
});

test.serial("appends of two servers follow each other: each opens at the end the other's commit left", async (t) => {
  const serviceId = uniqueName('service');
  const one = await KafkaCommandTopic.open(first, serviceId, options);
  const two = await KafkaCommandTopic.open(second, serviceId, options);

  const a = await one.beginAppend();
  t.is(a.end, 0);
  const aOffset = await a.write(Buffer.from('CREATE STREAM a'));
  t.is(aOffset, 0);
  const b = await two.beginAppend();
  t.true(b.end > aOffset, `the end ${b.end} is past the first command`);
  const bOffset = await b.write(Buffer.from('CREATE STREAM b'));
  t.true(bOffset >= b.end);
  const c = await one.beginAppend();
  t.true(c.end > bOffset);
  await c.write(Buffer.from('CREATE STREAM c'));

  const expected = [
    [aOffset, 'CREATE STREAM a'],
    [bOffset, 'CREATE STREAM b'],
  ];
  const seenByOne = await commands(one);
  t.deepEqual(seenByOne.slice(0, 2), expected);
  t.deepEqual(await commands(two), seenByOne, 'both servers read one order');
  const finished = await t.throwsAsync(Promise.resolve(c.write(Buffer.from('again'))));
  t.true(isBrokerError(finished, 'INVALID_TXN_STATE'), String(finished));
});

test.serial("an open append is fenced by the other server's beginAppend: its write fails and is never read", async (t) => {
  const serviceId = uniqueName('service');
  const one = await KafkaCommandTopic.open(first, serviceId, options);
  const two = await KafkaCommandTopic.open(second, serviceId, options);

  const zombie = await one.beginAppend();
  const winner = await two.beginAppend();
  const fenced = await t.throwsAsync(Promise.resolve(zombie.write(Buffer.from('from the fenced server'))));
  t.true(fenced instanceof ProducerFencedError, String(fenced));
  const offset = await winner.write(Buffer.from('from the newer append'));
  t.deepEqual(await commands(one), [[offset, 'from the newer append']]);
  t.deepEqual(await commands(two), [[offset, 'from the newer append']]);

  const again = await one.beginAppend();
  t.true(again.end > offset, 'the fenced server appends again once it opens a new append');
  await again.write(Buffer.from('retried'));
  t.deepEqual(
    (await commands(two)).map(([, value]) => value),
    ['from the newer append', 'retried'],
  );
});

test.serial('an aborted append writes nothing and leaves the end where it was', async (t) => {
  const serviceId = uniqueName('service');
  const commandTopic = await KafkaCommandTopic.open(first, serviceId, options);
  const written = await commandTopic.beginAppend();
  await written.write(Buffer.from('kept'));
  const aborted = await commandTopic.beginAppend();
  await aborted.abort();
  const next = await commandTopic.beginAppend();
  t.is(next.end, aborted.end);
  await next.abort();
  t.deepEqual((await commands(commandTopic)).map(([, value]) => value), ['kept']);
});

test.serial('servers racing to append: every command lands once, and nothing committed between its open and its write', async (t) => {
  const serviceId = uniqueName('service');
  const servers = [await KafkaCommandTopic.open(first, serviceId, options), await KafkaCommandTopic.open(second, serviceId, options)];
  const written: { value: string; end: number; offset: number }[] = [];
  let fencings = 0;
  const run = async (server: KafkaCommandTopic, name: string): Promise<void> => {
    for (let i = 0; i < 6; i++) {
      const value = `${name}-${i}`;
      for (;;) {
        const append: CommandAppend = await server.beginAppend();
        try {
          written.push({ value, end: append.end, offset: await append.write(Buffer.from(value)) });
          break;
        } catch (error) {
          if (!(error instanceof ProducerFencedError)) throw error;
          fencings += 1;
        }
      }
    }
  };
  await Promise.all([run(servers[0]!, 'one'), run(servers[1]!, 'two')]);

  const read = await commands(servers[0]!);
  t.deepEqual(await commands(servers[1]!), read, 'both servers read one order');
  t.deepEqual(read.map(([, value]) => value).sort(), written.map((w) => w.value).sort(), 'every acknowledged command once, nothing else');
  for (const w of written) {
    t.deepEqual(read.find(([, value]) => value === w.value)?.[0], w.offset, `${w.value} is at the offset its write answered`);
    const between = read.filter(([offset]) => offset >= w.end && offset < w.offset);
    t.deepEqual(between, [], `nothing was committed between the open of ${w.value} and its write`);
  }
  t.log(`${fencings} appends were fenced and retried`);
});

test.serial('a read at the end waits briefly and answers no records', async (t) => {
  const commandTopic = await KafkaCommandTopic.open(first, uniqueName('service'), options);
  const { records, nextOffset } = await commandTopic.read(0);
  t.deepEqual(records, []);
  t.is(nextOffset, 0);
  await commandTopic.close();
});
