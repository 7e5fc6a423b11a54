/**
 * Kafka's producer ids and transaction coordinator, as the log offers them to
 * the Kafka listener: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn,
 * TxnOffsetCommit and EndTxn. Every call is one storage transaction, so a
 * transaction's state, its markers and its group offsets change together.
 * Failures are BrokerErrors naming Kafka's conditions (PRODUCER_FENCED,
 * INVALID_PRODUCER_ID_MAPPING, INVALID_TXN_STATE, ...).
 */
import type { TopicPartitionOffset } from './topic-partition-offset.js';

export interface ProducerIdAndEpoch {
  readonly producerId: number;
  readonly epoch: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** An aborted transaction as Fetch lists it: read_committed clients drop its records. */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** Kafka's `transaction.max.timeout.ms` default: a longer transaction timeout is refused. */
export const MAX_TRANSACTION_TIMEOUT_MS = 900_000;

export interface TransactionCoordinator {
  /**
   * A new producer id (epoch 0) for an idempotent producer; for a
   * transactional id, its producer id with the epoch bumped, which fences the
   * previous producer and aborts its open transaction. `current` (InitProducerId
   * v3+) must name the id's current producer and epoch when given.
   */
  initProducerId(transactionalId: string | null, timeoutMs: number, current: ProducerIdAndEpoch | null): ProducerIdAndEpoch;
  /** Adds partitions to the producer's transaction, starting it when none is ongoing. */
  addPartitions(transactionalId: string, producer: ProducerIdAndEpoch, partitions: readonly TopicPartition[]): void;
  /** AddOffsetsToTxn: starts the producer's transaction when none is ongoing; the offsets come with `commitOffsets`. */
  addOffsets(transactionalId: string, producer: ProducerIdAndEpoch): void;
  /** Offsets of `group` that become committed only when the ongoing transaction commits. */
  commitOffsets(transactionalId: string, producer: ProducerIdAndEpoch, group: string, offsets: readonly TopicPartitionOffset[]): void;
  /** Whether an ongoing transaction holds an offset of `group` for the partition, not committed yet (OffsetFetch's require_stable). */
  hasPendingOffset(group: string, topic: string, partition: number): boolean;
  /** Ends the ongoing transaction: a COMMIT or ABORT marker in each of its partitions; on commit, its group offsets. */
  endTransaction(transactionalId: string, producer: ProducerIdAndEpoch, commit: boolean): void;
  /** Aborts the transactions ongoing for longer than their timeout (fencing their producers); returns their ids. */
  abortTimedOut(now?: number): string[];
}
