/**
 * TxnOffsetCommit (key 28), v0-v4, flexible from v3: group offsets that
 * become committed only when the producer's transaction commits (and vanish
 * if it aborts). v3 names the consumer's generation and member (KIP-447), which
 * the group coordinator checks as Kafka's does (`commitError`, transactional);
 * before v3 the request names neither and any group takes it. When a
 * partition is unknown nothing is stored: it gets UNKNOWN_TOPIC_OR_PARTITION,
 * the others OPERATION_NOT_ATTEMPTED. v4 only allows TRANSACTION_ABORTABLE
 * (KIP-890), which ksqlite never answers.
 */
import type { TopicPartitionOffset } from '../topic-partition-offset.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolReader } from './protocol-reader.js';
import type { ProtocolWriter } from './protocol-writer.js';
import { transactionCallCode } from './transaction-errors.js';


function exists(context: KafkaContext, { topic, partition }: TopicPartitionOffset): boolean {
  return context.broker.hasTopic(topic) && partition >= 0 && partition < context.broker.describeTopic(topic).partitions.length;
}

interface TopicCommit {
  readonly name: string;
  readonly partitions: { partition: number; offset: number }[];
}

function readTopics(body: ProtocolReader, version: number): TopicCommit[] {
  return body.array((r) => {
    const name = r.string();
    const partitions = r.array((pr) => {
      const partition = pr.int32();
      const offset = pr.int64();
      if (version >= 2) pr.int32();
      pr.nullableString();
      pr.taggedFields();
      return { partition, offset };
    });
    r.taggedFields();
    return { name, partitions };
  });
}

export const txnOffsetCommitApi: KafkaApi = {
  key: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const transactionalId = body.string();
    const group = body.string();
    const producer = { producerId: body.int64(), epoch: body.int16() };
    let generation = -1;
    let memberId = '';
    if (version >= 3) {
      generation = body.int32();
      memberId = body.string();
      body.nullableString();
    }
    const topics = readTopics(body, version);
    const offsets = topics.flatMap((t) => t.partitions.map(({ partition, offset }) => ({ topic: t.name, partition, offset })));
    const unknown = offsets.filter((o) => !exists(context, o));
    let errorOf = (o: TopicPartitionOffset): number => (unknown.includes(o) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED);
    if (group === '') {
      errorOf = () => ErrorCode.INVALID_GROUP_ID;
    } else if (unknown.length === 0) {
      const refused = context.groups.commitError(group, generation, memberId, true);
      const code = refused !== ErrorCode.NONE
        ? refused
        : transactionCallCode(version, 2, () => context.broker.transactions.commitOffsets(transactionalId, producer, group, offsets));
      errorOf = () => code;
    }
    let at = 0;
    out.int32(0);
    out.array(topics, (w, topic) => {
      w.string(topic.name).array(topic.partitions, (pw, p) => pw.int32(p.partition).int16(errorOf(offsets[at++]!)).taggedFields());
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
