/**
 * Kafka's group coordinator (the classic protocol) for the listener's
 * clients. A group moves Empty -> PreparingRebalance -> CompletingRebalance ->
 * Stable and back to PreparingRebalance when a member joins, changes its
 * protocols, leaves or misses its session timeout. A rebalance completes once
 * every member has rejoined, or when the longest rebalance timeout passes (the
 * members that did not rejoin are dropped); the generation then moves on, the
 * coordinator picks the protocol every member lists, and the leader alone gets
 * every member's metadata. The leader's SyncGroup brings the assignments,
 * which the coordinator hands out as opaque bytes.
 *
 * Membership lives in memory only, as Kafka's clients expect it to be lost
 * with the broker: they rejoin after a restart. Offsets are the log's
 * (OffsetCommit asks `commitError` first). Timers are unref'd, so a group
 * never keeps the process alive.
 */
import { randomUUID } from 'node:crypto';
import type { Broker } from '../broker.js';
import type { BusyGroups } from '../busy-groups.js';
import type { ConsumerGroupAssignments, GroupAssignment } from '../group-assignments.js';
import { ConsumerGroup, GroupMember, type GroupState, type JoinResult, type MemberSettings, type SyncResult } from './consumer-group.js';
import { CONSUMER_PROTOCOL_TYPE, readConsumerAssignment } from './consumer-protocol.js';
import { ErrorCode } from './error-codes.js';

export interface GroupCoordinatorOptions {
  /** Kafka's `group.min.session.timeout.ms` (default 6000). */
  readonly minSessionTimeoutMs?: number;
  /** Kafka's `group.max.session.timeout.ms` (default 1800000). */
  readonly maxSessionTimeoutMs?: number;
  /** Groups in use without members here (ksqlite's running queries' groups): never deleted. */
  readonly busyGroups?: BusyGroups;
}

export interface JoinRequest extends MemberSettings {
  readonly groupId: string;
  /** '' for a member joining for the first time: the coordinator assigns its id. */
  readonly memberId: string;
}

export interface SyncRequest {
  readonly groupId: string;
  readonly generation: number;
  readonly memberId: string;
  /** The leader's assignments, by member id (empty from the other members). */
  readonly assignments: ReadonlyMap<string, Buffer>;
}

export interface MemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** The member's metadata for the group's protocol (a consumer's subscription). */
  readonly metadata: Buffer;
  readonly assignment: Buffer;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly MemberDescription[];
}

export const DEFAULT_MIN_SESSION_TIMEOUT_MS = 6000;
export const DEFAULT_MAX_SESSION_TIMEOUT_MS = 1_800_000;

function joinError(error: number, memberId: string): JoinResult {
  return { error, generation: -1, protocol: '', leaderId: '', memberId, members: [] };
}

function syncError(error: number): SyncResult {
  return { error, assignment: Buffer.alloc(0) };
}

export class GroupCoordinator implements ConsumerGroupAssignments {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly minSessionTimeoutMs: number;
  private readonly maxSessionTimeoutMs: number;
  private readonly busyGroups: BusyGroups | undefined;
  private closed = false;

  constructor(
    private readonly broker: Broker,
    options: GroupCoordinatorOptions = {},
  ) {
    this.minSessionTimeoutMs = options.minSessionTimeoutMs ?? DEFAULT_MIN_SESSION_TIMEOUT_MS;
    this.maxSessionTimeoutMs = options.maxSessionTimeoutMs ?? DEFAULT_MAX_SESSION_TIMEOUT_MS;
    this.busyGroups = options.busyGroups;
  }

  join(request: JoinRequest): Promise<JoinResult> {
    const { groupId, memberId } = request;
    if (this.closed) return Promise.resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
    if (groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, memberId));
    if (request.sessionTimeoutMs < this.minSessionTimeoutMs || request.sessionTimeoutMs > this.maxSessionTimeoutMs) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, memberId));
    }
    const known = this.groups.get(groupId);
    if (known === undefined && memberId !== '') return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    const group = known ?? new ConsumerGroup(groupId);
    if (!group.supports(request.protocolType, request.protocols)) return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
    if (known === undefined) this.groups.set(groupId, group);
    const settings: MemberSettings = {
      groupInstanceId: request.groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols,
    };
    if (memberId === '') return this.addMember(group, settings);
    const member = group.members.get(memberId);
    if (member === undefined) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    // A member rejoining with what it joined with gets the current generation back, unless the leader asks (it may see new topics).
    const unchanged = member.hasProtocols(request.protocols);
    if (group.state === 'CompletingRebalance' && unchanged) return Promise.resolve(group.joinResult(ErrorCode.NONE, memberId));
    if (group.state === 'Stable' && unchanged && memberId !== group.leaderId) return Promise.resolve(group.joinResult(ErrorCode.NONE, memberId));
    return this.rejoin(group, member, settings);
  }

  sync(request: SyncRequest): Promise<SyncResult> {
    if (this.closed) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const group = this.groups.get(request.groupId);
    const member = group?.members.get(request.memberId);
    if (group === undefined || member === undefined) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (request.generation !== group.generation) return Promise.resolve(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (group.state === 'PreparingRebalance') return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
    this.touch(group, member);
    if (group.state === 'Stable') return Promise.resolve({ error: ErrorCode.NONE, assignment: member.assignment });
    const answer = new Promise<SyncResult>((resolve) => {
      member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      member.awaitingSync = resolve;
    });
    if (member.id === group.leaderId) {
      for (const each of group.members.values()) each.assignment = request.assignments.get(each.id) ?? Buffer.alloc(0);
      group.state = 'Stable';
      for (const each of group.members.values()) {
        const waiting = each.awaitingSync;
        each.awaitingSync = undefined;
        waiting?.({ error: ErrorCode.NONE, assignment: each.assignment });
      }
    }
    return answer;
  }

  heartbeat(groupId: string, generation: number, memberId: string): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (group === undefined || member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generation !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (group === undefined || member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(group, member);
    return ErrorCode.NONE;
  }

  /**
   * Whether an OffsetCommit (or, `transactional`, a TxnOffsetCommit) may
   * store its offsets (NONE) or Kafka's error for it: commits outside a
   * generation (-1) only to a group without members, otherwise from a member
   * of the current generation, not while the generation's assignments are
   * being handed out. A transactional commit naming no member and no
   * generation (TxnOffsetCommit before v3 has neither) is let through, and the
   * group's state is not checked for it, as Kafka does.
   */
  commitError(groupId: string, generation: number, memberId: string, transactional = false): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(groupId);
    if (group === undefined) return generation < 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    if (generation < 0 && group.state === 'Empty') return ErrorCode.NONE;
    if (transactional && generation < 0 && memberId === '') return ErrorCode.NONE;
    const member = group.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generation !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (!transactional && group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    this.touch(group, member);
    return ErrorCode.NONE;
  }

  /**
   * DeleteGroups of one group, as Kafka's coordinator does it: only a group
   * without members (Empty, or known only by its committed offsets) goes,
   * with its committed offsets; one with members, or a running query's
   * group, is NON_EMPTY_GROUP; one nobody knows GROUP_ID_NOT_FOUND.
   */
  deleteGroup(groupId: string): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    // A running query's group is live even before it committed anything.
    if (this.busyGroups?.isBusy(groupId) === true) return ErrorCode.NON_EMPTY_GROUP;
    const group = this.groups.get(groupId);
    if (group === undefined && !this.broker.listGroups().includes(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group !== undefined && group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    this.broker.deleteGroup(groupId);
    this.groups.delete(groupId);
    return ErrorCode.NONE;
  }

  /** A group as DescribeGroups tells it: one known only by its committed offsets is Empty, an unknown one Dead. */
  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (group === undefined) {
      const state = this.broker.listGroups().includes(groupId) ? 'Empty' : 'Dead';
      return { groupId, state, protocolType: '', protocol: '', members: [] };
    }
    const protocol = group.protocol ?? '';
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocol,
      members: [...group.members.values()].map((m) => ({
        memberId: m.id,
        groupInstanceId: m.settings.groupInstanceId,
        clientId: m.settings.clientId,
        clientHost: m.settings.clientHost,
        // Kafka describes metadata and assignments only once the group is Stable.
        metadata: group.state === 'Stable' ? m.metadataFor(protocol) : Buffer.alloc(0),
        assignment: group.state === 'Stable' ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  /** Every group: those with members or a generation here, and those with committed offsets in the log (ksqlite's query groups too). */
  listGroups(): { readonly groupId: string; readonly protocolType: string }[] {
    const listed = new Map<string, string>();
    for (const groupId of this.broker.listGroups()) listed.set(groupId, '');
    for (const group of this.groups.values()) listed.set(group.id, group.protocolType ?? '');
    return [...listed].map(([groupId, protocolType]) => ({ groupId, protocolType })).sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /**
   * The topic partitions each member of a Stable consumer group was assigned
   * (one entry per member and partition); assignments that are not the
   * consumer protocol's are left out.
   */
  assignments(): GroupAssignment[] {
    const held: GroupAssignment[] = [];
    for (const group of this.groups.values()) {
      if (group.state !== 'Stable' || group.protocolType !== CONSUMER_PROTOCOL_TYPE) continue;
      for (const member of group.members.values()) {
        for (const { topic, partitions } of readConsumerAssignment(member.assignment) ?? []) {
          for (const partition of partitions) held.push({ group: group.id, topic, partition });
        }
      }
    }
    return held;
  }

  /** Answers every waiting JoinGroup and SyncGroup (COORDINATOR_NOT_AVAILABLE), stops every timer, refuses what comes next. */
  close(): void {
    this.closed = true;
    for (const group of this.groups.values()) {
      clearTimeout(group.rebalanceTimer);
      for (const member of group.members.values()) {
        clearTimeout(member.sessionTimer);
        this.answerWaiting(member, ErrorCode.COORDINATOR_NOT_AVAILABLE);
      }
    }
    this.groups.clear();
  }

  private addMember(group: ConsumerGroup, settings: MemberSettings): Promise<JoinResult> {
    const member = new GroupMember(`${settings.clientId}-${randomUUID()}`, settings);
    group.members.set(member.id, member);
    group.leaderId ??= member.id;
    if (group.protocolType === null || group.state === 'Empty') group.protocolType = settings.protocolType;
    const answer = new Promise<JoinResult>((resolve) => {
      member.awaitingJoin = resolve;
    });
    this.touch(group, member);
    this.rebalance(group);
    return answer;
  }

  private rejoin(group: ConsumerGroup, member: GroupMember, settings: MemberSettings): Promise<JoinResult> {
    member.settings = settings;
    const answer = new Promise<JoinResult>((resolve) => {
      // A member whose earlier JoinGroup still waits (a client retrying on a new connection) gets the latest one answered.
      member.awaitingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.id));
      member.awaitingJoin = resolve;
    });
    this.touch(group, member);
    this.rebalance(group);
    return answer;
  }

  /** Starts a rebalance unless one is under way, then completes it if every member has already joined. */
  private rebalance(group: ConsumerGroup): void {
    if (group.state !== 'PreparingRebalance') {
      if (group.state === 'CompletingRebalance') {
        // The generation being handed out is void: its waiting members must rejoin.
        for (const member of group.members.values()) {
          member.assignment = Buffer.alloc(0);
          const waiting = member.awaitingSync;
          member.awaitingSync = undefined;
          waiting?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        }
      }
      group.state = 'PreparingRebalance';
      clearTimeout(group.rebalanceTimer);
      group.rebalanceTimer = setTimeout(() => this.completeJoin(group), group.rebalanceTimeoutMs());
      group.rebalanceTimer.unref();
    }
    if (group.allMembersJoined()) this.completeJoin(group);
  }

  /** Ends the join phase: members that did not rejoin are dropped, the next generation starts with those that did. */
  private completeJoin(group: ConsumerGroup): void {
    if (group.state !== 'PreparingRebalance') return;
    clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = undefined;
    for (const member of [...group.members.values()]) {
      if (member.awaitingJoin !== undefined) continue;
      clearTimeout(member.sessionTimer);
      group.members.delete(member.id);
    }
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value ?? null;
    group.generation += 1;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocol = null;
      return;
    }
    group.protocol = group.selectProtocol();
    group.state = 'CompletingRebalance';
    for (const member of group.members.values()) {
      const waiting = member.awaitingJoin!;
      member.awaitingJoin = undefined;
      this.touch(group, member);
      waiting(group.joinResult(ErrorCode.NONE, member.id));
    }
  }

  private removeMember(group: ConsumerGroup, member: GroupMember): void {
    clearTimeout(member.sessionTimer);
    group.members.delete(member.id);
    this.answerWaiting(member, ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.leaderId === member.id) group.leaderId = group.members.keys().next().value ?? null;
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.rebalance(group);
    else if (group.state === 'PreparingRebalance' && group.allMembersJoined()) this.completeJoin(group);
  }

  private answerWaiting(member: GroupMember, error: number): void {
    const join = member.awaitingJoin;
    const sync = member.awaitingSync;
    member.awaitingJoin = undefined;
    member.awaitingSync = undefined;
    join?.(joinError(error, member.id));
    sync?.(syncError(error));
  }

  /** Restarts the member's session timer: it is dropped when nothing is heard from it for its session timeout. */
  private touch(group: ConsumerGroup, member: GroupMember): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => this.sessionExpired(group, member), member.settings.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private sessionExpired(group: ConsumerGroup, member: GroupMember): void {
    if (group.members.get(member.id) !== member) return;
    // A member waiting for the coordinator's answer cannot heartbeat meanwhile (Kafka keeps it alive too).
    if (member.awaitingJoin !== undefined || member.awaitingSync !== undefined) this.touch(group, member);
    else this.removeMember(group, member);
  }
}
