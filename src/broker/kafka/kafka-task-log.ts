/**
 * The task log on a Kafka cluster: what persistent-query tasks and transient
 * readers need (task-log.ts), over the cluster client. Exactly-once as Kafka
 * Streams' per-task producers: each task claims its transactional id
 * (`<group>-<taskId>`) when it starts, which fences a previous owner (a task
 * that moved to another server) by producer epoch and completes or aborts
 * what that owner left open, so the group's committed offsets it reads next
 * are final. A commit is one Kafka transaction (the outputs and changelog
 * records, then the input offsets through the transaction); after it
 * committed, the participants checkpoint the local stores with the end
 * offsets the produce responses gave. A fenced producer rejects with
 * ProducerFencedError (the task moved: it must stop); any other failure
 * aborts the transaction and rejects, keeping nothing, and the append
 * buffers keep their records. A commit whose outcome is unknown (its EndTxn
 * never answered) drops the session: the next claim of the id settles it.
 * A task under at_least_once (TransactionRequest.atLeastOnce) commits
 * without a transaction: outputs first, through the idempotent producer,
 * then the offsets (its claim still fences and settles a previous owner's
 * transactions, left from exactly-once runs).
 *
 * Reads are read_committed. `latestOffset` answers the last stable offset a
 * fetch learned while that is fresh (so a task that read it all sees it has
 * caught up and commits at once); once stale, it answers past anything a
 * reader has read, and the reader's fetch from the end waits at the leader
 * for records (a long poll): an idle reader costs one request per wait.
 */
import type { CommitPositions, FetchResult, ReadLimits, TransactionRequest } from '../broker.js';
import { BrokerError, isBrokerError } from '../broker-error.js';
import type { TaskLog } from '../task-log.js';
import { KafkaAppendBuffer, type PlacedRecords } from './kafka-append-buffer.js';
import type { KafkaClusterClient } from './kafka-cluster-client.js';
import type { ProducedPartition, TransactionalSession, TransactionalSessionOptions } from './transactional-session.js';

export interface KafkaTaskLogOptions extends TransactionalSessionOptions {
  /** How long a reader's fetch from the end of a partition waits at the leader for records (default 500 ms). */
  readonly fetchMaxWaitMs?: number;
  /** How long the end a fetch learned stands before readers are sent to fetch again (default 100 ms). */
  readonly endFreshMs?: number;
}

/** What the task log uses of the cluster client. */
export type TaskLogCluster = Pick<KafkaClusterClient, 'admin' | 'openSession' | 'fetch' | 'listOffset' | 'partitionCount' | 'produce' | 'commitGroupOffsets'>;

export interface KafkaTaskLog extends TaskLog {
  readonly restoresState: true;
  readonly commitsOnInterval: true;
  /** Where a reader starts without a committed offset: the partition's log start, or its read_committed end. */
  startOffset(topic: string, partition: number, reset: 'earliest' | 'latest'): Promise<number>;
  /** Closes the task producers it opened (an open transaction is aborted by the cluster). */
  close(): Promise<void>;
}

/** The last stable offset of a partition as a fetch saw it, and when. */
interface KnownEnd {
  readonly end: number;
  readonly at: number;
}

const DEFAULT_FETCH_MAX_WAIT_MS = 500;
const DEFAULT_END_FRESH_MS = 100;
/** What `latestOffset` answers for a partition whose end is unknown or stale: past any reader's position. */
const PAST_ANY_READ = Number.MAX_SAFE_INTEGER;

const partitionKey = (topic: string, partition: number): string => `${partition}:${topic}`;

export function kafkaTaskLog(cluster: TaskLogCluster, options: KafkaTaskLogOptions = {}): KafkaTaskLog {
  const fetchMaxWaitMs = options.fetchMaxWaitMs ?? DEFAULT_FETCH_MAX_WAIT_MS;
  const endFreshMs = options.endFreshMs ?? DEFAULT_END_FRESH_MS;
  const sessionOptions: TransactionalSessionOptions = options.transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs: options.transactionTimeoutMs };
  const ends = new Map<string, KnownEnd>();
  const sessions = new Map<string, Promise<TransactionalSession>>();
  const partitionCounts = new Map<string, Promise<number>>();
  /** Per topic, the partition the next commit's null-key records go to (the log's sticky partitioning). */
  const sticky = new Map<string, number>();

  const learnEnd = (topic: string, partition: number, end: number): void => {
    ends.set(partitionKey(topic, partition), { end, at: Date.now() });
  };

  const dropSession = (transactionalId: string, session: Promise<TransactionalSession>): void => {
    if (sessions.get(transactionalId) === session) sessions.delete(transactionalId);
    void session.then((s) => s.close(), () => undefined).catch(() => undefined);
  };

  const openSession = (transactionalId: string): Promise<TransactionalSession> => {
    const previous = sessions.get(transactionalId);
    if (previous !== undefined) dropSession(transactionalId, previous);
    const opening = cluster.openSession(transactionalId, sessionOptions);
    sessions.set(transactionalId, opening);
    opening.catch(() => {
      if (sessions.get(transactionalId) === opening) sessions.delete(transactionalId);
    });
    return opening;
  };

  const partitionCount = (topic: string): Promise<number> => {
    let count = partitionCounts.get(topic);
    if (count === undefined) {
      count = cluster.partitionCount(topic);
      partitionCounts.set(topic, count);
      const asked = count;
      asked.catch(() => {
        if (partitionCounts.get(topic) === asked) partitionCounts.delete(topic);
      });
    }
    return count;
  };

  const place = async (buffer: KafkaAppendBuffer): Promise<PlacedRecords> => {
    const count = await partitionCount(buffer.topic);
    const turn = sticky.get(buffer.topic) ?? 0;
    sticky.set(buffer.topic, turn + 1);
    return buffer.place(count, turn % count);
  };

  /** Where the appends of `placed` end, per partition, from where each partition's batch went. */
  const endsOf = (buffers: readonly KafkaAppendBuffer[], placed: readonly PlacedRecords[], produced: ReadonlyMap<string, readonly ProducedPartition[]>): CommitPositions => {
    const endOffsets = new Map<string, number>();
    for (const [i, buffer] of buffers.entries()) {
      const bases = new Map((produced.get(buffer.topic) ?? []).map((p) => [p.partition, p.baseOffset]));
      for (const [partition, count] of placed[i]!.counts) {
        const base = bases.get(partition);
        if (base === undefined) throw new BrokerError('KAFKA_CLUSTER', `The Produce response to topic '${buffer.topic}' names no offset for partition ${partition}.`);
        endOffsets.set(partitionKey(buffer.topic, partition), base + count);
      }
    }
    return { endOffset: (topic, partition) => endOffsets.get(partitionKey(topic, partition)) };
  };

  /** Produces, sends the offsets and commits in the session's transaction; answers where the appends ended. */
  const transact = async (session: TransactionalSession, request: TransactionRequest, buffers: readonly KafkaAppendBuffer[]): Promise<CommitPositions> => {
    const placed = await Promise.all(buffers.map(place));
    await session.begin();
    try {
      // Every topic's records in one Produce per leader: each request is a round trip the commit waits for.
      const produced = await session.sendTopics(buffers.map((buffer, i) => ({ topic: buffer.topic, records: placed[i]!.records })));
      const positions = endsOf(buffers, placed, produced);
      if (request.offsets !== undefined && request.offsets.offsets.length > 0) await session.sendOffsets(request.offsets.group, request.offsets.offsets);
      await session.commit();
      return positions;
    } catch (error) {
      if (session.state === 'in-transaction') await session.abort().catch(() => undefined);
      throw error;
    }
  };

  /**
   * At-least-once, Kafka Streams' order: the outputs and changelog records go
   * out through the idempotent producer and are acknowledged by every replica
   * (acks=all) before the input offsets are committed (OffsetCommit). A crash
   * or failure between leaves the offsets behind: the input is read and
   * processed again (duplicates downstream), never lost.
   */
  const produceThenCommitOffsets = async (request: TransactionRequest, buffers: readonly KafkaAppendBuffer[]): Promise<CommitPositions> => {
    const placed = await Promise.all(buffers.map(place));
    const produced = new Map<string, ProducedPartition[]>();
    await Promise.all(buffers.map(async (buffer, i) => {
      const now = Date.now();
      const records = placed[i]!.records.map((r) => ({ ...r, partition: r.partition!, timestamp: r.timestamp ?? now }));
      const appended = await cluster.produce(buffer.topic, records);
      const bases = new Map<number, number>();
      for (const a of appended) if (!bases.has(a.partition)) bases.set(a.partition, a.offset);
      produced.set(buffer.topic, [...bases].map(([partition, baseOffset]) => ({ partition, baseOffset })));
    }));
    const positions = endsOf(buffers, placed, produced);
    if (request.offsets !== undefined && request.offsets.offsets.length > 0) await cluster.commitGroupOffsets(request.offsets.group, request.offsets.offsets);
    return positions;
  };

  return {
    restoresState: true,
    commitsOnInterval: true,

    claim: async (transactionalId: string): Promise<void> => {
      await openSession(transactionalId);
    },

    committedOffset: async (group: string, topic: string, partition: number): Promise<number | null> => {
      const committed = await cluster.admin.committedOffsets(group);
      return committed.find((o) => o.topic === topic && o.partition === partition)?.offset ?? null;
    },

    latestOffset: (topic: string, partition: number): number => {
      const known = ends.get(partitionKey(topic, partition));
      return known !== undefined && Date.now() - known.at < endFreshMs ? known.end : PAST_ANY_READ;
    },

    fetch: async (topic: string, partition: number, fromOffset: number, limits: ReadLimits = {}): Promise<FetchResult> => {
      const known = ends.get(partitionKey(topic, partition));
      // A reader at the end it knows waits at the leader for what comes next; one behind it takes what is there.
      const maxWaitMs = known !== undefined && fromOffset >= known.end && limits.noWait !== true ? fetchMaxWaitMs : 0;
      const fetchOptions = { maxWaitMs, ...(limits.maxBytes === undefined ? {} : { maxBytes: limits.maxBytes }) };
      let from = fromOffset;
      let fetched;
      try {
        fetched = await cluster.fetch(topic, partition, from, fetchOptions);
      } catch (error) {
        // Retention or DeleteRecords removed the records before it: read from the log start, as the log's readers do.
        if (!isBrokerError(error, 'OFFSET_OUT_OF_RANGE')) throw error;
        from = await cluster.listOffset(topic, partition, 'earliest');
        if (from <= fromOffset) throw error;
        fetched = await cluster.fetch(topic, partition, from, { ...fetchOptions, maxWaitMs: 0 });
      }
      learnEnd(topic, partition, fetched.lastStableOffset);
      const maxRecords = limits.maxRecords ?? 500;
      const endOffset = fetched.lastStableOffset;
      if (fetched.records.length <= maxRecords) return { records: fetched.records, nextOffset: fetched.nextOffset, endOffset };
      const records = fetched.records.slice(0, maxRecords);
      return { records, nextOffset: fetched.records[maxRecords]!.offset, endOffset };
    },

    createAppendBuffer: (topic: string) => new KafkaAppendBuffer(topic),

    commit: async (request: TransactionRequest): Promise<void> => {
      const { transactionalId } = request;
      if (transactionalId === undefined) throw new BrokerError('INVALID_TXN_STATE', 'A commit to a Kafka cluster needs the task\'s transactional id.');
      const buffers = (request.appends ?? []).map((buffer) => {
        if (!(buffer instanceof KafkaAppendBuffer)) throw new BrokerError('INVALID_RECORD', 'An append buffer must come from the task log that commits it.');
        return buffer;
      }).filter((buffer) => buffer.size > 0);
      let positions: CommitPositions;
      if (request.atLeastOnce === true) {
        positions = await produceThenCommitOffsets(request, buffers);
      } else {
        const opening = sessions.get(transactionalId) ?? openSession(transactionalId);
        const session = await opening;
        try {
          positions = await transact(session, request, buffers);
        } catch (error) {
          // A failed commit or abort leaves the outcome unknown: the next claim of the id settles it.
          if (session.state === 'broken') dropSession(transactionalId, opening);
          throw error;
        }
      }
      for (const buffer of buffers) buffer.clear();
      for (const participant of request.participants ?? []) participant.commit(positions);
    },

    deleteRecords: async (topic: string, partition: number, beforeOffset: number): Promise<void> => {
      await cluster.admin.deleteRecords(topic, partition, beforeOffset);
    },

    deleteGroup: (group: string): Promise<void> => cluster.admin.deleteGroup(group),

    startOffset: async (topic: string, partition: number, reset: 'earliest' | 'latest'): Promise<number> => cluster.listOffset(topic, partition, reset),

    close: async (): Promise<void> => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((s) => s.then((session) => session.close())));
    },
  };
}
