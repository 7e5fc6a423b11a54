/**
 * Writes a transaction marker (a COMMIT or ABORT control batch) at a
 * partition's log end and closes the producer's transaction in the
 * partition's index, in the caller's storage transaction.
 */
import { encodeTransactionMarker } from '../record-batch/control-batch.js';
import type { AppendJournal } from './append-records.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';
import { fenceOlderEpochs } from './producer-state.js';
import { closeTransactionAt } from './transaction-index.js';

export function writeTransactionMarker(
  statements: BrokerStatements,
  journal: AppendJournal,
  log: PartitionLog,
  producerId: number,
  epoch: number,
  commit: boolean,
  now: number,
): void {
  const offset = log.logEnd;
  const batch = encodeTransactionMarker(offset, producerId, epoch, commit, now);
  journal.push([log, offset]);
  statements.insertBatch.run(log.id, offset, offset, now, 1, batch.length, batch);
  log.logEnd = offset + 1;
  closeTransactionAt(statements, log, producerId, offset, commit);
  fenceOlderEpochs(statements, log, producerId, epoch, now);
}
