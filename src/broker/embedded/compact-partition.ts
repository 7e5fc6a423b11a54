/**
 * Kafka's compact policy: keep only the latest record per key. Batches keep
 * their base offset and span (offsets are never renumbered), so compacted
 * batches have gaps and fully superseded batches disappear. A tombstone that
 * is the latest for its key survives for delete.retention.ms after the first
 * compaction that saw it (its batch's delete horizon), then goes too.
 * Batches of transactions (and their markers) are kept whole and do not
 * supersede other records: rewriting them would drop the producer fields
 * read_committed readers go by.
 *
 * As Kafka's cleaner does, a compaction maps the keys of the log's dirty
 * part (appended since the last compaction finished) to their latest
 * offsets, then cleans every batch up to where the log ended when it began:
 * a record goes when its key has a later offset in the map. It runs in
 * steps, each its caller's transaction, each ending when its budget says so
 * (asked after every batch), so a large log never holds the event loop
 * long. Every step leaves a valid log: a record only goes when a later
 * record of its key exists, which only goes in turn when superseded itself
 * (or as an expired tombstone); so a crash, an append or another compaction
 * between steps loses nothing, and later batches are the next one's.
 */
import type { ConsumedRecord } from '../broker.js';
import { isTransactionalBatch } from '../record-batch/control-batch.js';
import { decodeRecordBatch, readBatchHeader, verifyRecordBatch, type ReadBudget } from '../record-batch/decode-record-batch.js';
import { encodeRecordBatches } from '../record-batch/encode-record-batch.js';
import type { TopicConfig } from '../topic-config.js';
import type { BatchRow, BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';

export interface CompactionOutcome {
  batchesDeleted: number;
  batchesRewritten: number;
  recordsRemoved: number;
}

/** Asked after each batch a step handles: true ends the step. */
export type StepBudget = () => boolean;

/** A budget that never ends a step: the whole compaction in one. */
export const UNBOUNDED: StepBudget = () => false;

function decodeAll(row: { payload: Buffer; base_offset: number; last_offset: number }, log: PartitionLog): ConsumedRecord[] {
  const { payload } = row;
  verifyRecordBatch(payload, `${log.topic}-${log.partition} at offsets ${row.base_offset} to ${row.last_offset}`);
  const records: ConsumedRecord[] = [];
  const budget: ReadBudget = { records: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER };
  decodeRecordBatch(payload, 0, records, budget, log.topic, log.partition);
  return records;
}

function keyOf(record: ConsumedRecord): string | null {
  return record.key === null ? null : record.key.toString('latin1');
}

interface Rewrite {
  readonly id: number;
  readonly payload: Buffer;
  readonly maxTs: number;
  readonly count: number;
  readonly horizon: number | null;
}

/** One compaction of one partition, run by `step` until it says it is done. */
export class PartitionCompaction {
  readonly outcome: CompactionOutcome = { batchesDeleted: 0, batchesRewritten: 0, recordsRemoved: 0 };
  /** The latest offset of each key of the dirty part. */
  private readonly latest = new Map<string, number>();
  /** The log end when the compaction began: batches from there on are left to the next one. */
  private readonly end: number;
  private phase: 'map' | 'clean' | 'done';
  /** Where the phase's next step reads from (a batch's last offset). */
  private cursor: number;
  private nextTombstoneExpiry = Infinity;

  constructor(private readonly statements: BrokerStatements, private readonly log: PartitionLog, private readonly config: TopicConfig,
    private readonly now: number) {
    this.end = log.logEnd;
    this.phase = log.cleanEnd === log.logEnd && now < log.nextTombstoneExpiry ? 'done' : 'map';
    this.cursor = Math.max(log.cleanEnd, 0);
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  /** Does the compaction's next share of work, in the caller's transaction; true once it is done. */
  step(budget: StepBudget): boolean {
    let spent = false;
    while (!spent && this.phase !== 'done') spent = this.phase === 'map' ? this.map(budget) : this.clean(budget);
    return this.done;
  }

  private batches(): IterableIterator<BatchRow> {
    return this.statements.batchesToCompact.iterate(this.log.id, this.cursor, this.end);
  }

  /** Maps the next batches' keys; true when the budget ended the step. */
  private map(budget: StepBudget): boolean {
    for (const row of this.batches()) {
      this.cursor = row.last_offset + 1;
      if (!isTransactionalBatch(row.payload)) {
        for (const record of decodeAll(row, this.log)) {
          const key = keyOf(record);
          if (key !== null) this.latest.set(key, record.offset);
        }
      }
      if (budget()) return true;
    }
    this.phase = 'clean';
    this.cursor = 0;
    return false;
  }

  /** Cleans the next batches; true when the budget ended the step. */
  private clean(budget: StepBudget): boolean {
    const deletes: number[] = [];
    const horizons: [number, number][] = [];
    const rewrites: Rewrite[] = [];
    let finished = true;
    for (const row of this.batches()) {
      this.cursor = row.last_offset + 1;
      if (!isTransactionalBatch(row.payload)) this.cleanBatch(row, deletes, horizons, rewrites);
      if (budget()) {
        finished = false;
        break;
      }
    }
    // Written once the batches' read is over: the connection runs one statement at a time.
    for (const id of deletes) this.statements.deleteBatch.run(id);
    for (const [horizon, id] of horizons) this.statements.setDeleteHorizon.run(horizon, id);
    for (const r of rewrites) this.statements.rewriteBatch.run(r.maxTs, r.count, r.payload.length, r.horizon, r.payload, r.id);
    // A read's cursor holds a batch as it was stored (read-partition.ts).
    if (deletes.length > 0 || rewrites.length > 0) this.log.readCursors = undefined;
    this.outcome.batchesDeleted += deletes.length;
    this.outcome.batchesRewritten += rewrites.length;
    if (!finished) return true;
    this.statements.updatePartitionBounds.run(this.log.logStart, this.log.logEnd, this.log.id);
    this.log.cleanEnd = this.end;
    this.log.nextTombstoneExpiry = this.nextTombstoneExpiry;
    this.phase = 'done';
    return false;
  }

  private cleanBatch(row: BatchRow, deletes: number[], horizons: [number, number][], rewrites: Rewrite[]): void {
    const records = decodeAll(row, this.log);
    const kept: ConsumedRecord[] = [];
    let keptTombstone = false;
    for (const record of records) {
      const key = keyOf(record);
      if (key !== null) {
        const newest = this.latest.get(key);
        if (newest !== undefined && newest > record.offset) continue;
        if (record.value === null) {
          if (row.delete_horizon !== null && this.now >= row.delete_horizon) continue;
          keptTombstone = true;
        }
      }
      kept.push(record);
    }
    const horizon = row.delete_horizon ?? (keptTombstone ? this.now + this.config['delete.retention.ms'] : null);
    if (keptTombstone) this.nextTombstoneExpiry = Math.min(this.nextTombstoneExpiry, horizon!);
    if (kept.length === records.length) {
      if (horizon !== row.delete_horizon) horizons.push([horizon!, row.id]);
      return;
    }
    this.outcome.recordsRemoved += records.length - kept.length;
    if (kept.length === 0) {
      deletes.push(row.id);
      return;
    }
    const header = readBatchHeader(row.payload);
    const [payload] = encodeRecordBatches({
      baseOffset: header.baseOffset,
      records: kept,
      order: null,
      timestamps: kept.map((r) => r.timestamp),
      logAppendTime: header.logAppendTime,
      maxBatchBytes: Number.MAX_SAFE_INTEGER,
      offsetDeltas: kept.map((r) => r.offset - header.baseOffset),
      lastOffsetDelta: header.lastOffset - header.baseOffset,
    });
    rewrites.push({ id: row.id, payload: payload!, maxTs: readBatchHeader(payload!).maxTimestamp, count: kept.length, horizon });
  }
}
