/**
 * How the leader of a persistent query's consumer group spreads the query's
 * tasks (sub-topology x partition, Kafka Streams' `<subtopology>_<partition>`)
 * over the group's members, as Kafka Streams' assignor does in spirit:
 *
 * - balanced: every member runs floor(n/m) or ceil(n/m) active tasks (when
 *   every member can run every task; a task goes only to a member listing it);
 * - sticky: a task stays with the member that runs it while that member keeps
 *   its fair share; the members owning the most keep the larger shares;
 * - never two owners at once: a task that must leave a live owner gets no
 *   active member in this generation. The owner revokes it (commits and
 *   closes it) and rejoins, and the next generation gives it to its new
 *   member (Kafka's cooperative rebalancing). A task whose owner left the
 *   group is assigned at once;
 * - standby replicas: up to `standbyReplicas` per task, never on the member
 *   running (or handing over) the task, preferring members that held its
 *   state before, then the least loaded;
 * - deterministic: members are taken in order of host then member id, tasks
 *   in task id order, so the same input always gives the same assignment.
 */

/** A task's id as Kafka Streams writes it: `<subtopology>_<partition>`. */
export type TaskId = string;

/** What a member said in its subscription. */
export interface TaskAssignorMember {
  readonly memberId: string;
  /** Its `application.server` URL: where the tasks it runs are served. */
  readonly host: string;
  /** The tasks it can run. */
  readonly tasks: readonly TaskId[];
  /** The active tasks it runs now, from generation `ownedGeneration`. */
  readonly ownedActive: readonly TaskId[];
  readonly ownedStandby: readonly TaskId[];
  readonly ownedGeneration: number;
}

/** Where a task runs: the active member's host (null while it is handed over) and its standbys' hosts. */
export interface TaskHosts {
  readonly active: string | null;
  readonly standbys: readonly string[];
}

export interface MemberTasks {
  readonly active: readonly TaskId[];
  readonly standby: readonly TaskId[];
}

export interface TaskAssignment {
  /** Every member's tasks, by member id. */
  readonly members: ReadonlyMap<string, MemberTasks>;
  /** Every task's hosts, in task id order. */
  readonly hosts: ReadonlyMap<TaskId, TaskHosts>;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Task ids in order: part by part, numerically where both parts are numbers (`0_9` before `0_10`). */
export function compareTaskIds(a: TaskId, b: TaskId): number {
  const left = a.split('_');
  const right = b.split('_');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : 0;
    const order = numeric !== 0 ? numeric : compareText(x, y);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

interface Slot {
  readonly member: TaskAssignorMember;
  readonly index: number;
  readonly canRun: ReadonlySet<TaskId>;
  readonly heldBefore: ReadonlySet<TaskId>;
  readonly active: TaskId[];
  readonly standby: TaskId[];
  /** Tasks it is to take over once their owner has revoked them (counted in its share). */
  incoming: number;
  quota: number;
}

function load(slot: Slot): number {
  return slot.active.length + slot.incoming;
}

/** The live owner of each task: a claim from a later generation wins; equal ones go to the earlier member. */
function ownersOf(slots: readonly Slot[], tasks: ReadonlySet<TaskId>): Map<TaskId, Slot> {
  const owners = new Map<TaskId, Slot>();
  for (const slot of slots) {
    for (const task of slot.member.ownedActive) {
      if (!tasks.has(task)) continue;
      const claimed = owners.get(task);
      if (claimed === undefined || slot.member.ownedGeneration > claimed.member.ownedGeneration) owners.set(task, slot);
    }
  }
  return owners;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The member to run `task` next: under its share first, then the least loaded, then one that held its state, then the first. */
function pickActive(slots: readonly Slot[], task: TaskId): Slot | undefined {
  let best: Slot | undefined;
  let bestKey: readonly number[] = [];
  for (const slot of slots) {
    if (!slot.canRun.has(task)) continue;
    const key = [load(slot) < slot.quota ? 0 : 1, load(slot), slot.heldBefore.has(task) ? 0 : 1, slot.index];
    if (best === undefined || compareKeys(key, bestKey) < 0) {
      best = slot;
      bestKey = key;
    }
  }
  return best;
}

export function assignTasks(members: readonly TaskAssignorMember[], standbyReplicas: number): TaskAssignment {
  const slots: Slot[] = [...members]
    .sort((a, b) => compareText(a.host, b.host) || compareText(a.memberId, b.memberId))
    .map((member, index) => ({
      member,
      index,
      canRun: new Set(member.tasks),
      heldBefore: new Set([...member.ownedActive, ...member.ownedStandby]),
      active: [],
      standby: [],
      incoming: 0,
      quota: 0,
    }));
  const taskSet = new Set(members.flatMap((m) => m.tasks));
  const tasks = [...taskSet].sort(compareTaskIds);
  const owners = ownersOf(slots, taskSet);

  // The larger shares go to the members that own the most already, so the fewest tasks move.
  const ownedCount = new Map<Slot, number>();
  for (const owner of owners.values()) ownedCount.set(owner, (ownedCount.get(owner) ?? 0) + 1);
  const owned = (slot: Slot): number => ownedCount.get(slot) ?? 0;
  const base = slots.length === 0 ? 0 : Math.floor(tasks.length / slots.length);
  const larger = slots.length === 0 ? 0 : tasks.length % slots.length;
  [...slots].sort((a, b) => owned(b) - owned(a) || a.index - b.index).forEach((slot, rank) => {
    slot.quota = base + (rank < larger ? 1 : 0);
  });

  const activeOf = new Map<TaskId, Slot>();
  const handedOver = new Map<TaskId, { readonly from: Slot; readonly to: Slot }>();
  const unplaced: TaskId[] = [];
  for (const task of tasks) {
    const owner = owners.get(task);
    if (owner !== undefined && owner.canRun.has(task) && load(owner) < owner.quota) {
      owner.active.push(task);
      activeOf.set(task, owner);
    } else {
      unplaced.push(task);
    }
  }
  for (const task of unplaced) {
    const chosen = pickActive(slots, task);
    if (chosen === undefined) continue;
    const owner = owners.get(task);
    if (owner !== undefined && owner !== chosen) {
      chosen.incoming += 1;
      handedOver.set(task, { from: owner, to: chosen });
    } else {
      chosen.active.push(task);
      activeOf.set(task, chosen);
    }
  }

  const hosts = new Map<TaskId, TaskHosts>();
  for (const task of tasks) {
    const active = activeOf.get(task);
    const handover = handedOver.get(task);
    const excluded = new Set([active, handover?.from, handover?.to]);
    const candidates = slots
      .filter((slot) => slot.canRun.has(task) && !excluded.has(slot))
      .sort((a, b) => {
        const weight = (slot: Slot): number => load(slot) + slot.standby.length - (slot.heldBefore.has(task) ? 1 : 0);
        return weight(a) - weight(b) || a.index - b.index;
      })
      .slice(0, Math.max(0, standbyReplicas));
    for (const slot of candidates) slot.standby.push(task);
    hosts.set(task, { active: active?.member.host ?? null, standbys: candidates.map((slot) => slot.member.host) });
  }

  const assigned = new Map<string, MemberTasks>();
  for (const slot of slots) assigned.set(slot.member.memberId, { active: slot.active, standby: slot.standby });
  return { members: assigned, hosts };
}
