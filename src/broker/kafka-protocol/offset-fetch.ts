/**
 * OffsetFetch (key 9), v0-v7, flexible from v6: a group's committed offsets
 * from the log's group offsets (ksqlite's query groups included), -1 where
 * nothing was committed. From v2 a null topic list asks for every committed
 * offset. v7's require_stable (which librdkafka's read_committed consumers
 * set) answers UNSTABLE_OFFSET_COMMIT for a partition while an ongoing
 * transaction holds an offset of the group for it, so a
 * consumer does not start from an offset about to change; the client retries.
 */
import type { Broker } from '../broker.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolReader } from './protocol-reader.js';
import type { ProtocolWriter } from './protocol-writer.js';

const FIRST_FLEXIBLE_VERSION = 6;

interface FetchedOffset {
  readonly partition: number;
  readonly offset: number;
  readonly error: number;
}

function exists(broker: Broker, topic: string, partition: number): boolean {
  return broker.hasTopic(topic) && partition >= 0 && partition < broker.describeTopic(topic).partitions.length;
}

function fetched(broker: Broker, group: string, topic: string, partition: number, requireStable: boolean): FetchedOffset {
  if (!exists(broker, topic, partition)) return { partition, offset: -1, error: ErrorCode.NONE };
  if (requireStable && broker.transactions.hasPendingOffset(group, topic, partition)) return { partition, offset: -1, error: ErrorCode.UNSTABLE_OFFSET_COMMIT };
  return { partition, offset: broker.committedOffset(group, topic, partition) ?? -1, error: ErrorCode.NONE };
}

function readRequested(body: ProtocolReader, flexible: boolean): { name: string; partitions: number[] }[] | null {
  if (!flexible) return body.nullableArray((r) => ({ name: r.string(), partitions: r.array((pr) => pr.int32()) }));
  return body.compactNullableArray((r) => {
    const topic = { name: r.compactString(), partitions: r.compactArray((pr) => pr.int32()) };
    r.skipTaggedFields();
    return topic;
  });
}

export const offsetFetchApi: KafkaApi = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 7,
  firstFlexibleVersion: FIRST_FLEXIBLE_VERSION,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const { broker } = context;
    const flexible = version >= FIRST_FLEXIBLE_VERSION;
    const group = flexible ? body.compactString() : body.string();
    const requested = readRequested(body, flexible);
    const requireStable = version >= 7 && body.bool();
    let topics: { name: string; partitions: FetchedOffset[] }[];
    if (requested === null) {
      const byTopic = new Map<string, FetchedOffset[]>();
      for (const { topic, partition, offset } of broker.committedOffsets(group)) {
        const list = byTopic.get(topic) ?? [];
        const unstable = requireStable && broker.transactions.hasPendingOffset(group, topic, partition);
        list.push(unstable ? { partition, offset: -1, error: ErrorCode.UNSTABLE_OFFSET_COMMIT } : { partition, offset, error: ErrorCode.NONE });
        byTopic.set(topic, list);
      }
      topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
    } else {
      topics = requested.map(({ name, partitions }) => ({ name, partitions: partitions.map((partition) => fetched(broker, group, name, partition, requireStable)) }));
    }
    if (version >= 3) out.int32(0);
    const writePartition = (pw: ProtocolWriter, p: FetchedOffset): void => {
      pw.int32(p.partition).int64(p.offset);
      if (version >= 5) pw.int32(-1);
      if (flexible) pw.compactNullableString('').int16(p.error).emptyTaggedFields();
      else pw.nullableString('').int16(p.error);
    };
    if (flexible) {
      out.compactArray(topics, (w, topic) => {
        w.compactString(topic.name).compactArray(topic.partitions, writePartition);
        w.emptyTaggedFields();
      });
    } else {
      out.array(topics, (w, topic) => {
        w.string(topic.name).array(topic.partitions, writePartition);
      });
    }
    if (version >= 2) out.int16(ErrorCode.NONE);
    if (flexible) out.emptyTaggedFields();
    return true;
  },
};
