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
      onAssignment: (assignment) => {
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
    t.deepEqual(runners.violations, []);
  } finally {
    await runners.leaveAll();
  }
});

test.serial('a member that leaves revokes its tasks and they move to the others', async (t) => {
  const runners = new Runners();
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

test.serial('a member killed without leaving is dropped after its session timeout and its tasks move', async (t) => {
  const runners = new Runners();
  let child: ChildProcess | undefined;
  try {
    await Promise.all(['a', 'b'].map((name) => runners.join(name)));
    child = spawn(process.execPath, [MEMBER_PROCESS, target.bootstrap, JSON.stringify({ groupId: runners.groupId, host: hostOf('k'), tasks: TASKS, settings: SETTINGS })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let childActive: TaskId[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter((l) => l !== '')) childActive = (JSON.parse(line) as { active: TaskId[] }).active;
    });
    await waitFor(t, 'a, b and the killed-to-be member share the tasks', () => {
      const a = runners.latest.get('a');
      return a !== undefined && converged(runners, ['a', 'b'], [3, 3], ['k']) && childActive.length === 2
        && [...a.hosts.values()].filter((h) => h.active === hostOf('k')).length === 2;
    });
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await waitFor(t, 'a and b share the tasks', () => converged(runners, ['a', 'b'], [4, 4]));
    t.true(Date.now() - killedAt >= SESSION_TIMEOUT_MS - SETTINGS.heartbeatIntervalMs, 'not dropped before its session timed out');
    t.true(childActive.every((task) => ['a', 'b'].includes(runners.running.get(task)!)), 'its tasks run elsewhere');
    assertAgreedMap(t, runners, ['a', 'b']);
    t.deepEqual(runners.violations, []);
  } finally {
    child?.kill('SIGKILL');
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
