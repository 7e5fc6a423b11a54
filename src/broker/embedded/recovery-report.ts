/**
 * What opening a damaged data directory cost: the WAL frames SQLite could not
 * read, the corrupt batches dropped from partition tails, the statements of
 * the command topic they held, and the consumer-group offsets moved back to
 * the new log ends. The broker keeps it (`recoveryReport`) and logs it once;
 * the server prints it at start.
 */
import type { LostStatement } from './lost-statements.js';

export interface DroppedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly recordCount: number;
  /** Why the batch failed its check. */
  readonly problem: string;
  /** For the command topic: the statements the batch held. */
  readonly lostStatements?: readonly LostStatement[];
}

/** A committed offset that pointed past the log end after a drop, moved back to it (as Kafka resets an out-of-range offset). */
export interface OffsetReset {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

/** Committed transactions in the write-ahead log that SQLite cannot read (see scan-wal.ts). */
export interface WalDamage {
  readonly walFile: string;
  /** Where the damaged file was copied before the database was opened. */
  readonly copy: string;
  /** The first frame SQLite rejects (numbered from 1), and why. */
  readonly badFrame: number;
  readonly problem: string;
  /** Frames of the current WAL generation, and how many of them from badFrame on are lost. */
  readonly frames: number;
  readonly framesLost: number;
  /** Commits (transactions) among the lost frames. */
  readonly commitsLost: number;
}

export interface RecoveryReport {
  readonly wal: WalDamage | null;
  readonly droppedBatches: readonly DroppedBatch[];
  readonly offsetResets: readonly OffsetReset[];
}

export function isCleanRecovery(report: RecoveryReport): boolean {
  return report.wal === null && report.droppedBatches.length === 0 && report.offsetResets.length === 0;
}

function range(first: number, last: number): string {
  return first === last ? `offset ${first}` : `offsets ${first} to ${last}`;
}

export function describeWalDamage(damage: WalDamage): string {
  return (
    `The write-ahead log ${damage.walFile} is damaged at frame ${damage.badFrame} of ${damage.frames} (${damage.problem}): ` +
    `SQLite cannot read that frame nor any frame after it, so ${damage.framesLost} frames holding ${damage.commitsLost} ` +
    `committed transactions that are not in the database yet are lost. A copy of the damaged file is kept at ${damage.copy}.`
  );
}

/** The report as lines a person reads (the first line says what happened). */
export function describeRecoveryReport(report: RecoveryReport, database: string): string[] {
  const lines = [`The data in ${database} was damaged; it was opened with what could be read, and this was lost:`];
  if (report.wal !== null) lines.push(`- ${describeWalDamage(report.wal)}`);
  for (const batch of report.droppedBatches) {
    lines.push(
      `- dropped a corrupt batch at the end of topic '${batch.topic}' partition ${batch.partition}: ` +
        `${range(batch.baseOffset, batch.lastOffset)} (${batch.recordCount} records; ${batch.problem})`,
    );
    for (const lost of batch.lostStatements ?? []) {
      lines.push(
        lost.statement === null
          ? `  - lost command(s) at ${range(lost.firstOffset, lost.lastOffset)} could not be read`
          : `  - lost command at offset ${lost.firstOffset}: ${lost.statement}`,
      );
    }
  }
  for (const reset of report.offsetResets) {
    lines.push(
      `- consumer group '${reset.group}': committed offset of topic '${reset.topic}' partition ${reset.partition} ` +
        `reset from ${reset.from} to the log end ${reset.to}`,
    );
  }
  return lines;
}
