/**
 * One server's membership in a persistent query's consumer group
 * (`_confluent-ksql-<service id>_query_<id>`) on a Kafka cluster: every
 * server runs every persistent query as a member, and the group's leader
 * spreads the query's tasks over them (`task-assignor.ts`), sending each
 * member its tasks and where every task runs (`query-group-protocol.ts`).
 *
 * It speaks the classic group protocol itself (JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup) over kafkajs' connection to the group coordinator,
 * on connections of its own (a JoinGroup waits for the whole group, and a
 * broker answers a connection's requests in order). kafkajs' consumer is not
 * used: it speaks only the consumer protocol type, fetches the topics it
 * subscribes to, heartbeats only from its fetch loop and has no awaited
 * revocation.
 *
 * Rebalances are cooperative, as Kafka Streams' are: a member keeps running
 * its tasks while the group rebalances; a task leaving it is revoked
 * (`onRevoke`, awaited: the task commits and closes) before `onAssignment`
 * tells the new generation's tasks, and the member then rejoins at once, so
 * that the task's new member gets it only in the generation after. A member
 * the coordinator dropped (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, or nothing
 * heard for a whole session timeout) revokes all its tasks before joining
 * again: others may run them already.
 */
import type { KafkaConfig } from 'kafkajs';
import { BrokerError } from '../broker-error.js';
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { kafkaError, kafkaTypeOf } from './kafka-errors.js';
import { KafkajsCluster, type KafkajsGroupCoordinator } from './kafkajs-cluster.js';
import {
  decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription,
  QUERY_GROUP_PROTOCOL, QUERY_GROUP_PROTOCOL_TYPE, type QueryAssignment,
} from './query-group-protocol.js';
import { DEFAULT_QUERY_GROUP_SETTINGS, type QueryGroupSettings } from './query-group-settings.js';
import { assignTasks, type TaskId } from './task-assignor.js';

export interface QueryGroupMembershipOptions {
  readonly groupId: string;
  /** This server's URL (`application.server`), where the tasks it runs are served. */
  readonly host: string;
  /** The tasks this server can run. */
  readonly tasks: readonly TaskId[];
  readonly settings?: QueryGroupSettings;
  /** The tasks this member no longer runs: resolve once they are committed and closed. */
  onRevoke(tasks: readonly TaskId[]): void | Promise<void>;
  /** Each generation's assignment, after the revocations it implies. */
  onAssignment(assignment: QueryAssignment): void | Promise<void>;
  /**
   * The membership failed for good (a callback threw, the group refused this
   * member's protocol or session timeout, an unreadable assignment): it takes
   * no further part in the group; `leave()` revokes its tasks and leaves.
   */
  onError?(error: BrokerError): void;
}

/** Kafka's answers saying this member is no longer in the generation it thinks. */
const DROPPED = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']);
/** Kafka's answers that no retry changes. */
const FATAL = new Set([
  'INCONSISTENT_GROUP_PROTOCOL', 'INVALID_GROUP_ID', 'INVALID_SESSION_TIMEOUT', 'GROUP_AUTHORIZATION_FAILED',
  'GROUP_MAX_SIZE_REACHED', 'UNSUPPORTED_VERSION',
]);

/** kafkajs' refusal of this client's credentials: no retry changes it either. */
function isAuthenticationFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'KafkaJSSASLAuthenticationError';
}

/** How long an offset commit refused during a rebalance waits before it is tried again. */
const COMMIT_RETRY_MS = 50;

/** A failure of the caller's callback: never retried. */
class CallbackFailure extends Error {}

type Rejoin = 'rebalance' | 'dropped';

export class QueryGroupMembership {
  readonly groupId: string;
  readonly #config: KafkaConfig;
  readonly #cluster: KafkajsCluster;
  readonly #options: QueryGroupMembershipOptions;
  readonly #settings: QueryGroupSettings;
  #coordinator: KafkajsGroupCoordinator | null = null;
  #memberId = '';
  /** The generation this member is in (-1 when none). */
  #generation = -1;
  /** The tasks it runs now and the generation that gave them. */
  #active: readonly TaskId[] = [];
  #standby: readonly TaskId[] = [];
  #ownedGeneration = -1;
  #assignment: QueryAssignment | null = null;
  #rejoin: Rejoin | null = null;
  #joining = false;
  #stopping = false;
  #wake: (() => void) | null = null;
  #heartbeatGeneration = -1;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #lastHeartbeat = 0;
  readonly #loop: Promise<void>;
  #left: Promise<void> | null = null;

  private constructor(config: KafkaConfig, cluster: KafkajsCluster, options: QueryGroupMembershipOptions) {
    this.groupId = options.groupId;
    this.#config = config;
    this.#cluster = cluster;
    this.#options = options;
    this.#settings = options.settings ?? DEFAULT_QUERY_GROUP_SETTINGS;
    this.#loop = this.#run().catch((error: unknown) => this.#fail(error));
  }

  /** Connects to the cluster `config` names and starts taking part in the group (assignments come through the callbacks). */
  static async join(config: KafkaConfig, options: QueryGroupMembershipOptions): Promise<QueryGroupMembership> {
    const cluster = new KafkajsCluster(config);
    try {
      await cluster.connect();
    } catch (error) {
      await cluster.disconnect().catch(() => undefined);
      throw kafkaError(error, `Joining query group '${options.groupId}'`);
    }
    return new QueryGroupMembership(config, cluster, options);
  }

  /** Its member id in the group ('' before its first join answer). */
  get memberId(): string {
    return this.#memberId;
  }

  /** The generation it is in (-1 between generations): what its offset commits outside a transaction must name. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Commits `offsets` for the group outside a transaction (at-least-once
   * tasks), as this member of its current generation: the coordinator takes
   * no such commit from outside the generation. While the group rebalances
   * (REBALANCE_IN_PROGRESS, or a generation this member has not learned
   * yet), it tries again until a session timeout passed; a member the group
   * dropped fails, and its task's input is then read again from the offsets
   * committed before.
   */
  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) {
      const list = byTopic.get(o.topic) ?? [];
      list.push({ partition: o.partition, offset: String(o.offset) });
      byTopic.set(o.topic, list);
    }
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    const giveUpAt = Date.now() + this.#settings.sessionTimeoutMs;
    for (;;) {
      try {
        const coordinator = await this.#coordinatorBroker();
        await coordinator.offsetCommit({ groupId: this.groupId, groupGenerationId: this.#generation, memberId: this.#memberId, retentionTime: -1, topics });
        return;
      } catch (error) {
        const type = kafkaTypeOf(error);
        const rebalancing = type === 'REBALANCE_IN_PROGRESS' || type === 'ILLEGAL_GENERATION' || this.#generation < 0;
        if (!rebalancing || this.left || Date.now() >= giveUpAt) throw kafkaError(error, `Committing the offsets of query group '${this.groupId}'`);
        if (type === undefined) this.#coordinator = null;
        await new Promise((resolve) => setTimeout(resolve, COMMIT_RETRY_MS));
      }
    }
  }

  /** The last assignment it applied. */
  get assignment(): QueryAssignment | null {
    return this.#assignment;
  }

  /** Whether `leave()` was called (the membership is leaving or has left). */
  get left(): boolean {
    return this.#left !== null;
  }

  /**
   * Leaves the group: waits for a callback under way, revokes its active
   * tasks (awaited) and sends LeaveGroup, so the group rebalances without
   * waiting for its session to expire; then closes its connections. A
   * JoinGroup under way is not waited for (it may wait for the whole group):
   * LeaveGroup goes on connections of its own and ends it.
   */
  leave(): Promise<void> {
    this.#left ??= this.#leave();
    return this.#left;
  }

  async #leave(): Promise<void> {
    this.#stopping = true;
    this.#stopHeartbeats();
    this.#wakeUp();
    if (!this.#joining) await this.#loop;
    const revoked = this.#active;
    this.#active = [];
    try {
      if (revoked.length > 0) await this.#options.onRevoke(revoked);
    } catch (error) {
      this.#options.onError?.(kafkaError(error, `Revoking the tasks of query group '${this.groupId}'`));
    }
    // Best effort: a member that cannot say goodbye is dropped when its session times out.
    await this.#sendLeaveGroup().catch(() => undefined);
    await this.#loop;
    await this.#cluster.disconnect().catch(() => undefined);
  }

  async #sendLeaveGroup(): Promise<void> {
    if (this.#memberId === '') return;
    const request = { groupId: this.groupId, memberId: this.#memberId };
    if (!this.#joining) {
      await (await this.#coordinatorBroker()).leaveGroup(request);
      return;
    }
    // The join holds this membership's connection to the coordinator until it is answered.
    const other = new KafkajsCluster(this.#config);
    try {
      await other.connect();
      await (await other.groupCoordinator(this.groupId)).leaveGroup(request);
    } finally {
      await other.disconnect().catch(() => undefined);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        if (this.#rejoin === 'dropped') await this.#revokeAll();
        this.#rejoin = null;
        // leave() may have come during the revocation: it waits for this loop, which must not join again.
        if (this.#stopping) return;
        const assignment = await this.#joinAndSync();
        if (this.#stopping) return;
        this.#startHeartbeats();
        await this.#apply(assignment);
        await this.#sleep(undefined);
      } catch (error) {
        if (this.#stopping) return;
        const type = kafkaTypeOf(error);
        if (type === 'REBALANCE_IN_PROGRESS') continue;
        if (type !== undefined && DROPPED.has(type)) {
          if (type === 'UNKNOWN_MEMBER_ID') this.#memberId = '';
          this.#requestRejoin('dropped');
          continue;
        }
        if (error instanceof CallbackFailure || error instanceof BrokerError || (type !== undefined && FATAL.has(type)) || isAuthenticationFailure(error)) {
          this.#fail(error instanceof CallbackFailure ? error.cause : error);
          return;
        }
        // The coordinator moved, went away or did not answer: find it again.
        this.#coordinator = null;
        await this.#sleep(this.#settings.heartbeatIntervalMs);
      }
    }
  }

  #fail(error: unknown): void {
    this.#stopping = true;
    this.#stopHeartbeats();
    try {
      this.#options.onError?.(kafkaError(error, `Taking part in query group '${this.groupId}'`));
    } catch {
      // The caller's own error handler failed: there is no one left to tell, and the loop must not reject unobserved.
    }
  }

  async #coordinatorBroker(): Promise<KafkajsGroupCoordinator> {
    this.#coordinator ??= await this.#cluster.groupCoordinator(this.groupId);
    return this.#coordinator;
  }

  async #joinAndSync(): Promise<QueryAssignment> {
    this.#stopHeartbeats();
    this.#joining = true;
    try {
      const coordinator = await this.#coordinatorBroker();
      const metadata = encodeSubscription({
        host: this.#options.host,
        tasks: this.#options.tasks,
        ownedActive: this.#active,
        ownedStandby: this.#standby,
        ownedGeneration: this.#ownedGeneration,
      });
      const joined = await coordinator.joinGroup({
        groupId: this.groupId,
        sessionTimeout: this.#settings.sessionTimeoutMs,
        rebalanceTimeout: this.#settings.rebalanceTimeoutMs,
        memberId: this.#memberId,
        protocolType: QUERY_GROUP_PROTOCOL_TYPE,
        groupProtocols: [{ name: QUERY_GROUP_PROTOCOL, metadata }],
      });
      this.#memberId = joined.memberId;
      this.#generation = joined.generationId;
      const groupAssignment = joined.leaderId === joined.memberId ? this.#assign(joined.generationId, joined.members) : [];
      const synced = await coordinator.syncGroup({ groupId: this.groupId, generationId: joined.generationId, memberId: joined.memberId, groupAssignment });
      // The leader gave this member nothing (a generation voided under it): join again after a pause.
      if (synced.memberAssignment.length === 0) throw new Error(`no assignment for member '${joined.memberId}' in generation ${joined.generationId}`);
      return decodeAssignment(synced.memberAssignment);
    } finally {
      this.#joining = false;
    }
  }

  /** The leader's work: every member's assignment for `generation`. */
  #assign(generation: number, members: readonly { readonly memberId: string; readonly memberMetadata: Buffer }[]): { memberId: string; memberAssignment: Buffer }[] {
    const plan = assignTasks(members.map((m) => decodeSubscription(m.memberId, m.memberMetadata)), this.#settings.standbyReplicas);
    return [...plan.members].map(([memberId, tasks]) => ({
      memberId,
      memberAssignment: encodeAssignment({ generation, active: tasks.active, standby: tasks.standby, hosts: plan.hosts }),
    }));
  }

  /** Revokes what leaves this member, then hands over the generation's assignment; rejoins after a revocation. */
  async #apply(assignment: QueryAssignment): Promise<void> {
    const kept = new Set(assignment.active);
    const revoked = this.#active.filter((task) => !kept.has(task));
    if (revoked.length > 0) await this.#callback(() => this.#options.onRevoke(revoked));
    this.#active = assignment.active;
    this.#standby = assignment.standby;
    this.#ownedGeneration = assignment.generation;
    this.#assignment = assignment;
    await this.#callback(() => this.#options.onAssignment(assignment));
    // The tasks it gave up are free now: the next generation can hand them over.
    if (revoked.length > 0) this.#requestRejoin('rebalance');
  }

  /** After being dropped from the group: everything it ran may run elsewhere already. */
  async #revokeAll(): Promise<void> {
    this.#stopHeartbeats();
    const revoked = this.#active;
    this.#active = [];
    this.#standby = [];
    this.#ownedGeneration = -1;
    this.#generation = -1;
    if (revoked.length > 0) await this.#callback(() => this.#options.onRevoke(revoked));
  }

  async #callback(call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      throw new CallbackFailure('a query group callback failed', { cause: error });
    }
  }

  #requestRejoin(kind: Rejoin): void {
    if (this.#rejoin !== 'dropped') this.#rejoin = kind;
    if (kind === 'dropped') this.#stopHeartbeats();
    this.#wakeUp();
  }

  /** Waits `ms` (undefined: until woken), ending early when a rejoin is asked for or the membership stops. */
  #sleep(ms: number | undefined): Promise<void> {
    if (this.#rejoin !== null || this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.#wakeUp(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /**
   * Heartbeats every `heartbeat.interval.ms` while in a generation, also
   * during callbacks, until the next join starts.
   */
  #startHeartbeats(): void {
    const generation = this.#generation;
    this.#heartbeatGeneration = generation;
    this.#lastHeartbeat = Date.now();
    const schedule = (): void => {
      if (this.#heartbeatGeneration !== generation) return;
      this.#heartbeatTimer = setTimeout(() => void beat(), this.#settings.heartbeatIntervalMs);
    };
    const beat = async (): Promise<void> => {
      try {
        const coordinator = await this.#coordinatorBroker();
        await coordinator.heartbeat({ groupId: this.groupId, groupGenerationId: generation, memberId: this.#memberId });
        this.#lastHeartbeat = Date.now();
      } catch (error) {
        if (this.#heartbeatGeneration !== generation) return;
        const type = kafkaTypeOf(error);
        if (type === 'REBALANCE_IN_PROGRESS') {
          this.#lastHeartbeat = Date.now();
          this.#requestRejoin('rebalance');
        } else if (type !== undefined && DROPPED.has(type)) {
          if (type === 'UNKNOWN_MEMBER_ID') this.#memberId = '';
          this.#requestRejoin('dropped');
        } else {
          this.#coordinator = null;
          // Unheard for a whole session, the coordinator has dropped this member: others may run its tasks.
          if (Date.now() - this.#lastHeartbeat >= this.#settings.sessionTimeoutMs) this.#requestRejoin('dropped');
        }
      }
      schedule();
    };
    schedule();
  }

  #stopHeartbeats(): void {
    this.#heartbeatGeneration = -1;
    clearTimeout(this.#heartbeatTimer);
  }
}
