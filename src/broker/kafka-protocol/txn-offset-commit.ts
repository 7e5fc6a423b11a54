/**
 * TxnOffsetCommit (key 28), v0-v2: group offsets that become committed only
 * when the producer's transaction commits (and vanish if it aborts). Group
 * generations are not checked. When a partition is unknown nothing is
 * stored: it gets UNKNOWN_TOPIC_OR_PARTITION, the others OPERATION_NOT_ATTEMPTED.
 */
import { isBrokerError } from '../broker-error.js';
import type { TopicPartitionOffset } from '../broker.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';
import { transactionErrorCode } from './transaction-errors.js';

function exists(context: KafkaContext, { topic, partition }: TopicPartitionOffset): boolean {
  return context.broker.hasTopic(topic) && partition >= 0 && partition < context.broker.describeTopic(topic).partitions.length;
}

export const txnOffsetCommitApi: KafkaApi = {
  key: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const transactionalId = body.string();
    const group = body.string();
    const producer = { producerId: body.int64(), epoch: body.int16() };
    const topics = body.array((r) => ({
      name: r.string(),
      partitions: r.array((pr) => {
        const partition = pr.int32();
        const offset = pr.int64();
        if (version >= 2) pr.int32();
        pr.nullableString();
        return { partition, offset };
      }),
    }));
    const offsets = topics.flatMap((t) => t.partitions.map(({ partition, offset }) => ({ topic: t.name, partition, offset })));
    const unknown = offsets.filter((o) => !exists(context, o));
    let errorOf = (o: TopicPartitionOffset): number => (unknown.includes(o) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED);
    if (group === '') {
      errorOf = () => ErrorCode.INVALID_GROUP_ID;
    } else if (unknown.length === 0) {
      let code: number = ErrorCode.NONE;
      try {
        context.broker.transactions.commitOffsets(transactionalId, producer, group, offsets);
      } catch (error) {
        if (!isBrokerError(error)) throw error;
        code = transactionErrorCode(error, version, 2);
      }
      errorOf = () => code;
    }
    let at = 0;
    out.int32(0);
    out.array(topics, (w, topic) => {
      w.string(topic.name).array(topic.partitions, (pw, p) => pw.int32(p.partition).int16(errorOf(offsets[at++]!)));
    });
    return true;
  },
};
