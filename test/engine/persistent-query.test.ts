import test from 'ava';
import { BrokerError } from '../../src/broker/index.js';
import type { Command } from '../../src/engine/commands.js';
import { PersistentQuery, TasksNotReady } from '../../src/engine/persistent-query.js';
import type { QueryGroupHandlers, QueryGroups } from '../../src/engine/query-groups.js';
import type { StandbyTask } from '../../src/runtime/standby-task.js';
import type { StreamTask } from '../../src/runtime/task.js';
import { QueryStatistics } from '../../src/runtime/query-statistics.js';

/**
 * A query whose runs are counted and whose current run fails through `failRun`; while `notReady` holds a promise,
 * building its tasks throws TasksNotReady with it.
 */
function countedQuery(notReady?: { ready: Promise<unknown> | undefined }): { query: PersistentQuery; runs: () => number; failRun: (error: unknown) => void } {
  let runs = 0;
  let onFailure: (error: unknown) => void = () => {};
  const query = new PersistentQuery({
    id: 'CTAS_T_0',
    statementText: 'CREATE TABLE T AS SELECT ...',
    sinkName: 'T',
    sinkTopic: 'T',
    sourceNames: ['S'],
    internalTopics: new Set(),
    command: { kind: 'CreateQuery' } as Extract<Command, { kind: 'CreateQuery' }>,
    statistics: new QueryStatistics(),
    scheduler: { add: () => {}, remove: () => {} },
    createTasks: (fail) => {
      const ready = notReady?.ready;
      if (ready !== undefined) throw new TasksNotReady('the topics are being created', ready);
      runs++;
      onFailure = fail;
      return [];
    },
    retryBackoffInitialMs: 20,
    retryBackoffMaxMs: 20,
    maxErrors: 10,
  });
  return { query, runs: () => runs, failRun: (error) => onFailure(error) };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a task fenced by a newer owner of its transactional id stops the query in ERROR, without a retry on this server', async (t) => {
  const { query, runs, failRun } = countedQuery();
  query.start();
  failRun(new BrokerError('PRODUCER_FENCED', "The producer of transactional id 'g-0_0' was fenced by a newer epoch"));
  t.is(query.state, 'ERROR');
  t.regex(query.errors[0]!.errorMessage, /fenced/);
  await settle(100);
  t.is(runs(), 1);
  t.is(query.state, 'ERROR');
  query.stop();
});

test('a fencing under a wrapping error is recognised; any other failure is retried after its backoff', async (t) => {
  const fenced = countedQuery();
  fenced.query.start();
  fenced.failRun(new Error('commit failed', { cause: new BrokerError('PRODUCER_FENCED', 'fenced') }));
  const other = countedQuery();
  other.query.start();
  other.failRun(new BrokerError('KAFKA_CLUSTER', 'the cluster is unreachable'));
  await settle(100);
  t.is(fenced.runs(), 1);
  t.is(other.runs(), 2);
  t.is(other.query.state, 'RUNNING');
  fenced.query.stop();
  other.query.stop();
});

test('tasks that cannot be built yet are built once their wait settles, the query RUNNING and without error meanwhile', async (t) => {
  let created: () => void = () => {};
  const notReady: { ready: Promise<unknown> | undefined } = { ready: new Promise<void>((resolve) => (created = resolve)) };
  const { query, runs } = countedQuery(notReady);
  query.start();
  t.is(query.state, 'RUNNING');
  t.is(runs(), 0);
  t.deepEqual(query.errors, []);
  notReady.ready = undefined;
  created();
  await settle(10);
  t.is(runs(), 1);
  t.is(query.state, 'RUNNING');
  t.deepEqual(query.errors, []);
  query.stop();
});

test('a wait for tasks that fails puts the query in ERROR with its reason; a query stopped while waiting builds nothing', async (t) => {
  const failing = countedQuery({ ready: Promise.reject(new Error('could not create the changelog topic')) });
  failing.query.start();
  await settle(10);
  t.is(failing.query.state, 'ERROR');
  t.regex(failing.query.errors[0]!.errorMessage, /could not create the changelog topic/);
  failing.query.stop();

  let created: () => void = () => {};
  const notReady: { ready: Promise<unknown> | undefined } = { ready: new Promise<void>((resolve) => (created = resolve)) };
  const stopped = countedQuery(notReady);
  stopped.query.start();
  stopped.query.stop();
  notReady.ready = undefined;
  created();
  await settle(10);
  t.is(stopped.runs(), 0);
});

test('in a query group the query builds only its assigned tasks, commits and closes revoked ones, is RUNNING with none, and leaves when stopped', async (t) => {
  const events: string[] = [];
  let handlers: QueryGroupHandlers | undefined;
  let joinedWith: readonly string[] = [];
  const groups: QueryGroups = {
    join: (_group, tasks, h) => {
      joinedWith = tasks;
      handlers = h;
      return Promise.resolve({ leave: () => {
        events.push('leave');
        return Promise.resolve();
      } });
    },
  };
  const scheduled = new Set<string>();
  const fakeTask = (taskId: string): StreamTask => ({
    taskId,
    commitAndClose: () => {
      events.push(`commit+close ${taskId}`);
      return Promise.resolve();
    },
    close: () => events.push(`close ${taskId}`),
  }) as unknown as StreamTask;
  const query = new PersistentQuery({
    id: 'CTAS_T_0',
    statementText: 'CREATE TABLE T AS SELECT ...',
    sinkName: 'T',
    sinkTopic: 'T',
    sourceNames: ['S'],
    internalTopics: new Set(),
    command: { kind: 'CreateQuery' } as Extract<Command, { kind: 'CreateQuery' }>,
    statistics: new QueryStatistics(),
    scheduler: { add: (task) => void scheduled.add((task as StreamTask).taskId), remove: (task) => void scheduled.delete((task as StreamTask).taskId) },
    createTasks: (_fail, only) => [...(only ?? [])].map(fakeTask),
    group: { id: 'g', groups, taskIds: () => ['0_0', '0_1', '0_2'] },
    retryBackoffInitialMs: 20,
    retryBackoffMaxMs: 20,
    maxErrors: 10,
  });
  query.start();
  t.deepEqual(joinedWith, ['0_0', '0_1', '0_2']);
  t.is(query.state, 'RUNNING');
  t.deepEqual(query.tasks, []);
  await handlers!.onAssignment({ active: ['0_0', '0_2'], standby: [], hosts: new Map() });
  t.deepEqual([...scheduled].sort(), ['0_0', '0_2']);
  await handlers!.onRevoke(['0_2']);
  t.deepEqual([...scheduled], ['0_0']);
  t.deepEqual(query.tasks.map((task) => task.taskId), ['0_0']);
  await handlers!.onAssignment({ active: ['0_0', '0_1'], standby: [], hosts: new Map() });
  t.deepEqual([...scheduled].sort(), ['0_0', '0_1']);
  query.stop();
  await settle(10);
  t.deepEqual(events, ['commit+close 0_2', 'close 0_0', 'close 0_1', 'leave']);
  t.deepEqual([...scheduled], []);
});

/** A query in a group the test plays, over fake tasks and standbys that record what happens to them. */
function groupedQuery(): {
  query: PersistentQuery; events: string[]; handlers: () => QueryGroupHandlers; scheduled: Set<string>;
} {
  const events: string[] = [];
  let handlers: QueryGroupHandlers | undefined;
  const groups: QueryGroups = {
    join: (_group, _tasks, h) => {
      handlers = h;
      return Promise.resolve({ leave: async () => {
        events.push('leave');
        // The membership revokes what it still runs as it leaves.
        await h.onRevoke(['0_0', '0_1']);
      } });
    },
  };
  const scheduled = new Set<string>();
  const fakeTask = (taskId: string): StreamTask => ({
    taskId,
    processedOffsets: [],
    commitAndClose: async () => {
      await settle(5);
      events.push(`commit+close ${taskId}`);
    },
    close: () => events.push(`close ${taskId}`),
  }) as unknown as StreamTask;
  const fakeStandby = (taskId: string): StandbyTask => ({
    taskId,
    close: async () => {
      events.push(`standby close ${taskId}`);
    },
  }) as unknown as StandbyTask;
  const name = (task: unknown): string => `${'commitAndClose' in (task as object) ? '' : 'standby '}${(task as { taskId: string }).taskId}`;
  const query = new PersistentQuery({
    id: 'CTAS_T_0',
    statementText: 'CREATE TABLE T AS SELECT ...',
    sinkName: 'T',
    sinkTopic: 'T',
    sourceNames: ['S'],
    internalTopics: new Set(),
    command: { kind: 'CreateQuery' } as Extract<Command, { kind: 'CreateQuery' }>,
    statistics: new QueryStatistics(),
    scheduler: { add: (task) => void scheduled.add(name(task)), remove: (task) => void scheduled.delete(name(task)) },
    createTasks: (_fail, only) => [...(only ?? [])].map((id) => {
      events.push(`start ${id}`);
      return fakeTask(id);
    }),
    createStandbyTasks: (_fail, ids) => [...ids].map((id) => {
      events.push(`standby start ${id}`);
      return fakeStandby(id);
    }),
    group: { id: 'g', groups, taskIds: () => ['0_0', '0_1', '0_2'] },
    retryBackoffInitialMs: 20,
    retryBackoffMaxMs: 20,
    maxErrors: 10,
  });
  return { query, events, handlers: () => handlers!, scheduled };
}

test('in a query group the query runs standby tasks for its standby assignment; one that becomes active is closed before its active task starts', async (t) => {
  const { query, events, handlers, scheduled } = groupedQuery();
  query.start();
  await settle(1);
  await handlers().onAssignment({ active: ['0_0'], standby: ['0_1', '0_2'], hosts: new Map() });
  t.deepEqual([...scheduled].sort(), ['0_0', 'standby 0_1', 'standby 0_2']);
  t.deepEqual(query.standbyTasks.map((s) => s.taskId), ['0_1', '0_2']);
  events.length = 0;
  await handlers().onAssignment({ active: ['0_0', '0_1'], standby: [], hosts: new Map() });
  t.deepEqual(events, ['standby close 0_1', 'standby close 0_2', 'start 0_1']);
  t.deepEqual([...scheduled].sort(), ['0_0', '0_1']);
  t.deepEqual(query.standbyTasks, []);
  query.stop();
});

test('a graceful stop commits and closes every task and stops the standbys before the query leaves its group', async (t) => {
  const { query, events, handlers, scheduled } = groupedQuery();
  query.start();
  await settle(1);
  await handlers().onAssignment({ active: ['0_0', '0_1'], standby: ['0_2'], hosts: new Map() });
  events.length = 0;
  await query.stopGracefully();
  t.deepEqual(events, ['commit+close 0_0', 'commit+close 0_1', 'standby close 0_2', 'leave']);
  t.deepEqual([...scheduled], []);
});
