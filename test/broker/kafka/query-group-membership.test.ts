/**
 * Persistent query group membership against a Kafka-protocol cluster in
 * another process (ksqlite's listener, or the cluster `KSQLITE_TEST_KAFKA`
 * names): members split a query's tasks and agree on where each runs; a task
 * never runs on two members at once (the old owner's revocation is awaited
 * before the new one starts it); a member that leaves, or is killed without
 * leaving, has its tasks moved to the others; a joining member gets a fair
 * share and the others keep the rest; standbys stay off their active member.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { KafkaClusterClient } from '../../../src/broker/kafka/kafka-cluster-client.js';
import type { QueryGroupMembership } from '../../../src/broker/kafka/query-group-membership.js';
import type { QueryAssignment } from '../../../src/broker/kafka/query-group-protocol.js';
import type { QueryGroupSettings } from '../../../src/broker/kafka/query-group-settings.js';
import type { TaskId } from '../../../src/broker/kafka/task-assignor.js';
import { EXTERNAL_KAFKA, startKafkaTarget, uniqueName, type KafkaTarget } from './kafka-target.js';

const TASKS = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5', '0_6', '0_7'];
// A real Kafka refuses sessions under 6 s (group.min.session.timeout.ms); the listener here is set lower.
const SESSION_TIMEOUT_MS = EXTERNAL_KAFKA === undefined ? 1500 : 6000;
const SETTINGS: QueryGroupSettings = {
  sessionTimeoutMs: SESSION_TIMEOUT_MS,
  heartbeatIntervalMs: EXTERNAL_KAFKA === undefined ? 150 : 500,
  rebalanceTimeoutMs: 10_000,
  standbyReplicas: 0,
};
const CONVERGE_TIMEOUT_MS = 30_000;
const MEMBER_PROCESS = fileURLToPath(new URL('./query-group-member-process.js', import.meta.url));

let target: KafkaTarget;
let client: KafkaClusterClient;

test.before(async () => {
  target = await startKafkaTarget({ 'group.min.session.timeout.ms': '500' });
  client = await KafkaClusterClient.connect({ 'bootstrap.servers': target.bootstrap, 'client.id': 'query-group-test' });
});

test.after.always(async () => {
  await client?.close();
  await target?.stop();
});

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const hostOf = (name: string): string => `http://${name}:8088`;

/**
 * The tasks running now across the members of one group, as the callbacks
 * start and stop them: starting a task another member still runs is a
 * violation. A revocation takes `revokeDelayMs` (a task committing and closing).
 */
class Runners {
  readonly running = new Map<TaskId, string>();
  readonly violations: string[] = [];
  readonly latest = new Map<string, QueryAssignment>();
  readonly revoked = new Map<string, TaskId[]>();
  readonly members = new Map<string, QueryGroupMembership>();
  /** How long a member's next assignments take to apply (a task restoring its state). */
  readonly assignDelayMs = new Map<string, number>();
  /** Members applying an assignment now. */
  readonly busy = new Set<string>();
  readonly groupId = uniqueName('_confluent-ksql-test_query_CSAS');

  constructor(private readonly revokeDelayMs = 0, private readonly settings = SETTINGS) {}

  async join(name: string): Promise<QueryGroupMembership> {
    const membership = await client.joinQueryGroup({
      groupId: this.groupId,
      host: hostOf(name),
      tasks: TASKS,
      settings: this.settings,
      onRevoke: async (tasks) => {
        await delay(this.revokeDelayMs);
        for (const task of tasks) if (this.running.get(task) === name) this.running.delete(task);
        this.revoked.set(name, [...(this.revoked.get(name) ?? []), ...tasks]);
      },
      onAssignment: async (assignment) => {
        const busyFor = this.assignDelayMs.get(name);
        if (busyFor !== undefined) {
          this.busy.add(name);
          await delay(busyFor);
          this.busy.delete(name);
        }
        for (const task of assignment.active) {
          const holder = this.running.get(task);
          if (holder !== undefined && holder !== name) this.violations.push(`${name} started ${task} while ${holder} ran it`);
          this.running.set(task, name);
        }
        this.latest.set(name, assignment);
      },
      onError: (error) => this.violations.push(`${name} failed: ${error.message}`),
    });
    this.members.set(name, membership);
    return membership;
  }

  async leaveAll(): Promise<void> {
    await Promise.all([...this.members.values()].map((m) => m.leave()));
  }
}

/**
 * Whether `names` all hold the same generation's assignment, with every task
 * active on one of them (or on `others`, members outside this process), and
 * their shares `counts`.
 */
function converged(runners: Runners, names: readonly string[], counts: readonly number[], others: readonly string[] = []): boolean {
  const assignments = names.map((name) => runners.latest.get(name));
  if (assignments.some((a) => a === undefined)) return false;
  const [first] = assignments as QueryAssignment[];
  if (!assignments.every((a) => a!.generation === first!.generation)) return false;
  const hosts = new Set([...names, ...others].map(hostOf));
  if ([...first!.hosts.values()].some((h) => h.active === null || !hosts.has(h.active))) return false;
  return JSON.stringify(assignments.map((a) => a!.active.length).sort()) === JSON.stringify([...counts].sort());
}

async function waitFor(t: ExecutionContext, what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + CONVERGE_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) t.fail(`timed out waiting until ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(50);
  }
}

function assertAgreedMap(t: ExecutionContext, runners: Runners, names: readonly string[]): void {
  const maps = names.map((name) => JSON.stringify([...runners.latest.get(name)!.hosts]));
  t.true(maps.every((m) => m === maps[0]), 'every member has the same task map');
  for (const name of names) {
    const assignment = runners.latest.get(name)!;
    for (const task of assignment.active) t.is(assignment.hosts.get(task)!.active, hostOf(name), `${task} runs on ${name}`);
  }
  t.deepEqual([...runners.latest.get(names[0]!)!.hosts.keys()], TASKS);
}

test.serial('three members split 8 tasks 3/3/2 and agree on where each runs', async (t) => {
  const runners = new Runners();
  try {
    await Promise.all(['a', 'b', 'c'].map((name) => runners.join(name)));
    await waitFor(t, 'a, b and c share the tasks', () => converged(runners, ['a', 'b', 'c'], [3, 3, 2]));
    assertAgreedMap(t, runners, ['a', 'b', 'c']);
    for (const name of ['a', 'b', 'c']) t.is(runners.members.get(name)!.generation, runners.latest.get(name)!.generation);
    t.deepEqual(runners.violations, []);
  } finally {
    await runners.leaveAll();
  }
});

test.serial('a member that leaves revokes its tasks and they move to the others', async (t) => {
  const runners = new Runners(300);
  try {
    await Promise.all(['a', 'b', 'c'].map((name) => runners.join(name)));
    await waitFor(t, 'a, b and c share the tasks', () => converged(runners, ['a', 'b', 'c'], [3, 3, 2]));
    const held = runners.latest.get('c')!.active;
    runners.revoked.clear();
    await runners.members.get('c')!.leave();
    t.deepEqual(runners.revoked.get('c'), held, 'c revoked what it ran');
    await waitFor(t, 'a and b share the tasks', () => converged(runners, ['a', 'b'], [4, 4]));
    assertAgreedMap(t, runners, ['a', 'b']);
    t.deepEqual(runners.violations, []);
  } finally {
    await runners.leaveAll();
  }
});

/** A member in its own process, so it can be killed or paused; it prints its revocations and assignments. */
class MemberProcess {
  readonly child: ChildProcess;
  memberId = '';
  active: TaskId[] = [];
  readonly revoked: TaskId[] = [];

  constructor(runners: Runners, name: string) {
    const options = { groupId: runners.groupId, host: hostOf(name), tasks: TASKS, settings: SETTINGS };
    this.child = spawn(process.execPath, [MEMBER_PROCESS, target.bootstrap, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const event = JSON.parse(line) as { revoked?: TaskId[]; memberId?: string; active?: TaskId[] };
        if (event.revoked !== undefined) this.revoked.push(...event.revoked);
        else {
          this.memberId = event.memberId!;
          this.active = event.active!;
        }
      }
    });
  }
}

/** Whether in-process `names` and the process member `other` (named `otherName`) share the tasks 3/3/2, the other holding 2. */
function convergedWith(runners: Runners, names: readonly string[], other: MemberProcess, otherName: string): boolean {
  const a = runners.latest.get(names[0]!);
  return a !== undefined && converged(runners, names, [3, 3], [otherName]) && other.active.length === 2
    && [...a.hosts.values()].filter((h) => h.active === hostOf(otherName)).length === 2;
}

test.serial('a member killed without leaving is dropped after its session timeout and its tasks move', async (t) => {
  const runners = new Runners();
  let killed: MemberProcess | undefined;
  try {
    await Promise.all(['a', 'b'].map((name) => runners.join(name)));
    killed = new MemberProcess(runners, 'k');
    await waitFor(t, 'a, b and the member to kill share the tasks', () => convergedWith(runners, ['a', 'b'], killed!, 'k'));
    const killedAt = Date.now();
    killed.child.kill('SIGKILL');
    await waitFor(t, 'a and b share the tasks', () => converged(runners, ['a', 'b'], [4, 4]));
    // Its session started over at its last heartbeat, shortly before the kill (later on a busy machine).
    t.true(Date.now() - killedAt >= SESSION_TIMEOUT_MS / 2, 'not dropped before its session timed out');
    t.true(killed.active.every((task) => ['a', 'b'].includes(runners.running.get(task)!)), 'its tasks run elsewhere');
    assertAgreedMap(t, runners, ['a', 'b']);
    t.deepEqual(runners.violations, []);
  } finally {
    killed?.child.kill('SIGKILL');
    await runners.leaveAll();
  }
});

test.serial('a member dropped while frozen revokes everything it ran when it wakes, then rejoins as a new member', async (t) => {
  const runners = new Runners();
  let frozen: MemberProcess | undefined;
  try {
    await Promise.all(['a', 'b'].map((name) => runners.join(name)));
    frozen = new MemberProcess(runners, 'f');
    await waitFor(t, 'a, b and the member to freeze share the tasks', () => convergedWith(runners, ['a', 'b'], frozen!, 'f'));
    const { memberId, active } = frozen;
    frozen.child.kill('SIGSTOP');
    await waitFor(t, 'a and b share the tasks', () => converged(runners, ['a', 'b'], [4, 4]));
    frozen.child.kill('SIGCONT');
    await waitFor(t, 'the woken member revoked what it ran', () => active.every((task) => frozen!.revoked.includes(task)));
    await waitFor(t, 'a, b and the woken member share the tasks again', () => convergedWith(runners, ['a', 'b'], frozen!, 'f') && frozen!.memberId !== memberId);
    t.not(frozen.memberId, memberId);
  } finally {
    frozen?.child.kill('SIGKILL');
    await runners.leaveAll();
  }
});

test.serial('a joining member gets a fair share, the others keep the rest, and a task starts only after its revocation ended', async (t) => {
  const runners = new Runners(400);
  try {
    await Promise.all(['a', 'b'].map((name) => runners.join(name)));
    await waitFor(t, 'a and b share the tasks', () => converged(runners, ['a', 'b'], [4, 4]));
    const before = { a: runners.latest.get('a')!.active, b: runners.latest.get('b')!.active };
    runners.revoked.clear();
    await runners.join('c');
    await waitFor(t, 'a, b and c share the tasks', () => converged(runners, ['a', 'b', 'c'], [3, 3, 2]));
    t.true(runners.latest.get('a')!.active.every((task) => before.a.includes(task)), 'a kept its tasks but one');
    t.true(runners.latest.get('b')!.active.every((task) => before.b.includes(task)), 'b kept its tasks but one');
    t.is(runners.latest.get('c')!.active.length, 2, 'two tasks moved, to c');
    t.deepEqual([...(runners.revoked.get('a') ?? []), ...(runners.revoked.get('b') ?? [])].sort(), [...runners.latest.get('c')!.active].sort());
    assertAgreedMap(t, runners, ['a', 'b', 'c']);
    t.deepEqual(runners.violations, [], 'no task started before its old member had revoked it');
  } finally {
    await runners.leaveAll();
  }
});

test.serial('standby replicas are never on their active member', async (t) => {
  const runners = new Runners(0, { ...SETTINGS, standbyReplicas: 1 });
  try {
    await Promise.all(['a', 'b', 'c'].map((name) => runners.join(name)));
    await waitFor(t, 'a, b and c share the tasks', () => converged(runners, ['a', 'b', 'c'], [3, 3, 2]));
    for (const name of ['a', 'b', 'c']) {
      const assignment = runners.latest.get(name)!;
      t.true(assignment.standby.every((task) => !assignment.active.includes(task)), `${name} holds no standby of its own tasks`);
      for (const [task, hosts] of assignment.hosts) {
        t.is(hosts.standbys.length, 1, `${task} has a standby`);
        t.not(hosts.standbys[0], hosts.active, `${task}'s standby is not on its active member`);
      }
    }
  } finally {
    await runners.leaveAll();
  }
});

test.serial('leaving while the group waits for a busy member returns without waiting for it', async (t) => {
  const runners = new Runners();
  try {
    await Promise.all(['a', 'b'].map((name) => runners.join(name)));
    await waitFor(t, 'a and b share the tasks', () => converged(runners, ['a', 'b'], [4, 4]));
    // b's next assignment keeps it busy: the rebalance that follows c's join waits for b to rejoin.
    runners.assignDelayMs.set('b', 5000);
    await runners.join('c');
    await waitFor(t, 'b is busy with its assignment', () => runners.busy.has('b'));
    await delay(500);
    const leaving = Date.now();
    await runners.members.get('a')!.leave();
    t.true(Date.now() - leaving < 3500, `leave() took ${Date.now() - leaving} ms`);
    runners.assignDelayMs.delete('b');
    await waitFor(t, 'b and c share the tasks', () => converged(runners, ['b', 'c'], [4, 4]));
  } finally {
    await runners.leaveAll();
  }
});

test.serial('a session timeout the coordinator refuses, or a failing callback, stops the membership through onError', async (t) => {
  const errors: string[] = [];
  const refused = await client.joinQueryGroup({
    groupId: uniqueName('_confluent-ksql-test_query_refused'),
    host: hostOf('a'),
    tasks: TASKS,
    settings: { ...SETTINGS, sessionTimeoutMs: 100, heartbeatIntervalMs: 10 },
    onRevoke: () => undefined,
    onAssignment: () => undefined,
    onError: (error) => errors.push(error.message),
  });
  const failing = await client.joinQueryGroup({
    groupId: uniqueName('_confluent-ksql-test_query_failing'),
    host: hostOf('a'),
    tasks: TASKS,
    settings: SETTINGS,
    onRevoke: () => undefined,
    onAssignment: () => {
      throw new Error('the task could not start');
    },
    onError: (error) => errors.push(error.message),
  });
  try {
    await waitFor(t, 'both failed', () => errors.length === 2);
    t.true(errors.some((e) => /INVALID_SESSION_TIMEOUT/.test(e)), errors.join('\n'));
    t.true(errors.some((e) => /the task could not start/.test(e)), errors.join('\n'));
  } finally {
    await Promise.all([refused.leave(), failing.leave()]);
  }
});
