/** What the embedded broker keeps in memory about one topic and its partitions. */
import type { BatchPosition } from '../record-batch/decode-record-batch.js';
import type { TopicConfig } from '../topic-config.js';

export interface PartitionLog {
  /** The row id in broker_partitions, used as the batches' `tp`. */
  readonly id: number;
  readonly topic: string;
  readonly partition: number;
  /** The earliest readable offset (moves up with retention and deleteRecords only). */
  logStart: number;
  /** The next offset to assign. */
  logEnd: number;
  /** logEnd when compaction last finished, or -1 when it never ran in this process. */
  cleanEnd: number;
  /** The earliest delete horizon of a tombstone compaction kept (Infinity when none). */
  nextTombstoneExpiry: number;
  /** How many transactions have data here and no marker yet (their rows in broker_txn_index). */
  openTransactions: number;
  /**
   * Where the last reads that ran out of budget inside a stored batch stopped (read-partition.ts), at most two.
   * Whatever deletes or rewrites stored batches (compaction, retention, DeleteRecords, recovery) clears them.
   */
  readCursors?: ReadCursor[] | undefined;
}

/** A stored batch a read stopped inside: verified and decompressed, and its first record not taken. */
export interface ReadCursor {
  readonly batch: Buffer;
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** The offset the next read asks for to go on from here (the read's next offset). */
  readonly nextOffset: number;
  readonly position: BatchPosition;
}

export interface TopicLog {
  readonly name: string;
  config: TopicConfig;
  /** Replaced, never changed in place, when partitions are added. */
  partitions: readonly PartitionLog[];
  /** Where null-key records go next (sticky per append call, moving on between calls). */
  nextStickyPartition: number;
}
