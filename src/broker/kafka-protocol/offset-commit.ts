/**
 * OffsetCommit (key 8), v0-v9 (flexible from v8): stores a group's offsets in the log's group
 * offsets, beside ksqlite's own query groups, where they survive a restart.
 * The group coordinator decides first, as Kafka's does: a commit outside a
 * generation (-1, or v0, which has none) only to a group without members,
 * otherwise only from a member of the current generation
 * (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS). The
 * metadata string is not kept. v9 is v8 for the classic groups ksqlite
 * keeps (its member epochs belong to KIP-848's groups).
 */
import { isBrokerError } from '../broker-error.js';
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

interface PartitionCommit {
  readonly partition: number;
  readonly offset: number;
}

/** The error of each partition: invalid ones are refused alone, the valid ones committed together. */
function commit(context: KafkaContext, group: string, generation: number, memberId: string, topics: { name: string; partitions: PartitionCommit[] }[]): number[][] {
  const { broker } = context;
  const refuse = (code: number): number[][] => topics.map((t) => t.partitions.map(() => code));
  if (group === '') return refuse(ErrorCode.INVALID_GROUP_ID);
  const refused = context.groups.commitError(group, generation, memberId);
  if (refused !== ErrorCode.NONE) return refuse(refused);
  const valid: TopicPartitionOffset[] = [];
  const errors = topics.map((topic) =>
    topic.partitions.map(({ partition, offset }) => {
      if (!broker.hasTopic(topic.name) || partition < 0 || partition >= broker.describeTopic(topic.name).partitions.length) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if (offset < 0) return ErrorCode.OFFSET_OUT_OF_RANGE;
      valid.push({ topic: topic.name, partition, offset });
      return ErrorCode.NONE;
    }),
  );
  if (valid.length === 0) return errors;
  try {
    broker.commitOffsets(group, valid);
    return errors;
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return refuse(errorCodeOf(error));
  }
}

export const offsetCommitApi: KafkaApi = {
  key: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 9,
  firstFlexibleVersion: 8,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const group = body.string();
    const generation = version >= 1 ? body.int32() : -1;
    const memberId = version >= 1 ? body.string() : '';
    if (version >= 7) body.nullableString();
    if (version >= 2 && version <= 4) body.int64();
    const topics = body.array((r) => {
      const name = r.string();
      const partitions = r.array((pr): PartitionCommit => {
        const partition = pr.int32();
        const offset = pr.int64();
        if (version >= 6) pr.int32();
        if (version === 1) pr.int64();
        pr.nullableString();
        pr.taggedFields();
        return { partition, offset };
      });
      r.taggedFields();
      return { name, partitions };
    });
    const errors = commit(context, group, generation, memberId, topics);
    const results = topics.map((topic, t) => ({ name: topic.name, partitions: topic.partitions.map((p, i) => [p.partition, errors[t]![i]!] as const) }));
    if (version >= 3) out.int32(0);
    out.array(results, (w, topic) => {
      w.string(topic.name).array(topic.partitions, (pw, [partition, error]) => pw.int32(partition).int16(error).taggedFields());
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
