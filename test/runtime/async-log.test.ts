import test from 'ava';
import type { ConsumedRecord, FetchResult, ReadLimits, TransactionRequest } from '../../src/broker/broker.js';
import { brokerTaskLog, openEmbeddedBroker, type EmbeddedBroker, type TaskLog } from '../../src/broker/index.js';
import { Scheduler, type SchedulableTask } from '../../src/runtime/scheduler.js';
import { StreamTask } from '../../src/runtime/task.js';
import { TransientQuery, type TransientEnd } from '../../src/runtime/transient-query.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { fillManyAndFew } from './many-and-few.js';

/**
 * A log whose batch-boundary calls answer on a later turn of the event loop,
 * as a remote (Kafka) log does, over the embedded one. It counts the calls
 * in flight at once, and can refuse the next commit.
 */
class DeferredLog implements TaskLog {
  readonly restoresState = false;
  inFlight = 0;
  mostInFlight = 0;
  fetches = 0;
  commits = 0;
  /** The commit (counting from 1) to refuse. */
  refuseCommit: number | undefined;
  private readonly inner: TaskLog;

  constructor(broker: EmbeddedBroker) {
    this.inner = brokerTaskLog(broker);
  }

  private later<T>(work: () => T): Promise<T> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    return new Promise<T>((resolve, reject) => {
      setImmediate(() => {
        this.inFlight--;
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  committedOffset(group: string, topic: string, partition: number): Promise<number | null> {
    return this.later(() => this.inner.committedOffset(group, topic, partition) as number | null);
  }

  latestOffset(topic: string, partition: number): number {
    return this.inner.latestOffset(topic, partition);
  }

  fetch(topic: string, partition: number, fromOffset: number, limits?: ReadLimits): Promise<FetchResult> {
    this.fetches++;
    return this.later(() => this.inner.fetch(topic, partition, fromOffset, limits) as FetchResult);
  }

  createAppendBuffer(topic: string) {
    return this.inner.createAppendBuffer(topic);
  }

  commit(request: TransactionRequest): Promise<void> {
    const commit = ++this.commits;
    return this.later(() => {
      if (commit === this.refuseCommit) throw new Error('commit refused');
      this.inner.commit(request);
    });
  }

  deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void> {
    return this.later(() => this.inner.deleteRecords(topic, partition, beforeOffset) as void);
  }

  deleteGroup(group: string): Promise<void> {
    return this.later(() => this.inner.deleteGroup(group) as void);
  }
}

function withBroker(run: (broker: EmbeddedBroker) => Promise<void> | void): Promise<void> {
  return withTempDir(async (dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      broker.createTopic('in', { partitions: 1 });
      broker.createTopic('out', { partitions: 1 });
      broker.createTopic('log', { partitions: 1 });
      broker.append('in', Array.from({ length: 25 }, (_, i) => ({ key: null, value: Buffer.from(String(i)), timestamp: i })));
      await run(broker);
    } finally {
      broker.close();
    }
  });
}

interface CopyTask {
  readonly task: StreamTask;
  readonly seen: string[];
  readonly state: string[];
  readonly failures: unknown[];
}

/** A task copying each input value to `out`, with a state participant that records its commits and aborts. */
function copyTask(log: TaskLog, commitRecords = Infinity): CopyTask {
  const seen: string[] = [];
  const state: string[] = [];
  const failures: unknown[] = [];
  const task = new StreamTask({
    log, group: 'g', taskId: '0_0', topics: ['in'], partition: 0, startOffset: () => 0,
    processingLogTopic: 'log', logger: 'test', commitRecords, commitIntervalMs: Infinity, onFailure: (error) => failures.push(error),
    buildProcessor: (output) => ({
      process(record: ConsumedRecord) {
        seen.push(record.value!.toString());
        output.emit('out', { key: null, value: record.value, timestamp: record.timestamp });
      },
      state: { commit: () => state.push('commit'), abort: () => state.push('abort') },
    }),
  });
  return { task, seen, state, failures };
}

const values = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => String(from + i));

function outValues(broker: EmbeddedBroker): string[] {
  return broker.read('out', 0, 0, { maxRecords: 1000 }).map((r) => r.value!.toString());
}

test('a task over an asynchronous log waits in the scheduler at its fetches and commits, one at a time, and processes each record once', async (t) => {
  await withBroker(async (broker) => {
    const log = new DeferredLog(broker);
    const { task, seen, state } = copyTask(log, 10);
    const scheduler = new Scheduler({ batchSize: 10 });
    scheduler.add(task);
    t.is(scheduler.runOnce(), 0, 'the task first waits for the group\'s committed offset');
    t.is(scheduler.waiting, 1);
    t.is(scheduler.runOnce(), 0, 'a task in flight is skipped, not polled again');
    t.is(log.inFlight, 1);
    await scheduler.drain();
    t.is(scheduler.waiting, 0);
    t.deepEqual(seen, values(0, 25), 'every record processed once, in order');
    t.deepEqual(outValues(broker), values(0, 25));
    t.is(broker.committedOffset('g', 'in', 0), 25);
    t.is(log.mostInFlight, 1, 'never two calls of the task in flight at once');
    t.deepEqual(state, ['commit', 'commit', 'commit'], 'the state committed with every commit: at 10, 20 and when caught up');
    broker.append('in', [{ key: null, value: Buffer.from('late'), timestamp: 99 }]);
    await scheduler.drain();
    t.deepEqual(outValues(broker), [...values(0, 25), 'late']);
    t.is(task.processed, 26);
  });
});

test('a commit the asynchronous log rejects leaves the task exactly as a thrown one: work discarded, state aborted, query failed', async (t) => {
  await withBroker(async (broker) => {
    const log = new DeferredLog(broker);
    const { task, seen, state, failures } = copyTask(log, 10);
    const errors: unknown[] = [];
    const scheduler = new Scheduler({ batchSize: 10, onError: (_task, error) => errors.push(error) });
    scheduler.add(task);
    // The first commit pins the start, the second commits 10 records, the third (20 records) fails.
    log.refuseCommit = 3;
    await scheduler.drain();
    t.is(failures.length, 1, 'the task is told once');
    t.is((failures[0] as Error).message, 'commit refused');
    t.deepEqual(errors, failures);
    t.deepEqual(state, ['commit', 'abort'], 'the state staged for the refused commit is forgotten');
    t.is(broker.committedOffset('g', 'in', 0), 10);
    t.deepEqual(outValues(broker), values(0, 10), 'nothing of the refused commit is written');
    t.is(task.processed, 10, 'the discarded records do not count');
    t.deepEqual(seen, values(0, 20));
    t.is(scheduler.runOnce(), 0, 'a failed task is not polled again');
    task.close();
    // The query's retry: a new task from the committed offsets writes every output once.
    const retry = copyTask(log, 10);
    scheduler.add(retry.task);
    await scheduler.drain();
    t.deepEqual(outValues(broker), values(0, 25));
    t.is(broker.committedOffset('g', 'in', 0), 25);
  });
});

test('a rejected poll whose onError rethrows (the test driver) fails the next turn', async (t) => {
  const scheduler = new Scheduler({
    onError: (_task, error) => {
      throw error;
    },
  });
  const failures: unknown[] = [];
  const task: SchedulableTask = {
    topic: 't',
    partition: 0,
    poll: () => Promise.reject(new Error('fetch failed')),
    fail: (error) => failures.push(error),
  };
  scheduler.add(task);
  await t.throwsAsync(scheduler.drain(), { message: 'fetch failed' });
  t.is(failures.length, 1, 'the task was told first');
  await t.notThrowsAsync(scheduler.drain());
});

test('stop() waits for a commit in flight', async (t) => {
  let release: (() => void) | undefined;
  let polls = 0;
  let committed = false;
  const task: SchedulableTask = {
    topic: 't',
    partition: 0,
    poll() {
      polls++;
      if (polls > 1) return 0;
      return new Promise<number>((resolve) => {
        release = () => {
          committed = true;
          resolve(1);
        };
      });
    },
    fail: () => {},
  };
  const scheduler = new Scheduler({ idleMs: 1 });
  scheduler.add(task);
  scheduler.start();
  while (release === undefined) await new Promise((r) => setImmediate(r));
  let stopped = false;
  const stopping = scheduler.stop().then(() => (stopped = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  t.false(stopped, 'the stop waits while the commit is in flight');
  release();
  await stopping;
  t.true(committed);
  t.is(polls, 1, 'the task was not polled while in flight');
});

test('runUntilIdle refuses to return while a task waits on an asynchronous log', async (t) => {
  await withBroker(async (broker) => {
    const scheduler = new Scheduler();
    scheduler.add(copyTask(new DeferredLog(broker)).task);
    t.throws(() => scheduler.runUntilIdle(), { message: /asynchronous log/ });
    await scheduler.drain();
    t.deepEqual(outValues(broker), values(0, 25));
  });
});

test('on the embedded log a task never waits: polls answer at once and runUntilIdle drains everything', async (t) => {
  await withBroker((broker) => {
    const { task } = copyTask(brokerTaskLog(broker), 10);
    t.is(task.poll(10), 10, 'a poll that commits answers with a number, not a promise');
    const scheduler = new Scheduler({ batchSize: 10 });
    scheduler.add(task);
    scheduler.runUntilIdle();
    t.is(scheduler.waiting, 0);
    t.deepEqual(outValues(broker), values(0, 25));
    t.is(broker.committedOffset('g', 'in', 0), 25);
  });
});

test('a push query over an asynchronous log delivers every row once, in order', async (t) => {
  await withBroker(async (broker) => {
    const log = new DeferredLog(broker);
    const rows: string[] = [];
    const ends: TransientEnd[] = [];
    const query = new TransientQuery({
      id: 'transient_IN_1',
      statementText: 'SELECT * FROM IN EMIT CHANGES;',
      log,
      topic: 'in',
      partitions: 1,
      startOffset: () => 0,
      endOffsets: [25],
      batchSize: 10,
      processingLogTopic: 'log',
      buildProcessor: (_output, onRow) => ({
        process(record: ConsumedRecord) {
          onRow({ values: [record.value!.toString()], timestamp: record.timestamp, partition: 0, offset: record.offset, headers: [], window: null, nullValue: false });
        },
      }),
      onRow: (row) => rows.push(String(row.values[0])),
      onEnd: (end) => ends.push(end),
    });
    const scheduler = new Scheduler();
    query.start(scheduler);
    await scheduler.drain();
    t.deepEqual(rows, values(0, 25));
    t.deepEqual(ends, [{ kind: 'complete' }]);
    t.is(log.mostInFlight, 1);
  });
});

test('a scan whose start and end a remote log tells later reads exactly that range once they are known', async (t) => {
  await withBroker(async (broker) => {
    const rows: string[] = [];
    const ends: TransientEnd[] = [];
    const later = (offset: number): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(offset), 20));
    const query = new TransientQuery({
      id: 'query_1',
      statementText: 'SELECT * FROM IN;',
      log: new DeferredLog(broker),
      topic: 'in',
      partitions: 1,
      startOffset: () => later(5),
      endOffsets: [later(12)],
      batchSize: 4,
      processingLogTopic: 'log',
      buildProcessor: (_output, onRow) => ({
        process(record: ConsumedRecord) {
          onRow({ values: [record.value!.toString()], timestamp: record.timestamp, partition: 0, offset: record.offset, headers: [], window: null, nullValue: false });
        },
      }),
      onRow: (row) => rows.push(String(row.values[0])),
      onEnd: (end) => ends.push(end),
    });
    const scheduler = new Scheduler();
    query.start(scheduler);
    await scheduler.drain();
    t.deepEqual(rows, values(5, 12));
    t.deepEqual(ends, [{ kind: 'complete' }]);
  });
});

test('a reader whose start the log fails to tell ends its query as failed with that error', async (t) => {
  await withBroker(async (broker) => {
    const ends: TransientEnd[] = [];
    const query = new TransientQuery({
      id: 'transient_IN_2',
      statementText: 'SELECT * FROM IN EMIT CHANGES;',
      log: new DeferredLog(broker),
      topic: 'in',
      partitions: 1,
      startOffset: () => Promise.reject(new Error('the cluster is unreachable')),
      processingLogTopic: 'log',
      buildProcessor: () => ({ process: () => {} }),
      onRow: () => {},
      onEnd: (end) => ends.push(end),
    });
    const scheduler = new Scheduler();
    query.start(scheduler);
    await scheduler.drain();
    t.is(ends.length, 1);
    t.is(ends[0]!.kind, 'failed');
    t.regex(((ends[0] as { error: Error }).error).message, /unreachable/);
  });
});

test('a task reading two topics over an asynchronous log still takes records in timestamp order when a read waits mid-batch', async (t) => {
  await withTempDir(async (dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      fillManyAndFew(broker);
      const log = new DeferredLog(broker);
      const seen: number[] = [];
      const task = new StreamTask({
        log, group: 'g', taskId: '0_0', topics: ['many', 'few'], partition: 0, startOffset: () => 0,
        processingLogTopic: 'log', logger: 'test', commitRecords: Infinity, commitIntervalMs: Infinity, onFailure: () => {},
        buildProcessor: () => ({ process: (record: ConsumedRecord) => { seen.push(record.timestamp); } }),
      });
      const scheduler = new Scheduler({ batchSize: 300 });
      scheduler.add(task);
      await scheduler.drain();
      t.is(seen.length, 25_050);
      const outOfOrder = seen.findIndex((time, i) => i > 0 && time < seen[i - 1]!);
      t.is(outOfOrder, -1, `timestamp ${seen[outOfOrder]} came after ${seen[outOfOrder - 1]}`);
      t.true(log.fetches > 3, 'the buffers ran out and were read again');
      t.is(broker.committedOffset('g', 'many', 0), 25_000);
      t.is(broker.committedOffset('g', 'few', 0), 50);
    } finally {
      broker.close();
    }
  });
});

test('a task whose start offset answers later (ListOffsets on Kafka) starts there and pins it', async (t) => {
  await withBroker(async (broker) => {
    const log = new DeferredLog(broker);
    const seen: string[] = [];
    const task = new StreamTask({
      log, group: 'g', taskId: '0_0', topics: ['in'], partition: 0, startOffset: () => new Promise<number>((resolve) => setImmediate(() => resolve(20))),
      processingLogTopic: 'log', logger: 'test', commitIntervalMs: Infinity, onFailure: () => {},
      buildProcessor: () => ({ process: (record: ConsumedRecord) => { seen.push(record.value!.toString()); } }),
    });
    const scheduler = new Scheduler();
    scheduler.add(task);
    await scheduler.drain();
    t.deepEqual(seen, values(20, 25));
    t.is(broker.committedOffset('g', 'in', 0), 25);
  });
});

test('a task claims its transactional id <group>-<taskId> before it reads where its group stands, and names it in every commit', async (t) => {
  await withBroker(async (broker) => {
    const calls: string[] = [];
    const log = new DeferredLog(broker);
    const claiming: TaskLog = {
      restoresState: false,
      claim: (id) => {
        calls.push(`claim ${id}`);
      },
      committedOffset: (group, topic, partition) => {
        calls.push('committedOffset');
        return log.committedOffset(group, topic, partition);
      },
      latestOffset: (topic, partition) => log.latestOffset(topic, partition),
      fetch: (topic, partition, from, limits) => log.fetch(topic, partition, from, limits),
      createAppendBuffer: (topic) => log.createAppendBuffer(topic),
      commit: (request) => {
        calls.push(`commit ${request.transactionalId}`);
        return log.commit(request);
      },
      deleteRecords: (topic, partition, before) => log.deleteRecords(topic, partition, before),
      deleteGroup: (group) => log.deleteGroup(group),
    };
    const { task } = copyTask(claiming);
    const scheduler = new Scheduler();
    scheduler.add(task);
    await scheduler.drain();
    t.deepEqual(calls, ['claim g-0_0', 'committedOffset', 'commit g-0_0', 'commit g-0_0']);
    t.deepEqual(outValues(broker), values(0, 25));
  });
});
