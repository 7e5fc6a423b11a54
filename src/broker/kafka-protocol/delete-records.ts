/**
 * DeleteRecords (key 21), v0-v2 (flexible from v2): moves each partition's log start offset up
 * to the offset given (-1: the high watermark) through the log's
 * `deleteRecords`, and answers the new low watermark. An offset beyond the
 * log end is OFFSET_OUT_OF_RANGE, as in Kafka; a topic the server keeps for
 * itself is TOPIC_AUTHORIZATION_FAILED.
 */
import { isBrokerError } from '../broker-error.js';
import type { Broker } from '../broker.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

/** Kafka's "up to the high watermark" offset. */
const HIGH_WATERMARK = -1;

interface DeleteResult {
  readonly partition: number;
  readonly lowWatermark: number;
  readonly error: number;
}

function deleteBefore(broker: Broker, topic: string, partition: number, offset: number): DeleteResult {
  try {
    const before = offset === HIGH_WATERMARK ? broker.latestOffset(topic, partition) : offset;
    return { partition, lowWatermark: broker.deleteRecords(topic, partition, before), error: ErrorCode.NONE };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return { partition, lowWatermark: -1, error: errorCodeOf(error) };
  }
}

export const deleteRecordsApi: KafkaApi = {
  key: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  handle({ body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const requested = body.array((r) => {
      const name = r.string();
      const partitions = r.array((pr) => {
        const partition = { partition: pr.int32(), offset: pr.int64() };
        pr.taggedFields();
        return partition;
      });
      r.taggedFields();
      return { name, partitions };
    });
    body.int32();
    const topics = requested.map(({ name, partitions }) => ({
      name,
      partitions: partitions.map(({ partition, offset }) => (context.reserved.isReservedTopic(name)
        ? { partition, lowWatermark: -1, error: ErrorCode.TOPIC_AUTHORIZATION_FAILED }
        : deleteBefore(context.broker, name, partition, offset))),
    }));
    out.int32(0);
    out.array(topics, (w, topic) => {
      w.string(topic.name);
      w.array(topic.partitions, (pw, p) => pw.int32(p.partition).int64(p.lowWatermark).int16(p.error).taggedFields());
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
