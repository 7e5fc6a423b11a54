/**
 * The append path for a RecordBatch v2 that arrives already encoded (a Kafka
 * producer's batch). The batch is checked as a whole (size, length field,
 * magic, CRC-32C, codec, dense offset deltas, every record readable (so
 * compressed records that do not decompress are refused as corrupt), sane
 * timestamps) and stored as sent, except for what Kafka's broker rewrites
 * too: the base offset (the log end; outside the CRC), and on LogAppendTime
 * topics the timestamp type and max timestamp (then the CRC is recomputed).
 * A batch of an idempotent producer is checked against the partition's
 * producer state first (a retry answers with where it went the first time),
 * and a transactional one must belong to its producer's ongoing transaction,
 * which it opens in this partition's transaction index.
 */
import type { AppendedBatch } from '../broker.js';
import { BrokerError, isBrokerError } from '../broker-error.js';
import { computeCrc32c } from '../crc32c.js';
import { codecName } from '../record-batch/batch-codec.js';
import {
  ATTRIBUTES,
  BASE_OFFSET,
  BATCH_LENGTH,
  COMPRESSION_MASK,
  CONTROL_FLAG,
  CRC,
  HEADER_SIZE,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  MAGIC_V2,
  MAX_TIMESTAMP,
  RECORD_COUNT,
  TIMESTAMP_TYPE_LOG_APPEND,
  readInt16,
  readInt32,
  readInt64,
  writeInt16,
  writeInt32,
  writeInt64,
} from '../record-batch/record-batch-layout.js';
import { scanRecords, type ScannedRecords } from '../record-batch/scan-records.js';
import type { TopicConfig } from '../topic-config.js';
import { policyCompacts } from '../topic-config.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { AppendJournal } from './append-records.js';
import type { PartitionLog } from './partition-log.js';
import { checkSequence, readBatchProducer, rememberSequence } from './producer-state.js';
import { requireOngoingTransaction } from './transaction-coordinator.js';
import { openTransactionAt } from './transaction-index.js';

function invalid(where: string, problem: string): BrokerError {
  return new BrokerError('INVALID_RECORD', `Refused a record batch for ${where}: ${problem}.`);
}

/** Checks `batch` and returns the largest record timestamp in it. */
function checkBatch(batch: Buffer, config: TopicConfig, where: string): number {
  if (batch.length < HEADER_SIZE) throw invalid(where, `it is ${batch.length} bytes, shorter than a batch header`);
  if (readInt32(batch, BATCH_LENGTH) !== batch.length - LOG_OVERHEAD) throw invalid(where, 'its length field does not match its size');
  if (batch[MAGIC] !== MAGIC_V2) throw invalid(where, `magic ${batch[MAGIC]} is not supported (only RecordBatch v2)`);
  if (batch.length > config['max.message.bytes']) {
    throw new BrokerError('RECORD_TOO_LARGE', `Refused a record batch for ${where}: ${batch.length} bytes is more than max.message.bytes (${config['max.message.bytes']}).`);
  }
  if (readInt32(batch, CRC) >>> 0 !== computeCrc32c(batch, ATTRIBUTES, batch.length)) throw new BrokerError('CORRUPT_DATA', `Refused a record batch for ${where}: its CRC-32C does not match.`);
  const attributes = readInt16(batch, ATTRIBUTES);
  const codec = attributes & COMPRESSION_MASK;
  if (codecName(codec) === null) {
    throw new BrokerError('UNSUPPORTED_COMPRESSION', `Refused a record batch for ${where}: compression codec ${codec} is not one Kafka defines (none, gzip, snappy, lz4, zstd).`);
  }
  if ((attributes & CONTROL_FLAG) !== 0) throw invalid(where, 'control batches are written by the transaction coordinator only');
  const count = readInt32(batch, RECORD_COUNT);
  if (count < 1 || readInt32(batch, LAST_OFFSET_DELTA) !== count - 1) throw invalid(where, 'its records must have dense offsets from its base offset');
  let scanned: ScannedRecords;
  try {
    scanned = scanRecords(batch);
  } catch (error) {
    // Compressed records that do not decompress are corrupt, as Kafka answers; a batch is never stored unreadable.
    if (isBrokerError(error, 'CORRUPT_DATA')) throw new BrokerError('CORRUPT_DATA', `Refused a record batch for ${where}: ${error.message}`, error);
    throw invalid(where, (error as Error).message);
  }
  if (scanned.nullKey && policyCompacts(config)) throw invalid(where, 'a compacted topic cannot accept a record without a key');
  return scanned.maxTimestamp;
}

/** Stores a copy of `batch` at the log end of `partitionLog`; the caller runs it in a transaction. */
export function appendBatch(
  statements: BrokerStatements,
  journal: AppendJournal,
  partitionLog: PartitionLog,
  config: TopicConfig,
  batch: Buffer,
  now: number,
): AppendedBatch {
  const where = `${partitionLog.topic}-${partitionLog.partition}`;
  const maxTimestamp = checkBatch(batch, config, where);
  const producer = readBatchProducer(batch);
  if (producer.producerId >= 0) {
    const original = checkSequence(statements, partitionLog, producer);
    if (original !== null) return { baseOffset: original, logAppendTime: -1 };
  } else if (producer.transactional) {
    throw invalid(where, 'a transactional batch needs a producer id');
  }
  const baseOffset = partitionLog.logEnd;
  // Noted first: a rollback also recounts the partition's open transactions.
  journal.push([partitionLog, baseOffset]);
  if (producer.transactional) {
    requireOngoingTransaction(statements, producer, partitionLog);
    openTransactionAt(statements, partitionLog, producer.producerId, baseOffset);
  }
  const stored = Buffer.from(batch);
  writeInt64(stored, BASE_OFFSET, baseOffset);
  const logAppendTime = config['message.timestamp.type'] === 'LogAppendTime';
  // Kafka's broker rewrites the max timestamp it indexes by when the producer's is wrong, and stamps LogAppendTime.
  if (logAppendTime || readInt64(stored, MAX_TIMESTAMP) !== maxTimestamp) {
    if (logAppendTime) writeInt16(stored, ATTRIBUTES, readInt16(stored, ATTRIBUTES) | TIMESTAMP_TYPE_LOG_APPEND);
    writeInt64(stored, MAX_TIMESTAMP, logAppendTime ? now : maxTimestamp);
    writeInt32(stored, CRC, computeCrc32c(stored, ATTRIBUTES, stored.length));
  }
  const count = readInt32(stored, RECORD_COUNT);
  statements.insertBatch.run(partitionLog.id, baseOffset, baseOffset + count - 1, readInt64(stored, MAX_TIMESTAMP), count, stored.length, stored);
  partitionLog.logEnd = baseOffset + count;
  if (producer.producerId >= 0) rememberSequence(statements, partitionLog, producer, baseOffset, now);
  return { baseOffset, logAppendTime: logAppendTime ? now : -1 };
}
