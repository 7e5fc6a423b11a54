/**
 * OffsetFetch (key 9), v0-v9, flexible from v6: a group's committed offsets
 * from the log's group offsets (ksqlite's query groups included), -1 where
 * nothing was committed. From v2 a null topic list asks for every committed
 * offset. v7's require_stable (which librdkafka's read_committed consumers
 * set) answers UNSTABLE_OFFSET_COMMIT for a partition while an ongoing
 * transaction holds an offset of the group for it, so a
 * consumer does not start from an offset about to change; the client retries.
 * v8+ asks for several groups at once; v9's member id and epoch belong to
 * KIP-848's groups, which ksqlite does not keep, and are not checked.
 */
import type { Broker } from '../broker.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolReader } from './protocol-reader.js';
import type { ProtocolWriter } from './protocol-writer.js';

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

interface GroupRequest {
  readonly group: string;
  /** null asks for every committed offset of the group. */
  readonly topics: { name: string; partitions: number[] }[] | null;
}

function readTopics(body: ProtocolReader): GroupRequest['topics'] {
  return body.nullableArray((r) => {
    const topic = { name: r.string(), partitions: r.array((pr) => pr.int32()) };
    r.taggedFields();
    return topic;
  });
}

function offsetsOf(broker: Broker, { group, topics }: GroupRequest, requireStable: boolean): { name: string; partitions: FetchedOffset[] }[] {
  if (topics !== null) return topics.map(({ name, partitions }) => ({ name, partitions: partitions.map((partition) => fetched(broker, group, name, partition, requireStable)) }));
  const byTopic = new Map<string, FetchedOffset[]>();
  for (const { topic, partition, offset } of broker.committedOffsets(group)) {
    const list = byTopic.get(topic) ?? [];
    const unstable = requireStable && broker.transactions.hasPendingOffset(group, topic, partition);
    list.push(unstable ? { partition, offset: -1, error: ErrorCode.UNSTABLE_OFFSET_COMMIT } : { partition, offset, error: ErrorCode.NONE });
    byTopic.set(topic, list);
  }
  return [...byTopic].map(([name, partitions]) => ({ name, partitions }));
}

export const offsetFetchApi: KafkaApi = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 9,
  firstFlexibleVersion: 6,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const { broker } = context;
    const requests: GroupRequest[] = version >= 8
      ? body.array((r) => {
        const group = r.string();
        if (version >= 9) {
          r.nullableString();
          r.int32();
        }
        const request = { group, topics: readTopics(r) };
        r.taggedFields();
        return request;
      })
      : [{ group: body.string(), topics: readTopics(body) }];
    const requireStable = version >= 7 && body.bool();
    const answers = requests.map((request) => ({ group: request.group, topics: offsetsOf(broker, request, requireStable) }));

    if (version >= 3) out.int32(0);
    const writeTopics = (w: ProtocolWriter, topics: { name: string; partitions: FetchedOffset[] }[]): void => {
      w.array(topics, (tw, topic) => {
        tw.string(topic.name).array(topic.partitions, (pw, p) => {
          pw.int32(p.partition).int64(p.offset);
          if (version >= 5) pw.int32(-1);
          pw.nullableString('').int16(p.error).taggedFields();
        });
        tw.taggedFields();
      });
    };
    if (version >= 8) {
      out.array(answers, (w, answer) => {
        w.string(answer.group);
        writeTopics(w, answer.topics);
        w.int16(ErrorCode.NONE).taggedFields();
      });
    } else {
      writeTopics(out, answers[0]!.topics);
      if (version >= 2) out.int16(ErrorCode.NONE);
    }
    out.taggedFields();
    return true;
  },
};
