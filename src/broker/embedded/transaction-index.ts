/**
 * A partition's transaction index, Kafka's: for every transaction with data
 * in the partition, its producer id and first offset, and once it is aborted
 * the offset of its abort marker (a committed transaction's row goes: its
 * records are ordinary committed records). The first offset of the earliest
 * open transaction is the last stable offset: read_committed readers stop
 * there. Rows change only inside the caller's storage transaction, beside the
 * batches they describe; `openTransactions` in memory counts the open rows so
 * that a partition without transactions answers without a query.
 */
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';

/** Notes that producer `producerId` has transactional data from `firstOffset` on, unless its transaction is already open here. */
export function openTransactionAt(statements: BrokerStatements, log: PartitionLog, producerId: number, firstOffset: number): void {
  if (statements.openTransactionOf.get(log.id, producerId) !== undefined) return;
  statements.insertOpenTransaction.run(log.id, producerId, firstOffset);
  log.openTransactions++;
}

/** Ends producer `producerId`'s open transaction here: an aborted one keeps its span up to its marker at `markerOffset`. */
export function closeTransactionAt(statements: BrokerStatements, log: PartitionLog, producerId: number, markerOffset: number, commit: boolean): void {
  const changes = commit ? statements.deleteOpenTransaction.run(log.id, producerId).changes : statements.abortTransactionEntry.run(markerOffset, log.id, producerId).changes;
  log.openTransactions -= changes;
}

/** Reloads the open-transaction count from storage (at start, and after a rollback). */
export function countOpenTransactions(statements: BrokerStatements, log: PartitionLog): void {
  log.openTransactions = statements.countOpenTransactions.get(log.id) ?? 0;
}

/** Kafka's last stable offset: the first offset of the earliest open transaction, or the log end. */
export function lastStableOffset(statements: BrokerStatements, log: PartitionLog): number {
  if (log.openTransactions === 0) return log.logEnd;
  return statements.firstOpenOffset.get(log.id) ?? log.logEnd;
}

/** True when `offset`, written by `producerId` in a transaction, belongs to one that was aborted. */
export function isAbortedAt(statements: BrokerStatements, log: PartitionLog, producerId: number, offset: number): boolean {
  return statements.isAborted.get(log.id, producerId, offset, offset) !== undefined;
}

/** The aborted transactions with records in [fromOffset, toOffset), as Fetch lists them for read_committed clients. */
export function abortedTransactionsIn(
  statements: BrokerStatements,
  log: PartitionLog,
  fromOffset: number,
  toOffset: number,
): { producerId: number; firstOffset: number }[] {
  return statements.abortedOverlapping.all(log.id, fromOffset, toOffset).map((r) => ({ producerId: r.producer_id, firstOffset: r.first_offset }));
}
