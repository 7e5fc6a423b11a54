/**
 * OffsetFetch (key 9), v0-v5: a group's committed offsets from the log's
 * group offsets (ksqlite's query groups included), -1 where nothing was
 * committed. From v2 a null topic list asks for every committed offset.
 */
import type { Broker } from '../broker.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

function committed(broker: Broker, group: string, topic: string, partition: number): number {
  if (!broker.hasTopic(topic) || partition < 0 || partition >= broker.describeTopic(topic).partitions.length) return -1;
  return broker.committedOffset(group, topic, partition) ?? -1;
}

export const offsetFetchApi: KafkaApi = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 6,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const { broker } = context;
    const group = body.string();
    const requested = body.nullableArray((r) => ({ name: r.string(), partitions: r.array((pr) => pr.int32()) }));
    let topics: { name: string; partitions: { partition: number; offset: number }[] }[];
    if (requested === null) {
      const byTopic = new Map<string, { partition: number; offset: number }[]>();
      for (const { topic, partition, offset } of broker.committedOffsets(group)) {
        const list = byTopic.get(topic) ?? [];
        list.push({ partition, offset });
        byTopic.set(topic, list);
      }
      topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
    } else {
      topics = requested.map(({ name, partitions }) => ({ name, partitions: partitions.map((partition) => ({ partition, offset: committed(broker, group, name, partition) })) }));
    }
    if (version >= 3) out.int32(0);
    out.array(topics, (w, topic) => {
      w.string(topic.name).array(topic.partitions, (pw, p) => {
        pw.int32(p.partition).int64(p.offset);
        if (version >= 5) pw.int32(-1);
        pw.nullableString('').int16(ErrorCode.NONE);
      });
    });
    if (version >= 2) out.int16(ErrorCode.NONE);
    return true;
  },
};
