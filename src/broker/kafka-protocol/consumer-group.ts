/**
 * One consumer group as Kafka's group coordinator keeps it in memory: its
 * state, generation, the protocol chosen for the generation, its leader and
 * its members with what each is waiting for (a JoinGroup or SyncGroup answer)
 * and its session timer. The rules that move a group between states live in
 * group-coordinator.ts; this file holds the data and the questions asked of it.
 */

/** Kafka's group states (org.apache.kafka.coordinator.group GroupState, classic protocol). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** A protocol (an assignor, for consumers) a member can speak, with its opaque metadata (the subscription). */
export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

/** The answer to a JoinGroup. */
export interface JoinResult {
  readonly error: number;
  readonly generation: number;
  /** The chosen protocol, '' on error. */
  readonly protocol: string;
  readonly leaderId: string;
  readonly memberId: string;
  /** Every member with its metadata for the chosen protocol: sent to the leader only. */
  readonly members: readonly JoinedMember[];
}

/** The answer to a SyncGroup: the member's assignment bytes, as the leader gave them. */
export interface SyncResult {
  readonly error: number;
  readonly assignment: Buffer;
}

export interface MemberSettings {
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
}

export class GroupMember {
  assignment: Buffer = Buffer.alloc(0);
  /** Set while the member's JoinGroup waits for the rebalance to complete. */
  awaitingJoin: ((result: JoinResult) => void) | undefined;
  /** Set while the member's SyncGroup waits for the leader's assignments. */
  awaitingSync: ((result: SyncResult) => void) | undefined;
  sessionTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    public settings: MemberSettings,
  ) {}

  /** The member's metadata for `protocol` (one it lists). */
  metadataFor(protocol: string): Buffer {
    return this.settings.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0);
  }

  /** Whether `protocols` are the ones the member last joined with, metadata included. */
  hasProtocols(protocols: readonly GroupProtocol[]): boolean {
    const own = this.settings.protocols;
    return own.length === protocols.length && own.every((p, i) => p.name === protocols[i]!.name && p.metadata.equals(protocols[i]!.metadata));
  }
}

export class ConsumerGroup {
  state: GroupState = 'Empty';
  generation = 0;
  protocolType: string | null = null;
  /** The protocol of the current generation; null while the group is Empty. */
  protocol: string | null = null;
  leaderId: string | null = null;
  /** In join order, which is the order the leader sees them in. */
  readonly members = new Map<string, GroupMember>();
  rebalanceTimer: NodeJS.Timeout | undefined;

  constructor(readonly id: string) {}

  /** The protocols every member lists. */
  private candidateProtocols(): Set<string> {
    let candidates: Set<string> | undefined;
    for (const member of this.members.values()) {
      const names = new Set(member.settings.protocols.map((p) => p.name));
      candidates = candidates === undefined ? names : new Set([...candidates].filter((name) => names.has(name)));
    }
    return candidates ?? new Set();
  }

  /** Kafka's check before a join: the same protocol type, and a protocol in common with every member. */
  supports(protocolType: string, protocols: readonly GroupProtocol[]): boolean {
    if (protocolType === '' || protocols.length === 0) return false;
    if (this.members.size === 0) return true;
    const candidates = this.candidateProtocols();
    return protocolType === this.protocolType && protocols.some((p) => candidates.has(p.name));
  }

  /** Each member votes for the first protocol it lists that all list; the most votes win (ties: the earlier vote). */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.settings.protocols.find((p) => candidates.has(p.name))!.name;
      votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best = '';
    let most = 0;
    for (const [name, count] of votes) {
      if (count > most) {
        best = name;
        most = count;
      }
    }
    return best;
  }

  allMembersJoined(): boolean {
    for (const member of this.members.values()) if (member.awaitingJoin === undefined) return false;
    return true;
  }

  /** The longest rebalance timeout of the members: how long a rebalance waits for them to rejoin. */
  rebalanceTimeoutMs(): number {
    let longest = 0;
    for (const member of this.members.values()) longest = Math.max(longest, member.settings.rebalanceTimeoutMs);
    return longest;
  }

  /** The JoinGroup answer for `memberId` in the current generation (the leader gets every member's metadata). */
  joinResult(error: number, memberId: string): JoinResult {
    const protocol = this.protocol ?? '';
    const members = memberId === this.leaderId
      ? [...this.members.values()].map((m) => ({ memberId: m.id, groupInstanceId: m.settings.groupInstanceId, metadata: m.metadataFor(protocol) }))
      : [];
    return { error, generation: this.generation, protocol, leaderId: this.leaderId ?? '', memberId, members };
  }
}
