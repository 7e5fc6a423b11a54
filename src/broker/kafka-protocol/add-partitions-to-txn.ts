/**
 * AddPartitionsToTxn (key 24), v0-v3 (flexible from v3): the partitions a transactional
 * producer is about to write, added to its transaction (which starts with
 * the first). As in Kafka, when one partition is unknown none is added: the
 * unknown ones get UNKNOWN_TOPIC_OR_PARTITION, the others OPERATION_NOT_ATTEMPTED;
 * so when one is a topic the server keeps for itself (TOPIC_AUTHORIZATION_FAILED).
 * v4+ batches transactions for brokers (clients send v3 at most): not offered.
 */
import type { TopicPartition } from '../transactions.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';
import { transactionCallCode } from './transaction-errors.js';

function exists(context: KafkaContext, { topic, partition }: TopicPartition): boolean {
  return context.broker.hasTopic(topic) && partition >= 0 && partition < context.broker.describeTopic(topic).partitions.length;
}

export const addPartitionsToTxnApi: KafkaApi = {
  key: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const transactionalId = body.string();
    const producer = { producerId: body.int64(), epoch: body.int16() };
    const topics = body.array((r) => {
      const topic = { name: r.string(), partitions: r.array((pr) => pr.int32()) };
      r.taggedFields();
      return topic;
    });
    const partitions = topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    const refused = partitions.filter((p) => context.reserved.isReservedTopic(p.topic));
    const unknown = partitions.filter((p) => !exists(context, p));
    let errorOf = (p: TopicPartition): number => (refused.includes(p) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
      : unknown.includes(p) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED);
    if (refused.length === 0 && unknown.length === 0) {
      const code = transactionCallCode(version, 2, () => context.broker.transactions.addPartitions(transactionalId, producer, partitions));
      errorOf = () => code;
    }
    let at = 0;
    out.int32(0);
    out.array(topics, (w, topic) => {
      w.string(topic.name).array(topic.partitions, (pw, partition) => pw.int32(partition).int16(errorOf(partitions[at++]!)).taggedFields());
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
