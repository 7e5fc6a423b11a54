/**
 * The query group's task assignor alone: balanced, sticky, hand-overs in two
 * generations, standbys apart from their active, deterministic.
 */
import test from 'ava';
import { assignTasks, compareTaskIds, type TaskAssignment, type TaskAssignorMember, type TaskId } from '../../../src/broker/kafka/task-assignor.js';

const TASKS = ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5', '0_6', '0_7'];

function member(name: string, owned: readonly TaskId[] = [], extra: Partial<TaskAssignorMember> = {}): TaskAssignorMember {
  return { memberId: `id-${name}`, host: `http://${name}:8088`, tasks: TASKS, ownedActive: owned, ownedStandby: [], ownedGeneration: owned.length > 0 ? 1 : -1, ...extra };
}

function activeCounts(plan: TaskAssignment): number[] {
  return [...plan.members.values()].map((m) => m.active.length);
}

function activeOf(plan: TaskAssignment, memberId: string): readonly TaskId[] {
  return plan.members.get(memberId)!.active;
}

test('task ids order by sub-topology, then partition, numerically', (t) => {
  t.deepEqual(['1_0', '0_10', '0_9', '0_2'].sort(compareTaskIds), ['0_2', '0_9', '0_10', '1_0']);
});

test('three new members split 8 tasks 3/3/2, every task once, the map naming each active host', (t) => {
  const plan = assignTasks([member('a'), member('b'), member('c')], 0);
  t.deepEqual(activeCounts(plan).sort(), [2, 3, 3]);
  const all = [...plan.members.values()].flatMap((m) => m.active);
  t.deepEqual([...all].sort(compareTaskIds), TASKS);
  t.deepEqual([...plan.hosts.keys()], TASKS);
  for (const [memberId, tasks] of plan.members) {
    for (const task of tasks.active) t.is(plan.hosts.get(task)!.active, `http://${memberId.slice(3)}:8088`);
  }
});

test('the same members in any order give the same assignment', (t) => {
  const members = [member('a', ['0_0', '0_1']), member('b', ['0_5']), member('c')];
  const one = assignTasks(members, 1);
  const other = assignTasks([members[2]!, members[0]!, members[1]!], 1);
  t.deepEqual([...one.members], [...other.members]);
  t.deepEqual([...one.hosts], [...other.hosts]);
});

test('tasks stay where they run while their members keep a fair share', (t) => {
  const plan = assignTasks([member('a', ['0_0', '0_3', '0_6']), member('b', ['0_1', '0_4', '0_7']), member('c', ['0_2', '0_5'])], 0);
  t.deepEqual(activeOf(plan, 'id-a'), ['0_0', '0_3', '0_6']);
  t.deepEqual(activeOf(plan, 'id-b'), ['0_1', '0_4', '0_7']);
  t.deepEqual(activeOf(plan, 'id-c'), ['0_2', '0_5']);
});

test('a joining member gets its share in two generations: first its tasks are taken from their owners, then given to it', (t) => {
  const a = member('a', ['0_0', '0_1', '0_2', '0_3']);
  const b = member('b', ['0_4', '0_5', '0_6', '0_7']);
  const first = assignTasks([a, b, member('c')], 0);
  t.deepEqual(activeCounts(first), [3, 3, 0]);
  const handedOver = [...first.hosts].filter(([, hosts]) => hosts.active === null).map(([task]) => task);
  t.is(handedOver.length, 2, 'two tasks move, no more');
  t.true(activeOf(first, 'id-a').every((task) => a.ownedActive.includes(task)), 'a keeps three of its own');
  t.true(activeOf(first, 'id-b').every((task) => b.ownedActive.includes(task)), 'b keeps three of its own');

  // a and b revoked what they lost and rejoin with what they kept.
  const second = assignTasks([
    member('a', activeOf(first, 'id-a'), { ownedGeneration: 2 }),
    member('b', activeOf(first, 'id-b'), { ownedGeneration: 2 }),
    member('c'),
  ], 0);
  t.deepEqual(activeOf(second, 'id-a'), activeOf(first, 'id-a'));
  t.deepEqual(activeOf(second, 'id-b'), activeOf(first, 'id-b'));
  t.deepEqual([...activeOf(second, 'id-c')].sort(compareTaskIds), [...handedOver].sort(compareTaskIds));
  t.true([...second.hosts.values()].every((hosts) => hosts.active !== null));
});

test('the tasks of a member that left go at once to the others, who keep their own', (t) => {
  const plan = assignTasks([member('a', ['0_0', '0_1', '0_2']), member('c', ['0_6', '0_7'])], 0);
  t.deepEqual(activeCounts(plan), [4, 4]);
  t.true(['0_0', '0_1', '0_2'].every((task) => activeOf(plan, 'id-a').includes(task)));
  t.true(['0_6', '0_7'].every((task) => activeOf(plan, 'id-c').includes(task)));
  t.true([...plan.hosts.values()].every((hosts) => hosts.active !== null));
});

test('standby replicas are never on their active member, are spread, and are capped by the members available', (t) => {
  const plan = assignTasks([member('a'), member('b'), member('c')], 1);
  for (const [, hosts] of plan.hosts) {
    t.is(hosts.standbys.length, 1);
    t.false(hosts.standbys.includes(hosts.active!));
  }
  t.deepEqual([...plan.members.values()].map((m) => m.active.length + m.standby.length).sort(), [5, 5, 6]);

  const two = assignTasks([member('a'), member('b')], 2);
  for (const [, hosts] of two.hosts) t.deepEqual(hosts.standbys.length, 1, 'only one member besides the active');
});

test('a task being handed over has no standby on its old or its new member', (t) => {
  const plan = assignTasks([member('a', ['0_0', '0_1', '0_2', '0_3']), member('b', ['0_4', '0_5', '0_6', '0_7']), member('c')], 2);
  const moving = [...plan.hosts].filter(([, hosts]) => hosts.active === null);
  t.is(moving.length, 2);
  for (const [task, hosts] of moving) {
    const owner = task <= '0_3' ? 'http://a:8088' : 'http://b:8088';
    t.false(hosts.standbys.includes(owner), `${task}'s owner holds no standby of it`);
    t.false(hosts.standbys.includes('http://c:8088'), `${task}'s new member holds no standby of it`);
  }
});

test('standbys stay with the members that held them', (t) => {
  const plan = assignTasks([
    member('a', ['0_0', '0_1', '0_2'], { ownedStandby: ['0_3', '0_4', '0_5'] }),
    member('b', ['0_3', '0_4', '0_5'], { ownedStandby: ['0_6', '0_7', '0_0'] }),
    member('c', ['0_6', '0_7'], { ownedStandby: ['0_1', '0_2'] }),
  ], 1);
  t.deepEqual(plan.members.get('id-a')!.standby, ['0_3', '0_4', '0_5']);
  t.deepEqual(plan.members.get('id-b')!.standby, ['0_0', '0_6', '0_7']);
  t.deepEqual(plan.members.get('id-c')!.standby, ['0_1', '0_2']);
});

test('a task goes only to a member that can run it', (t) => {
  const plan = assignTasks([member('a', [], { tasks: ['0_0', '0_1'] }), member('b', [], { tasks: ['0_0', '0_1', '1_0', '1_1'] })], 1);
  t.deepEqual(activeOf(plan, 'id-b').filter((task) => task.startsWith('1_')), ['1_0', '1_1']);
  t.deepEqual(plan.hosts.get('1_0')!.standbys, [], 'no other member can hold its standby');
});

test('two members claiming a task: the later generation keeps it', (t) => {
  const plan = assignTasks([member('a', ['0_0'], { ownedGeneration: 3 }), member('b', ['0_0'], { ownedGeneration: 5 })], 0);
  t.true(activeOf(plan, 'id-b').includes('0_0'));
  t.false(activeOf(plan, 'id-a').includes('0_0'));
});
