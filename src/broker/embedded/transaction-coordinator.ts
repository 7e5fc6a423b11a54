/**
 * The transaction coordinator over the log's tables, Kafka's rules: a
 * transactional id keeps one producer id whose epoch goes up at every
 * InitProducerId (fencing the producer before it, whose open transaction is
 * aborted) and at every timeout abort. A transaction is ONGOING from its first
 * AddPartitionsToTxn or AddOffsetsToTxn until EndTxn writes its markers; its
 * partitions and pending group offsets are rows, so a restart finds it and
 * aborts it (`abortTimedOut` with no deadline), never leaving it half visible.
 * Every function runs inside the caller's storage transaction.
 */
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { BrokerError } from '../broker-error.js';
import { MAX_TRANSACTION_TIMEOUT_MS, type ProducerIdAndEpoch, type TopicPartition } from '../transactions.js';
import type { AppendJournal } from './append-records.js';
import type { BrokerStatements, TransactionRow } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';
import type { BatchProducer } from './producer-state.js';
import { writeTransactionMarker } from './write-txn-marker.js';

const MAX_EPOCH = 32767;

/** What the coordinator needs from the broker it runs in. */
export interface CoordinatorContext {
  readonly statements: BrokerStatements;
  readonly journal: AppendJournal;
  readonly now: number;
  /** The partition's log; throws for an unknown topic or partition. */
  partitionLog(topic: string, partition: number): PartitionLog;
  hasTopic(topic: string): boolean;
  writeOffsets(group: string, offsets: readonly TopicPartitionOffset[]): void;
}

function allocateProducerId(statements: BrokerStatements): number {
  const next = Number(statements.nextProducerId.get() ?? '0');
  statements.setNextProducerId.run(String(next + 1));
  return next;
}

/** The transactional id's state, when `producer` is its current producer. */
function current(ctx: CoordinatorContext, transactionalId: string, producer: ProducerIdAndEpoch): TransactionRow {
  const row = ctx.statements.transaction.get(transactionalId);
  if (row === undefined || row.producer_id !== producer.producerId) {
    throw new BrokerError('INVALID_PRODUCER_ID_MAPPING', `Producer id ${producer.producerId} is not the producer of transactional id '${transactionalId}'.`);
  }
  if (row.epoch !== producer.epoch) {
    throw new BrokerError('PRODUCER_FENCED', `The producer of transactional id '${transactionalId}' with epoch ${producer.epoch} was fenced by epoch ${row.epoch}.`);
  }
  return row;
}

function save(ctx: CoordinatorContext, row: TransactionRow, changes: Partial<TransactionRow>): void {
  const next = { ...row, ...changes };
  ctx.statements.upsertTransaction.run(next.transactional_id, next.producer_id, next.epoch, next.timeout_ms, next.state, next.started_ms);
}

/** Starts a transaction unless one is ongoing. */
function begin(ctx: CoordinatorContext, row: TransactionRow): void {
  if (row.state !== 'ONGOING') save(ctx, row, { state: 'ONGOING', started_ms: ctx.now });
}

/** Writes the markers of `row`'s ongoing transaction with `epoch` and, on commit, its group offsets; forgets both. */
function complete(ctx: CoordinatorContext, row: TransactionRow, epoch: number, commit: boolean): void {
  const { statements } = ctx;
  for (const { topic, partition } of statements.txnPartitions.all(row.transactional_id)) {
    if (!ctx.hasTopic(topic)) continue;
    writeTransactionMarker(statements, ctx.journal, ctx.partitionLog(topic, partition), row.producer_id, epoch, commit, ctx.now);
  }
  if (commit) {
    const byGroup = new Map<string, TopicPartitionOffset[]>();
    for (const r of statements.txnOffsets.all(row.transactional_id)) {
      if (!ctx.hasTopic(r.topic)) continue;
      const list = byGroup.get(r.group_id) ?? [];
      list.push({ topic: r.topic, partition: r.partition, offset: r.offset });
      byGroup.set(r.group_id, list);
    }
    for (const [group, offsets] of byGroup) ctx.writeOffsets(group, offsets);
  }
  statements.clearTxnPartitions.run(row.transactional_id);
  statements.clearTxnOffsets.run(row.transactional_id);
}

/** Aborts `row`'s ongoing transaction under a bumped epoch, which fences its producer; returns the new epoch. */
function abortAndFence(ctx: CoordinatorContext, row: TransactionRow): number {
  const epoch = Math.min(row.epoch + 1, MAX_EPOCH);
  complete(ctx, row, epoch, false);
  save(ctx, row, { epoch, state: 'ABORTED' });
  return epoch;
}

export function initProducerId(ctx: CoordinatorContext, transactionalId: string | null, timeoutMs: number, expected: ProducerIdAndEpoch | null): ProducerIdAndEpoch {
  const { statements } = ctx;
  if (transactionalId === null) return { producerId: allocateProducerId(statements), epoch: 0 };
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TRANSACTION_TIMEOUT_MS) {
    throw new BrokerError('INVALID_TRANSACTION_TIMEOUT', `A transaction timeout must be between 1 and ${MAX_TRANSACTION_TIMEOUT_MS} ms, not ${timeoutMs}.`);
  }
  const row = statements.transaction.get(transactionalId);
  if (row === undefined) {
    const producerId = allocateProducerId(statements);
    statements.upsertTransaction.run(transactionalId, producerId, 0, timeoutMs, 'EMPTY', ctx.now);
    return { producerId, epoch: 0 };
  }
  if (expected !== null && expected.producerId >= 0 && (expected.producerId !== row.producer_id || expected.epoch !== row.epoch)) {
    throw new BrokerError('PRODUCER_FENCED', `Producer ${expected.producerId} (epoch ${expected.epoch}) is no longer the producer of transactional id '${transactionalId}'.`);
  }
  let epoch = row.state === 'ONGOING' ? abortAndFence(ctx, row) : row.epoch;
  let producerId = row.producer_id;
  if (epoch >= MAX_EPOCH) {
    producerId = allocateProducerId(statements);
    epoch = 0;
  } else {
    epoch++;
  }
  statements.upsertTransaction.run(transactionalId, producerId, epoch, timeoutMs, 'EMPTY', ctx.now);
  return { producerId, epoch };
}

export function addPartitions(ctx: CoordinatorContext, transactionalId: string, producer: ProducerIdAndEpoch, partitions: readonly TopicPartition[]): void {
  const row = current(ctx, transactionalId, producer);
  for (const { topic, partition } of partitions) ctx.partitionLog(topic, partition);
  begin(ctx, row);
  for (const { topic, partition } of partitions) ctx.statements.insertTxnPartition.run(transactionalId, topic, partition);
}

export function addOffsets(ctx: CoordinatorContext, transactionalId: string, producer: ProducerIdAndEpoch): void {
  begin(ctx, current(ctx, transactionalId, producer));
}

export function commitTxnOffsets(
  ctx: CoordinatorContext,
  transactionalId: string,
  producer: ProducerIdAndEpoch,
  group: string,
  offsets: readonly TopicPartitionOffset[],
): void {
  const row = current(ctx, transactionalId, producer);
  if (row.state !== 'ONGOING') throw new BrokerError('INVALID_TXN_STATE', `Transactional id '${transactionalId}' has no ongoing transaction to commit offsets in.`);
  if (group.length === 0) throw new BrokerError('INVALID_RECORD', 'A consumer group needs a non-empty name.');
  for (const { topic, partition, offset } of offsets) {
    ctx.partitionLog(topic, partition);
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new BrokerError('OFFSET_OUT_OF_RANGE', `Cannot commit offset ${offset} for ${topic}-${partition}: offsets are whole numbers >= 0.`);
    }
    ctx.statements.upsertTxnOffset.run(transactionalId, group, topic, partition, offset);
  }
}

export function endTransaction(ctx: CoordinatorContext, transactionalId: string, producer: ProducerIdAndEpoch, commit: boolean): void {
  const row = current(ctx, transactionalId, producer);
  // A retried EndTxn whose first attempt completed answers as that attempt did.
  if (row.state === (commit ? 'COMMITTED' : 'ABORTED')) return;
  if (row.state !== 'ONGOING') {
    throw new BrokerError('INVALID_TXN_STATE', `Transactional id '${transactionalId}' cannot ${commit ? 'commit' : 'abort'}: its transaction is ${row.state.toLowerCase()}.`);
  }
  complete(ctx, row, row.epoch, commit);
  save(ctx, row, { state: commit ? 'COMMITTED' : 'ABORTED' });
}

/** Aborts the transactions ongoing past their timeout at `ctx.now` (every ongoing one when `ctx.now` is Infinity). */
export function abortTimedOut(ctx: CoordinatorContext): string[] {
  const aborted: string[] = [];
  for (const row of ctx.statements.ongoingTransactions.all()) {
    if (row.started_ms + row.timeout_ms > ctx.now) continue;
    abortAndFence(ctx, row);
    aborted.push(row.transactional_id);
  }
  return aborted;
}

/** A transactional batch belongs to its producer's ongoing transaction, which must hold its partition. */
export function requireOngoingTransaction(statements: BrokerStatements, producer: BatchProducer, log: PartitionLog): void {
  const row = statements.transactionOfProducer.get(producer.producerId);
  const where = `${log.topic}-${log.partition}`;
  if (row === undefined) throw new BrokerError('INVALID_PRODUCER_ID_MAPPING', `Refused a transactional batch for ${where}: producer ${producer.producerId} has no transactional id.`);
  if (producer.epoch < row.epoch) throw new BrokerError('INVALID_PRODUCER_EPOCH', `Refused a transactional batch for ${where}: producer ${producer.producerId} was fenced by epoch ${row.epoch}.`);
  if (producer.epoch !== row.epoch || row.state !== 'ONGOING' || statements.hasTxnPartition.get(row.transactional_id, log.topic, log.partition) === undefined) {
    throw new BrokerError('INVALID_TXN_STATE', `Refused a transactional batch for ${where}: the partition is not in an ongoing transaction of producer ${producer.producerId} (epoch ${producer.epoch}).`);
  }
}
