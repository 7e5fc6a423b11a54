/**
 * What a dropped batch of ksqlDB's command topic held, told in statements.
 * Losing a command loses a stream, table or query for good, so the operator
 * must learn which statement to run again. The batch failed its checks, but
 * its records often still parse (a flipped byte breaks the CRC, not the
 * layout): decode what can be decoded, and give offsets for the rest.
 */
import type { ConsumedRecord } from '../broker.js';
import { decodeRecordBatch } from '../record-batch/decode-record-batch.js';

/** A lost command: one record (firstOffset = lastOffset) with its statement, or a range that could not be read (statement null). */
export interface LostStatement {
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly statement: string | null;
}

/** ksqlDB names its command topic `_confluent-ksql-<service id>_command_topic`. */
export function isCommandTopic(topic: string): boolean {
  return topic.startsWith('_confluent-ksql-') && topic.endsWith('_command_topic');
}

function statementOf(record: ConsumedRecord): string | null {
  if (record.value === null) return null;
  try {
    const command = JSON.parse(record.value.toString('utf8')) as { statement?: unknown };
    return typeof command.statement === 'string' ? command.statement : null;
  } catch {
    return null;
  }
}

/** Best effort: the statements of the records in `payload`, which covered offsets baseOffset..lastOffset. */
export function readLostStatements(payload: Buffer, baseOffset: number, lastOffset: number, topic: string, partition: number): LostStatement[] {
  const records: ConsumedRecord[] = [];
  try {
    decodeRecordBatch(payload, baseOffset, records, { records: lastOffset - baseOffset + 1, bytes: Number.MAX_SAFE_INTEGER }, topic, partition);
  } catch {
    // The records decoded before the damage are in `records`; the rest is reported as unreadable.
  }
  const lost: LostStatement[] = [];
  let next = baseOffset;
  for (const record of records) {
    if (!Number.isSafeInteger(record.offset) || record.offset < next || record.offset > lastOffset) break;
    if (record.offset > next) lost.push({ firstOffset: next, lastOffset: record.offset - 1, statement: null });
    lost.push({ firstOffset: record.offset, lastOffset: record.offset, statement: statementOf(record) });
    next = record.offset + 1;
  }
  // The command topic is never compacted: offsets missing at the end were records that could not be read.
  if (next <= lastOffset) lost.push({ firstOffset: next, lastOffset, statement: null });
  return lost;
}
