/**
 * StreamTasks over the Kafka task log, against a Kafka-protocol cluster in
 * another process (ksqlite's listener, or the cluster `KSQLITE_TEST_KAFKA`
 * names): a stateless CSAS-like task and a counting aggregation with a
 * changelog topic write what they write over the embedded log; a commit that
 * fails mid-way keeps nothing and a new task resumes without loss or
 * duplicates; a second log taking a task over fences the first; an idle task
 * waits in long polls, not in a busy loop.
 */
import test from 'ava';
import type { CommitPositions, ConsumedRecord, ProducerRecord } from '../../../src/broker/broker.js';
import { brokerTaskLog, openEmbeddedBroker, type TaskLog } from '../../../src/broker/index.js';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import { ProducerFencedError } from '../../../src/broker/kafka/kafka-errors.js';
import { kafkaTaskLog, type KafkaTaskLog, type KafkaTaskLogOptions, type TaskLogCluster } from '../../../src/broker/kafka/kafka-task-log.js';
import type { TransactionalSession } from '../../../src/broker/kafka/transactional-session.js';
import { Scheduler } from '../../../src/runtime/scheduler.js';
import { StreamTask, type TaskOutput } from '../../../src/runtime/task.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { EXTERNAL_KAFKA, startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

const PARTITIONS = 2;
const INPUT = 120;
/** Short waits keep the tests quick; the defaults are the server's. */
const LOG_OPTIONS: KafkaTaskLogOptions = { fetchMaxWaitMs: 100, endFreshMs: 50 };

let target: KafkaTarget;
let client: KafkaClusterClient;

test.before(async () => {
  target = await startKafkaTarget();
  client = await connect();
});

test.after.always(async () => {
  await client?.close();
  await target?.stop();
});

function connect(): Promise<KafkaClusterClient> {
  return KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, retries: '2', 'retry.backoff.ms': '50' });
}

/** Topic names of one test: input, outputs, the aggregation's changelog, the processing log. */
interface Topics {
  readonly input: string;
  readonly out: string;
  readonly counts: string;
  readonly changelog: string;
  readonly log: string;
  readonly group: string;
}

async function createTopics(): Promise<Topics> {
  const topics = { input: uniqueName('in'), out: uniqueName('out'), counts: uniqueName('counts'), changelog: uniqueName('changelog'), log: uniqueName('log'), group: uniqueName('query') };
  await client.admin.createTopic(topics.input, { partitions: PARTITIONS });
  await client.admin.createTopic(topics.out, { partitions: PARTITIONS });
  await client.admin.createTopic(topics.counts, { partitions: PARTITIONS });
  await client.admin.createTopic(topics.changelog, { partitions: PARTITIONS, config: { 'cleanup.policy': 'compact' } });
  await client.admin.createTopic(topics.log, { partitions: 1 });
  return topics;
}

function inputRecord(i: number): ProducerRecord {
  return { key: Buffer.from(`k${i % 7}`), value: Buffer.from(String(i)), timestamp: 1_000 + i, partition: i % PARTITIONS };
}

/** Writes input records through a transaction of their own, as a producer would. */
async function produce(topic: string, records: readonly ProducerRecord[]): Promise<void> {
  const session = await client.openSession(uniqueName('producer'));
  try {
    await session.begin();
    await session.send(topic, records);
    await session.commit();
  } finally {
    await session.close();
  }
}

/** Every committed record of `topic`, as `partition|key|value`, partition by partition. */
async function readAll(topic: string): Promise<string[]> {
  const lines: string[] = [];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const [end] = (await client.admin.endOffsets(topic, 'read_committed')).filter((o) => o.partition === partition).map((o) => o.offset);
    let offset = 0;
    while (offset < end!) {
      const fetched = await client.fetch(topic, partition, offset);
      for (const r of fetched.records) lines.push(`${partition}|${String(r.key)}|${String(r.value)}`);
      offset = fetched.nextOffset;
    }
  }
  return lines;
}

/** A CSAS-like task: keeps every value not divisible by 5, rewritten, under the same key. */
function csasProcessor(topics: Topics) {
  return (output: TaskOutput) => ({
    process(record: ConsumedRecord) {
      const n = Number(String(record.value));
      if (n % 5 !== 0) output.emit(topics.out, { key: record.key, value: Buffer.from(`V${n}`), timestamp: record.timestamp, partition: record.partition });
    },
  });
}

/** A count per key, with its changes written to a changelog topic; commits record the changelog's end offsets. */
class CountState {
  readonly committed = new Map<string, number>();
  staged = new Map<string, number>();
  readonly checkpoints: (number | undefined)[] = [];

  constructor(private readonly changelog: string, private readonly partition: number) {}

  commit(positions: CommitPositions): void {
    for (const [key, count] of this.staged) this.committed.set(key, count);
    this.staged = new Map();
    this.checkpoints.push(positions.endOffset(this.changelog, this.partition));
  }

  abort(): void {
    this.staged = new Map();
  }
}

function countProcessor(topics: Topics, state: CountState) {
  return (output: TaskOutput) => ({
    state,
    process(record: ConsumedRecord) {
      const key = String(record.key);
      const count = (state.staged.get(key) ?? state.committed.get(key) ?? 0) + 1;
      state.staged.set(key, count);
      const value = Buffer.from(String(count));
      output.emit(topics.changelog, { key: record.key, value, timestamp: record.timestamp, partition: record.partition });
      output.emit(topics.counts, { key: record.key, value, timestamp: record.timestamp, partition: record.partition });
    },
  });
}

interface TaskSpec {
  readonly taskId: string;
  readonly partition: number;
  readonly buildProcessor: (output: TaskOutput) => ReturnType<ReturnType<typeof csasProcessor>>;
}

function task(log: TaskLog, topics: Topics, spec: TaskSpec, failures: unknown[] = [], commitRecords = 25, atLeastOnce = false): StreamTask {
  return new StreamTask({
    log, group: topics.group, taskId: spec.taskId, topics: [topics.input], partition: spec.partition, startOffset: () => 0,
    processingLogTopic: topics.log, logger: 'test', commitRecords, commitIntervalMs: Infinity, atLeastOnce,
    onFailure: (error) => failures.push(error), buildProcessor: spec.buildProcessor,
  });
}

/** The stateless task and the aggregation's task of each partition. */
function specs(topics: Topics, states: CountState[]): TaskSpec[] {
  return Array.from({ length: PARTITIONS }, (_, partition) => [
    { taskId: `0_${partition}`, partition, buildProcessor: csasProcessor(topics) },
    { taskId: `1_${partition}`, partition, buildProcessor: countProcessor(topics, states[partition]!) },
  ]).flat();
}

/** Runs both topologies over the embedded log on the same input; returns their outputs as `readAll` does. */
async function embeddedRun(topics: Topics, input: readonly ProducerRecord[]): Promise<{ out: string[]; counts: string[]; changelog: string[] }> {
  return withTempDir(async (dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      for (const topic of [topics.input, topics.out, topics.counts, topics.changelog]) broker.createTopic(topic, { partitions: PARTITIONS });
      broker.createTopic(topics.log, { partitions: 1 });
      broker.append(topics.input, input);
      const scheduler = new Scheduler({ batchSize: 10 });
      const states = Array.from({ length: PARTITIONS }, (_, p) => new CountState(topics.changelog, p));
      for (const spec of specs(topics, states)) scheduler.add(task(brokerTaskLog(broker), topics, spec));
      scheduler.runUntilIdle();
      const dump = (topic: string): string[] =>
        Array.from({ length: PARTITIONS }, (_, p) => broker.read(topic, p, 0, { maxRecords: 10_000 }).map((r) => `${p}|${String(r.key)}|${String(r.value)}`)).flat();
      return { out: dump(topics.out), counts: dump(topics.counts), changelog: dump(topics.changelog) };
    } finally {
      broker.close();
    }
  });
}

/**
 * Runs the scheduler's loop, as a server does, until `done` says so. On Kafka a task never knows it has read all
 * without asking the cluster (its reads long-poll), so `drain` would not end: the test waits for the outcome it expects.
 */
async function runUntil(scheduler: Scheduler, done: () => Promise<boolean>): Promise<void> {
  scheduler.start();
  try {
    for (let waited = 0; !(await done()); waited += 50) {
      if (waited > 60_000) throw new Error('the tasks did not finish within a minute');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await scheduler.stop();
  }
}

/** Whether the group committed the end of `topic` (the given partitions, or all). */
async function caughtUp(group: string, topic: string, partitions?: readonly number[]): Promise<boolean> {
  const ends = (await client.admin.endOffsets(topic, 'read_committed')).map((o) => o.offset);
  const offsets = await committed(group, topic);
  return offsets.every((offset, p) => offset === ends[p] || (partitions !== undefined && !partitions.includes(p)));
}

async function committed(group: string, topic: string): Promise<number[]> {
  const offsets = await client.admin.committedOffsets(group);
  return Array.from({ length: PARTITIONS }, (_, p) => offsets.find((o) => o.topic === topic && o.partition === p)?.offset ?? -1);
}

/** The client as the task log sees it, with `overrides` in place of its own calls. */
function clusterView(real: KafkaClusterClient, overrides: Partial<TaskLogCluster> = {}): TaskLogCluster {
  return {
    admin: real.admin,
    fetch: (...args) => real.fetch(...args),
    listOffset: (...args) => real.listOffset(...args),
    partitionCount: (topic) => real.partitionCount(topic),
    openSession: (...args) => real.openSession(...args),
    produce: (...args) => real.produce(...args),
    commitGroupOffsets: (...args) => real.commitGroupOffsets(...args),
    ...overrides,
  };
}

/** A view of the client whose sessions fail as `failing` says, to break a commit mid-way. */
function failingCluster(real: KafkaClusterClient, failing: (session: TransactionalSession) => Partial<TransactionalSession>): TaskLogCluster {
  return {
    ...clusterView(real),
    openSession: async (...args) => {
      const session = await real.openSession(...args);
      const overrides = failing(session);
      return new Proxy(session, {
        get: (target, property) => {
          if (property in overrides) return overrides[property as keyof TransactionalSession];
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
}

test.serial('a CSAS-like and an aggregation task over the Kafka task log write what they write over the embedded log, exactly once', async (t) => {
  const topics = await createTopics();
  const input = Array.from({ length: INPUT }, (_, i) => inputRecord(i));
  await produce(topics.input, input);
  const log = kafkaTaskLog(client, LOG_OPTIONS);
  try {
    t.true(log.restoresState);
    const states = Array.from({ length: PARTITIONS }, (_, p) => new CountState(topics.changelog, p));
    const scheduler = new Scheduler({ batchSize: 10 });
    for (const spec of specs(topics, states)) scheduler.add(task(log, topics, spec));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input));

    const expected = await embeddedRun(topics, input);
    t.true(expected.out.length > 0 && expected.counts.length === INPUT);
    t.deepEqual(await readAll(topics.out), expected.out);
    t.deepEqual(await readAll(topics.counts), expected.counts);
    t.deepEqual(await readAll(topics.changelog), expected.changelog);
    const inputEnds = (await client.admin.endOffsets(topics.input, 'read_committed')).map((o) => o.offset);
    t.deepEqual(await committed(topics.group, topics.input), inputEnds, 'the group committed the end of every input partition');
    for (const [partition, state] of states.entries()) {
      const records = (await client.fetch(topics.changelog, partition, 0)).records;
      t.is(state.checkpoints.at(-1), records.at(-1)!.offset + 1, 'the last checkpoint is the offset after the changelog\'s last record');
    }
  } finally {
    await log.close();
  }
});

test.serial('a commit that fails after its records were sent keeps nothing, and a new task resumes without loss or duplicates', async (t) => {
  const topics = await createTopics();
  const input = Array.from({ length: INPUT }, (_, i) => inputRecord(i));
  await produce(topics.input, input);
  let sendOffsetsCalls = 0;
  const broken = kafkaTaskLog(failingCluster(client, (session) => ({
    sendOffsets: (group, offsets) => {
      // The third commit of the task (after the start pin and one batch) fails once its outputs are in the transaction.
      if (++sendOffsetsCalls === 3) return Promise.reject(new Error('the offsets went nowhere'));
      return session.sendOffsets(group, offsets);
    },
  })), LOG_OPTIONS);
  const failures: unknown[] = [];
  const state = new CountState(topics.changelog, 0);
  const spec = { taskId: '1_0', partition: 0, buildProcessor: countProcessor(topics, state) };
  const scheduler = new Scheduler({ batchSize: 5 });
  try {
    scheduler.add(task(broken, topics, spec, failures));
    await runUntil(scheduler, async () => failures.length > 0);
    t.is(failures.length, 1);
    t.regex(String(failures[0]), /the offsets went nowhere/);
    const firstBatch = await readAll(topics.counts);
    t.is(firstBatch.length, 25, 'only the first committed batch is visible');
    t.is((await committed(topics.group, topics.input))[0], 25, 'the group stands where the last good commit left it');
  } finally {
    await broken.close();
  }
  const log = kafkaTaskLog(client, LOG_OPTIONS);
  try {
    // The query's retry: a new task from the committed offsets, its state what was committed.
    scheduler.add(task(log, topics, { ...spec, buildProcessor: countProcessor(topics, state) }, failures));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input, [0]));
    t.is(failures.length, 1);
    const expected = await embeddedRun(topics, input);
    t.deepEqual(await readAll(topics.counts), expected.counts.filter((line) => line.startsWith('0|')));
  } finally {
    await log.close();
  }
});

test.serial('at_least_once: the tasks write what they write over the embedded log, without transactions, and commit the input ends', async (t) => {
  const topics = await createTopics();
  const input = Array.from({ length: INPUT }, (_, i) => inputRecord(i));
  await produce(topics.input, input);
  const log = kafkaTaskLog(client, LOG_OPTIONS);
  try {
    const states = Array.from({ length: PARTITIONS }, (_, p) => new CountState(topics.changelog, p));
    const scheduler = new Scheduler({ batchSize: 10 });
    for (const spec of specs(topics, states)) scheduler.add(task(log, topics, spec, [], 25, true));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input));
    const expected = await embeddedRun(topics, input);
    t.deepEqual(await readAll(topics.out), expected.out);
    t.deepEqual(await readAll(topics.counts), expected.counts);
    t.deepEqual(await readAll(topics.changelog), expected.changelog);
    for (const [partition, state] of states.entries()) {
      const records = (await client.fetch(topics.changelog, partition, 0)).records;
      t.is(state.checkpoints.at(-1), records.at(-1)!.offset + 1, 'the last checkpoint is the offset after the changelog\'s last record');
    }
  } finally {
    await log.close();
  }
});

test.serial('at_least_once: outputs are durable before the offsets are committed; a failure between leaves the offsets behind, and the input is processed again, never lost', async (t) => {
  const topics = await createTopics();
  const input = Array.from({ length: INPUT }, (_, i) => inputRecord(i));
  await produce(topics.input, input);
  const visibleAtOffsetCommit: number[] = [];
  const broken = kafkaTaskLog(clusterView(client, {
    commitGroupOffsets: async (group, offsets) => {
      // What a read_committed reader sees of the outputs when the offsets go out.
      visibleAtOffsetCommit.push((await readAll(topics.counts)).length);
      // The second batch's offsets never reach the group (the server died between).
      if (visibleAtOffsetCommit.length === 2) throw new Error('the offsets went nowhere');
      return client.commitGroupOffsets(group, offsets);
    },
  }), LOG_OPTIONS);
  const failures: unknown[] = [];
  const state = new CountState(topics.changelog, 0);
  const spec = { taskId: '1_0', partition: 0, buildProcessor: countProcessor(topics, state) };
  const scheduler = new Scheduler({ batchSize: 5 });
  try {
    scheduler.add(task(broken, topics, spec, failures, 25, true));
    await runUntil(scheduler, async () => failures.length > 0);
    t.regex(String(failures[0]), /the offsets went nowhere/);
    t.deepEqual(visibleAtOffsetCommit, [25, 50], 'each batch\'s outputs were readable before its offsets were committed');
    t.is((await committed(topics.group, topics.input))[0], 25, 'the group stands where the last offset commit left it');
  } finally {
    await broken.close();
  }
  const log = kafkaTaskLog(client, LOG_OPTIONS);
  try {
    scheduler.add(task(log, topics, { ...spec, buildProcessor: countProcessor(topics, state) }, failures, 25, true));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input, [0]));
    t.is(failures.length, 1);
    const expected = (await embeddedRun(topics, input)).counts.filter((line) => line.startsWith('0|'));
    const got = await readAll(topics.counts);
    // The second batch was written twice (the same counts: its state changes were not committed either); nothing is missing.
    t.deepEqual(got, [...expected.slice(0, 50), ...expected.slice(25)]);
  } finally {
    await log.close();
  }
});

/** The aggregation's task of partition 0 over `state`. */
const countTask = (topics: Topics, state: CountState): TaskSpec => ({ taskId: '1_0', partition: 0, buildProcessor: countProcessor(topics, state) });

/** Input records for partition 0 only. */
const partitionZero = (from: number, to: number): ProducerRecord[] => Array.from({ length: to - from }, (_, i) => ({ ...inputRecord(from + i), partition: 0 }));

test.serial('a second task log taking a task over fences the first: its next commit fails as fenced and nothing of it is visible', async (t) => {
  const topics = await createTopics();
  await produce(topics.input, partitionZero(0, 40));
  const otherServer = await connect();
  const first = kafkaTaskLog(client, LOG_OPTIONS);
  const second = kafkaTaskLog(otherServer, LOG_OPTIONS);
  try {
    const firstFailures: unknown[] = [];
    const firstState = new CountState(topics.changelog, 0);
    const firstScheduler = new Scheduler({ batchSize: 10 });
    firstScheduler.add(task(first, topics, countTask(topics, firstState), firstFailures));
    await runUntil(firstScheduler, () => caughtUp(topics.group, topics.input, [0]));

    // The task moves to the other server (its state restored there): claiming the task fences the first owner.
    const secondState = new CountState(topics.changelog, 0);
    for (const [key, count] of firstState.committed) secondState.committed.set(key, count);
    const secondFailures: unknown[] = [];
    const moved = task(second, topics, countTask(topics, secondState), secondFailures);
    await moved.poll(0);

    await produce(topics.input, partitionZero(40, 70));
    await runUntil(firstScheduler, async () => firstFailures.length > 0);
    t.true(firstFailures[0] instanceof ProducerFencedError, String(firstFailures[0]));
    t.is((await readAll(topics.counts)).length, 40, 'nothing the fenced task processed after the move is visible');

    const secondScheduler = new Scheduler({ batchSize: 10 });
    secondScheduler.add(moved);
    await runUntil(secondScheduler, () => caughtUp(topics.group, topics.input, [0]));
    t.deepEqual(secondFailures, []);
    const expected = await embeddedRun(topics, partitionZero(0, 70));
    t.deepEqual(await readAll(topics.counts), expected.counts);
    t.deepEqual(await readAll(topics.changelog), expected.changelog);
  } finally {
    await Promise.all([first.close(), second.close()]);
    await otherServer.close();
  }
});

test.serial('a task without a committed offset starts at the partition\'s read_committed end when told latest, asked of the cluster', async (t) => {
  const topics = await createTopics();
  await produce(topics.input, partitionZero(0, 10));
  const log = kafkaTaskLog(client, LOG_OPTIONS);
  try {
    const state = new CountState(topics.changelog, 0);
    const scheduler = new Scheduler();
    scheduler.add(new StreamTask({
      log, group: topics.group, taskId: '1_0', topics: [topics.input], partition: 0, startOffset: (topic) => log.startOffset(topic, 0, 'latest'),
      processingLogTopic: topics.log, logger: 'test', onFailure: () => {}, buildProcessor: countProcessor(topics, state),
    }));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input, [0]));
    await produce(topics.input, partitionZero(10, 15));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input, [0]));
    t.deepEqual((await readAll(topics.counts)).map((line) => line.split('|')[1]), partitionZero(10, 15).map((r) => String(r.key)));
    t.is(await log.startOffset(topics.input, 0, 'earliest'), 0);
  } finally {
    await log.close();
  }
});

test.serial('an idle task waits in long polls: a few fetches a second, not a busy loop, and a new record is processed at once', async (t) => {
  const topics = await createTopics();
  await produce(topics.input, partitionZero(0, 5));
  let fetches = 0;
  const counting = clusterView(client, {
    fetch: (...args) => {
      fetches++;
      return client.fetch(...args);
    },
  });
  const log = kafkaTaskLog(counting, { fetchMaxWaitMs: 250, endFreshMs: 50 });
  const scheduler = new Scheduler();
  try {
    scheduler.add(task(log, topics, countTask(topics, new CountState(topics.changelog, 0))));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input, [0]));
    scheduler.start();
    const before = fetches;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idleFetches = fetches - before;
    // A long poll of 250 ms and an end fresh for 50 ms: about 3 a second (a busy loop makes thousands).
    t.true(idleFetches >= 1 && idleFetches <= 10, `${idleFetches} fetches in a second`);
    await produce(topics.input, partitionZero(5, 6));
  } finally {
    await scheduler.stop();
  }
  try {
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input, [0]));
    t.is((await readAll(topics.counts)).length, 6);
  } finally {
    await log.close();
  }
});

const localTest = EXTERNAL_KAFKA === undefined ? test.serial : test.serial.skip;

localTest('a commit whose cluster dies before it ends keeps nothing, and after the restart a new task resumes without loss or duplicates', async (t) => {
  const topics = await createTopics();
  await produce(topics.input, partitionZero(0, 60));
  const victim = await connect();
  let commits = 0;
  const dying = kafkaTaskLog(failingCluster(victim, (session) => ({
    commit: async () => {
      // The second commit (after the start pin): its records and offsets are in the transaction when the cluster dies.
      if (++commits === 2) await target.kill();
      return session.commit();
    },
  })), LOG_OPTIONS);
  const state = new CountState(topics.changelog, 0);
  const failures: unknown[] = [];
  const scheduler = new Scheduler({ batchSize: 10 });
  try {
    scheduler.add(task(dying, topics, countTask(topics, state), failures));
    await runUntil(scheduler, async () => failures.length > 0);
    t.deepEqual(state.checkpoints, [], 'no commit reached the local checkpoint');
  } finally {
    await dying.close();
    await victim.close();
  }
  await target.restart();
  await client.close();
  client = await connect();
  t.deepEqual(await readAll(topics.counts), [], 'the open transaction was aborted');
  const log = kafkaTaskLog(client, LOG_OPTIONS);
  try {
    scheduler.add(task(log, topics, countTask(topics, state), failures));
    await runUntil(scheduler, () => caughtUp(topics.group, topics.input, [0]));
    t.is(failures.length, 1);
    const expected = await embeddedRun(topics, partitionZero(0, 60));
    t.deepEqual(await readAll(topics.counts), expected.counts);
    t.deepEqual(await readAll(topics.changelog), expected.changelog);
  } finally {
    await log.close();
  }
});

test.serial('deleting a group removes its committed offsets from the cluster; a group already gone deletes without error', async (t) => {
  const topics = await createTopics();
  await produce(topics.input, partitionZero(0, 3));
  const log = kafkaTaskLog(client, LOG_OPTIONS);
  try {
    await log.claim!(`${topics.group}-0_0`);
    await log.commit({ transactionalId: `${topics.group}-0_0`, offsets: { group: topics.group, offsets: [{ topic: topics.input, partition: 0, offset: 3 }] } });
    t.is(await log.committedOffset(topics.group, topics.input, 0), 3);
    await log.deleteGroup(topics.group);
    t.is(await log.committedOffset(topics.group, topics.input, 0), null);
    await t.notThrowsAsync(Promise.resolve(log.deleteGroup(topics.group)));
  } finally {
    await log.close();
  }
});
