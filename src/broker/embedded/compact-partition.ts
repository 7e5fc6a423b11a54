/**
 * Kafka's compact policy: keep only the latest record per key. Batches keep
 * their base offset and span (offsets are never renumbered), so compacted
 * batches have gaps and fully superseded batches disappear. A tombstone that
 * is the latest for its key survives for delete.retention.ms after the first
 * compaction that saw it (its batch's delete horizon), then goes too.
 * Batches of transactions (and their markers) are kept whole and do not
 * supersede other records: rewriting them would drop the producer fields
 * read_committed readers go by.
 */
import type { ConsumedRecord } from '../broker.js';
import { isTransactionalBatch } from '../record-batch/control-batch.js';
import { decodeRecordBatch, readBatchHeader, verifyRecordBatch, type ReadBudget } from '../record-batch/decode-record-batch.js';
import { encodeRecordBatches } from '../record-batch/encode-record-batch.js';
import type { TopicConfig } from '../topic-config.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';

export interface CompactionOutcome {
  batchesDeleted: number;
  batchesRewritten: number;
  recordsRemoved: number;
}

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

/** Runs inside the caller's transaction. */
export function compactPartition(statements: BrokerStatements, log: PartitionLog, config: TopicConfig, now: number): CompactionOutcome {
  const outcome: CompactionOutcome = { batchesDeleted: 0, batchesRewritten: 0, recordsRemoved: 0 };
  if (log.cleanEnd === log.logEnd && now < log.nextTombstoneExpiry) return outcome;

  const latest = new Map<string, number>();
  for (const row of statements.batchesOldestFirst.iterate(log.id)) {
    if (isTransactionalBatch(row.payload)) continue;
    for (const record of decodeAll(row, log)) {
      const key = keyOf(record);
      if (key !== null) latest.set(key, record.offset);
    }
  }

  const deletes: number[] = [];
  const horizons: [number, number][] = [];
  const rewrites: { id: number; payload: Buffer; maxTs: number; count: number; horizon: number | null }[] = [];
  let nextTombstoneExpiry = Infinity;
  for (const row of statements.batchesOldestFirst.iterate(log.id)) {
    if (isTransactionalBatch(row.payload)) continue;
    const records = decodeAll(row, log);
    const kept: ConsumedRecord[] = [];
    let keptTombstone = false;
    for (const record of records) {
      const key = keyOf(record);
      if (key !== null && latest.get(key) !== record.offset) continue;
      if (key !== null && record.value === null) {
        if (row.delete_horizon !== null && now >= row.delete_horizon) continue;
        keptTombstone = true;
      }
      kept.push(record);
    }
    const horizon = row.delete_horizon ?? (keptTombstone ? now + config['delete.retention.ms'] : null);
    if (keptTombstone) nextTombstoneExpiry = Math.min(nextTombstoneExpiry, horizon!);
    if (kept.length === records.length) {
      if (horizon !== row.delete_horizon) horizons.push([horizon!, row.id]);
      continue;
    }
    outcome.recordsRemoved += records.length - kept.length;
    if (kept.length === 0) {
      deletes.push(row.id);
      continue;
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

  for (const id of deletes) statements.deleteBatch.run(id);
  for (const [horizon, id] of horizons) statements.setDeleteHorizon.run(horizon, id);
  for (const r of rewrites) statements.rewriteBatch.run(r.maxTs, r.count, r.payload.length, r.horizon, r.payload, r.id);
  // A read's cursor holds a batch as it was stored (read-partition.ts).
  if (deletes.length > 0 || rewrites.length > 0) log.readCursors = undefined;
  statements.updatePartitionBounds.run(log.logStart, log.logEnd, log.id);
  outcome.batchesDeleted = deletes.length;
  outcome.batchesRewritten = rewrites.length;
  log.cleanEnd = log.logEnd;
  log.nextTombstoneExpiry = nextTombstoneExpiry;
  return outcome;
}
