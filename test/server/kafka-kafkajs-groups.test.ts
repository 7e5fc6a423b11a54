/**
 * kafkajs consumers in a group against the server's Kafka listener,
 * unmodified: two members share a topic's partitions through rebalances (one
 * joins, one leaves), every record is consumed once with its offset
 * committed, and after a server restart the group resumes from its commits.
 * SHOW TOPICS EXTENDED counts their group beside the queries'. The admin
 * client's DeleteGroups refuses a running query's group.
 */
import test from 'ava';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { removeDir } from '../helpers/temp-dir.js';
import { eventually } from './stream-helpers.js';
import { makeDataDir, runSqlOrThrow, startServer, stopServer, type Harness } from './helpers.js';

const TOPIC = 'shared-work';
const GROUP = 'kafkajs-workers';
const PARTITIONS = 4;

function client(h: Harness, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [`127.0.0.1:${h.server.kafka!.port}`], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } });
}

async function produce(h: Harness, from: number, count: number): Promise<void> {
  const producer = client(h, 'producer').producer();
  await producer.connect();
  try {
    await producer.send({ topic: TOPIC, messages: Array.from({ length: count }, (_, i) => ({ key: `key-${from + i}`, value: `record-${from + i}` })) });
  } finally {
    await producer.disconnect();
  }
}

/** A member that records what it consumed and the partitions its latest join gave it. */
interface Member {
  readonly consumer: Consumer;
  readonly consumed: string[];
  assigned: number[];
  joins: number;
}

async function startMember(h: Harness, name: string, seen: string[], topic = TOPIC, groupId = GROUP): Promise<Member> {
  const consumer = client(h, name).consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 100, maxWaitTimeInMs: 100, rebalanceTimeout: 10_000 });
  const member: Member = { consumer, consumed: [], assigned: [], joins: 0 };
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    member.assigned = [...(event.payload.memberAssignment[topic] ?? [])].sort();
    member.joins += 1;
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = String(message.value);
      member.consumed.push(value);
      seen.push(value);
    },
  });
  return member;
}

/** Whether the group's committed offsets reached every partition's log end. */
function allCommitted(h: Harness): boolean {
  const { broker } = h.server;
  return broker.describeTopic(TOPIC).partitions.every((p) => (broker.committedOffset(GROUP, TOPIC, p.partition) ?? 0) === p.logEndOffset);
}

const records = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `record-${from + i}`);

test.serial('two kafkajs consumers in a group split the partitions, rebalance on join and leave, consume each record once, and resume from commits after a restart', async (t) => {
  const dataDir = makeDataDir();
  let h = await startServer(dataDir, { kafkaPort: 0 });
  const members: Member[] = [];
  try {
    const admin = client(h, 'admin').admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    await admin.disconnect();
    const seen: string[] = [];

    await produce(h, 0, 40);
    const first = await startMember(h, 'first', seen);
    members.push(first);
    t.true(await eventually(() => first.consumed.length === 40 && allCommitted(h), 15_000), 'the only member reads every partition and commits');
    t.deepEqual(first.assigned, [0, 1, 2, 3]);

    const second = await startMember(h, 'second', seen);
    members.push(second);
    t.true(await eventually(() => first.joins === 2 && second.joins === 1 && first.assigned.length + second.assigned.length === PARTITIONS, 15_000), 'a join rebalances the group');
    t.deepEqual([...first.assigned, ...second.assigned].sort(), [0, 1, 2, 3], 'each partition has one member');
    t.is(first.assigned.length, 2);
    const groupAdmin = client(h, 'group-admin').admin();
    await groupAdmin.connect();
    const { groups: [described] } = await groupAdmin.describeGroups([GROUP]);
    t.like(described, { groupId: GROUP, state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    t.deepEqual(described!.members.map((m) => m.clientId).sort(), ['first', 'second'], 'DescribeGroups names both members');
    t.true((await groupAdmin.listGroups()).groups.some((g) => g.groupId === GROUP && g.protocolType === 'consumer'), 'ListGroups names the group');
    await groupAdmin.disconnect();

    await produce(h, 40, 40);
    t.true(await eventually(() => seen.length === 80 && allCommitted(h), 15_000), `80 records consumed and committed, ${seen.length} seen`);
    t.true(second.consumed.length > 0 && second.consumed.length < 40, 'the second member took its share');

    await second.consumer.disconnect();
    members.pop();
    t.true(await eventually(() => first.joins === 3 && first.assigned.length === PARTITIONS, 15_000), 'a leave rebalances the group back to one member');
    await produce(h, 80, 40);
    t.true(await eventually(() => seen.length === 120 && allCommitted(h), 15_000), `120 records consumed and committed, ${seen.length} seen`);
    t.deepEqual([...seen].sort(), records(0, 120).sort(), 'every record consumed exactly once across the members');

    await first.consumer.disconnect();
    members.pop();
    await stopServer(h, false);
    h = await startServer(dataDir, { kafkaPort: 0 });
    await produce(h, 120, 20);
    const resumed: string[] = [];
    const third = await startMember(h, 'after-restart', resumed);
    members.push(third);
    t.true(await eventually(() => resumed.length >= 20 && allCommitted(h), 15_000), `the new records consumed and committed, ${resumed.length} seen`);
    t.deepEqual([...resumed].sort(), records(120, 20).sort(), 'the group resumed from its committed offsets: nothing committed was read again');
  } finally {
    for (const member of members) await member.consumer.disconnect();
    await stopServer(h, false);
    removeDir(dataDir);
  }
});

test.serial('SHOW TOPICS EXTENDED counts the partitions held and the groups holding them: a persistent query\'s and a kafkajs group\'s', async (t) => {
  const h = await startServer(undefined, { kafkaPort: 0 });
  let member: Member | undefined;
  try {
    await runSqlOrThrow(h, "CREATE STREAM WATCHED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='watched', PARTITIONS=3, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
    await runSqlOrThrow(h, "CREATE STREAM COPIED WITH (KAFKA_TOPIC='copied') AS SELECT * FROM WATCHED;");
    const counts = async (): Promise<Record<string, [number, number]>> => {
      const [entity] = (await runSqlOrThrow(h, 'SHOW TOPICS EXTENDED;')).body;
      t.is(entity['@type'], 'kafka_topics_extended');
      return Object.fromEntries(entity.topics.map((topic: any) => [topic.name, [topic.consumerCount, topic.consumerGroupCount]]));
    };
    t.like(await counts(), { watched: [3, 1], copied: [0, 0] }, 'the query\'s tasks hold the three partitions');
    member = await startMember(h, 'watcher', [], 'watched', 'watchers');
    const joined = member;
    t.true(await eventually(() => joined.assigned.length === 3, 15_000));
    t.true(await eventually(async () => (await counts()).watched?.[1] === 2, 5000));
    t.like(await counts(), { watched: [6, 2], copied: [0, 0] }, 'the kafkajs member holds the three partitions too');
    await member.consumer.disconnect();
    member = undefined;
    t.like(await counts(), { watched: [3, 1] }, 'a member that left holds nothing');
    const [plain] = (await runSqlOrThrow(h, 'SHOW TOPICS;')).body;
    t.is(plain['@type'], 'kafka_topics');
  } finally {
    await member?.consumer.disconnect();
    await stopServer(h);
  }
});

test.serial('kafkajs DeleteGroups refuses a running persistent query\'s group (NON_EMPTY_GROUP) and keeps its offsets; an idle group goes', async (t) => {
  const h = await startServer(undefined, { kafkaPort: 0 });
  const admin = client(h, 'deleting-admin').admin();
  try {
    await runSqlOrThrow(h, "CREATE STREAM SOURCED (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='sourced', PARTITIONS=1, KEY_FORMAT='KAFKA', VALUE_FORMAT='KAFKA');");
    await runSqlOrThrow(h, "CREATE STREAM SUNK WITH (KAFKA_TOPIC='sunk') AS SELECT * FROM SOURCED;");
    await runSqlOrThrow(h, "INSERT INTO SOURCED (K, V) VALUES ('a', 'one');");
    const { engine, broker } = h.server;
    const [query] = engine.listQueries();
    const group = engine.queryGroup(query!.id);
    t.true(await eventually(() => broker.committedOffset(group, 'sourced', 0) === 1, 10_000), 'the query committed its offset');
    broker.commitOffsets('idle-group', [{ topic: 'sourced', partition: 0, offset: 1 }]);
    await admin.connect();
    const refused = await t.throwsAsync(admin.deleteGroups([group, 'idle-group']));
    t.deepEqual((refused as unknown as { groups: { groupId: string; errorCode: number }[] }).groups.map((g) => [g.groupId, g.errorCode]), [[group, 68]]);
    t.is(broker.committedOffset(group, 'sourced', 0), 1, 'the query keeps its offsets');
    t.false(broker.listGroups().includes('idle-group'), 'the idle group went');
  } finally {
    await admin.disconnect();
    await stopServer(h);
  }
});
