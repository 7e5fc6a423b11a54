/**
 * What a task needs from the log (persistent tasks and transient readers
 * alike). Calls at a batch boundary (reading where a group stands, a fetch,
 * a commit, a purge) may complete later: a Kafka-backed log answers them
 * over the network, the embedded one at once (`brokerTaskLog`). Per record
 * everything stays synchronous: operators only add records to append
 * buffers, which hold them until the commit.
 *
 * A commit is all or nothing. On the embedded log it is one SQLite
 * transaction (outputs, offsets, then the state participants' writes); on
 * Kafka one Kafka transaction (outputs and changelog records, input offsets
 * through the transaction), after which the participants checkpoint the
 * local copy of the stores. A commit that throws or rejects keeps nothing;
 * its append buffers still hold their records.
 */
import type { MaybeAsync } from '../common/maybe-async.js';
import type { AppendBuffer, FetchResult, ReadLimits, TransactionRequest } from './broker.js';

export interface TaskLog {
  /**
   * False when the log commits the stores in its own transaction (the embedded log: state and log share one SQLite
   * file); true when the stores are a local checkpoint of their changelog topics that a task must bring up to the
   * changelog's end before processing (a remote log such as Kafka).
   */
  readonly restoresState: boolean;
  /**
   * True when a commit costs round trips (a Kafka transaction): tasks then commit every commit.interval.ms, as Kafka
   * Streams does, not at each poll that caught up with its input. Absent on the embedded log (a local transaction).
   */
  readonly commitsOnInterval?: boolean;
  /**
   * Takes the task's identity (`TransactionRequest.transactionalId`) before it reads where its group stands: a
   * remote log opens the task's transactional producer, which fences the one of a previous owner and completes or
   * aborts what that one left open, so the committed offsets read next are final. Absent on the embedded log.
   */
  claim?(transactionalId: string): MaybeAsync<void>;
  /**
   * How many records a task's read asks for at least. A remote log answers a round trip with what it fetched, so
   * tasks ask for many (10,000 when absent); the embedded log decodes what it is asked for at once, and records
   * decoded long before they are processed outlive the young generation of the heap, so tasks ask it for a turn's.
   */
  readonly readRecords?: number;
  /** Where `group` committed in the partition, or null when it never did. */
  committedOffset(group: string, topic: string, partition: number): MaybeAsync<number | null>;
  /**
   * The end of what readers read, as far as the log knows without asking.
   * Readers fetch only below it, so an idle one costs nothing: a remote log
   * keeps it fresh from its own fetching, or answers past what readers have
   * read and lets their fetch wait for records (a long poll).
   */
  latestOffset(topic: string, partition: number): number;
  /**
   * Records from `fromOffset`, or from the log start when retention or
   * DeleteRecords removed the records before it; read committed.
   */
  fetch(topic: string, partition: number, fromOffset: number, limits?: ReadLimits): MaybeAsync<FetchResult>;
  /** A buffer staging records for `topic` until a `commit`; adding a record is synchronous. */
  createAppendBuffer(topic: string): AppendBuffer;
  commit(request: TransactionRequest): MaybeAsync<void>;
  /** Deletes the partition's records before `beforeOffset` (a repartition topic's purge); nothing when none are. */
  deleteRecords(topic: string, partition: number, beforeOffset: number): MaybeAsync<void>;
  /** Deletes a group with no members and its committed offsets (a push join's, when it ends); nothing when there is none. */
  deleteGroup(group: string): MaybeAsync<void>;
}
