/**
 * ListOffsets (key 2), v0-v6 (flexible from v6): per partition, the earliest offset (timestamp
 * -2), the latest (-1, the log end), or the first offset whose timestamp is at
 * least the one given (offset -1 when there is none), as Kafka answers. v0
 * answers with its old list of offsets (one). The latest offset of a
 * read_committed request (v2+ isolation level 1) is the last stable offset.
 * v7+ (the max-timestamp lookup, -3, and tiered storage's) is not offered.
 */
import { isBrokerError } from '../broker-error.js';
import type { Broker } from '../broker.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

const LATEST = -1;
const EARLIEST = -2;

interface OffsetResult {
  readonly partition: number;
  readonly error: number;
  readonly timestamp: number;
  readonly offset: number;
}

function lookUp(broker: Broker, topic: string, partition: number, timestamp: number, readCommitted: boolean): OffsetResult {
  try {
    if (timestamp === LATEST) {
      const offset = readCommitted ? broker.latestOffset(topic, partition) : broker.logEndOffset(topic, partition);
      return { partition, error: ErrorCode.NONE, timestamp: -1, offset };
    }
    if (timestamp === EARLIEST) return { partition, error: ErrorCode.NONE, timestamp: -1, offset: broker.earliestOffset(topic, partition) };
    if (timestamp < 0) return { partition, error: ErrorCode.INVALID_REQUEST, timestamp: -1, offset: -1 };
    const offset = broker.offsetForTimestamp(topic, partition, timestamp);
    if (offset === null) return { partition, error: ErrorCode.NONE, timestamp: -1, offset: -1 };
    const found = broker.read(topic, partition, offset, { maxRecords: 1 })[0];
    return { partition, error: ErrorCode.NONE, timestamp: found?.timestamp ?? -1, offset };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return { partition, error: errorCodeOf(error), timestamp: -1, offset: -1 };
  }
}

export const listOffsetsApi: KafkaApi = {
  key: 2,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 6,
  firstFlexibleVersion: 6,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    body.int32();
    const readCommitted = version >= 2 && body.int8() === 1;
    const topics = body.array((r) => {
      const name = r.string();
      const partitions = r.array((pr) => {
        const partition = pr.int32();
        if (version >= 4) pr.int32();
        const timestamp = pr.int64();
        if (version === 0) pr.int32();
        pr.taggedFields();
        return lookUp(context.broker, name, partition, timestamp, readCommitted);
      });
      r.taggedFields();
      return { name, partitions };
    });
    if (version >= 2) out.int32(0);
    out.array(topics, (w, topic) => {
      w.string(topic.name);
      w.array(topic.partitions, (pw, p) => {
        pw.int32(p.partition).int16(p.error);
        if (version === 0) {
          pw.array(p.error === ErrorCode.NONE && p.offset >= 0 ? [p.offset] : [], (ow, o) => ow.int64(o));
        } else {
          pw.int64(p.timestamp).int64(p.offset);
          if (version >= 4) pw.int32(p.error === ErrorCode.NONE ? 0 : -1);
        }
        pw.taggedFields();
      });
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
