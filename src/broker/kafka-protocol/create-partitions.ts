/**
 * CreatePartitions (key 37), v0-v3 (flexible from v2): grows topics to a new partition count.
 * One broker: explicit assignments must name node 0 for each new partition.
 * validate_only checks without growing. Kafka's errors: a count that does not
 * grow the topic is INVALID_PARTITIONS.
 */
import { isBrokerError } from '../broker-error.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import { NODE_ID, type ApiRequest, type KafkaApi, type KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

interface GrowRequest {
  readonly name: string;
  readonly count: number;
  readonly assignments: number[][] | null;
}

interface GrowResult {
  readonly name: string;
  readonly error: number;
  readonly message: string | null;
}

function grow(context: KafkaContext, request: GrowRequest, validateOnly: boolean): GrowResult {
  const { name, count, assignments } = request;
  try {
    const current = context.broker.describeTopic(name).partitions.length;
    if (count <= current) {
      const message = `Topic currently has ${current} partitions, which is ${count < current ? 'higher than' : 'equal to'} the requested ${count}.`;
      return { name, error: ErrorCode.INVALID_PARTITIONS, message };
    }
    if (assignments !== null && (assignments.length !== count - current || assignments.some((brokers) => brokers.length !== 1 || brokers[0] !== NODE_ID))) {
      return { name, error: ErrorCode.INVALID_REPLICA_ASSIGNMENT, message: `Each of the ${count - current} new partitions must be assigned to broker ${NODE_ID} alone.` };
    }
    if (!validateOnly) context.broker.createPartitions(name, count);
    return { name, error: ErrorCode.NONE, message: null };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return { name, error: error.reason === 'INVALID_PARTITION' ? ErrorCode.INVALID_PARTITIONS : errorCodeOf(error), message: error.message };
  }
}

export const createPartitionsApi: KafkaApi = {
  key: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 2,
  handle({ body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const topics = body.array((r) => {
      const topic = {
        name: r.string(),
        count: r.int32(),
        assignments: r.nullableArray((ar) => {
          const brokers = ar.array((br) => br.int32());
          ar.taggedFields();
          return brokers;
        }),
      };
      r.taggedFields();
      return topic;
    });
    body.int32();
    const validateOnly = body.bool();
    const results = topics.map((topic) => grow(context, topic, validateOnly));
    out.int32(0);
    out.array(results, (w, result) => w.string(result.name).int16(result.error).nullableString(result.message).taggedFields());
    out.taggedFields();
    return true;
  },
};
