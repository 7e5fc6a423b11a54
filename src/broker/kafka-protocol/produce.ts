/**
 * Produce (key 0), v0-v11 (flexible from v9; v10's leader hints and v11's
 * TRANSACTION_ABORTABLE are never needed by one broker that leads every
 * partition). Each partition's records field holds whole
 * RecordBatch v2 batches; they are stored as sent through the log's
 * `appendBatches` (one transaction per partition), and the response, when
 * acks is 1 or -1, is written after that commit. acks 0 gets no response,
 * as in Kafka. Older message formats (magic 0 and 1) are refused, and so
 * is a write to a topic the server keeps for itself (reserved-resources.ts).
 */
import { BATCH_LENGTH, LOG_OVERHEAD } from '../record-batch/record-batch-layout.js';
import { isBrokerError } from '../broker-error.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

interface PartitionResult {
  readonly index: number;
  readonly error: number;
  readonly baseOffset: number;
  readonly logAppendTime: number;
  readonly logStartOffset: number;
  readonly message: string | null;
}

/** Splits a records field into its batches, or returns null when it does not split into whole batches. */
export function splitBatches(records: Buffer): Buffer[] | null {
  const batches: Buffer[] = [];
  let at = 0;
  while (at < records.length) {
    if (records.length - at < LOG_OVERHEAD) return null;
    const size = LOG_OVERHEAD + records.readInt32BE(at + BATCH_LENGTH);
    if (size <= LOG_OVERHEAD || at + size > records.length) return null;
    batches.push(records.subarray(at, at + size));
    at += size;
  }
  return batches.length > 0 ? batches : null;
}

function failed(index: number, error: number, message: string | null): PartitionResult {
  return { index, error, baseOffset: -1, logAppendTime: -1, logStartOffset: -1, message };
}

function produceTo(context: KafkaContext, topic: string, index: number, records: Buffer | null, acks: number): PartitionResult {
  if (acks !== 0 && acks !== 1 && acks !== -1) return failed(index, ErrorCode.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, not ${acks}`);
  if (context.reserved.isReservedTopic(topic)) return failed(index, ErrorCode.TOPIC_AUTHORIZATION_FAILED, `Topic '${topic}' is written only by the ksqlite server behind this listener`);
  const batches = records === null ? null : splitBatches(records);
  if (batches === null) return failed(index, ErrorCode.CORRUPT_MESSAGE, 'the records do not split into whole record batches');
  try {
    const appended = context.broker.appendBatches(topic, index, batches);
    return { index, error: ErrorCode.NONE, ...appended, logStartOffset: context.broker.earliestOffset(topic, index), message: null };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return failed(index, errorCodeOf(error), error.message);
  }
}

export const produceApi: KafkaApi = {
  key: 0,
  name: 'Produce',
  minVersion: 0,
  maxVersion: 11,
  firstFlexibleVersion: 9,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    if (version >= 3) body.nullableString();
    const acks = body.int16();
    body.int32();
    const topics = body.array((r) => {
      const name = r.string();
      const partitions = r.array((pr) => {
        const partition = { index: pr.int32(), records: pr.nullableBytes() };
        pr.taggedFields();
        return partition;
      });
      r.taggedFields();
      return { name, partitions };
    });
    const results = topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => produceTo(context, topic.name, p.index, p.records, acks)),
    }));
    if (acks === 0) return false;
    out.array(results, (w, topic) => {
      w.string(topic.name);
      w.array(topic.partitions, (pw, p) => {
        pw.int32(p.index).int16(p.error).int64(p.baseOffset);
        if (version >= 2) pw.int64(p.logAppendTime);
        if (version >= 5) pw.int64(p.logStartOffset);
        if (version >= 8) pw.array([], () => {}).nullableString(p.message);
        pw.taggedFields();
      });
      w.taggedFields();
    });
    if (version >= 1) out.int32(0);
    out.taggedFields();
    return true;
  },
};
