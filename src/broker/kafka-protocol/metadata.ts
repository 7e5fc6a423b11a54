/**
 * Metadata (key 3), v0-v12 (flexible from v9): one broker (node 0, the
 * advertised host and port), which leads every partition and is the
 * controller; the topics asked for (all when the list is null, or empty
 * before v1). A topic that does not exist is created with `num.partitions`
 * partitions when auto-creation is on and the request allows it (always
 * before v4, as in Kafka). v10+ names each topic's id (topic-ids.ts) and
 * may ask for topics by id instead of by name.
 */import { isBrokerError } from '../broker-error.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import { NODE_ID, ZERO_UUID, type ApiRequest, type KafkaApi, type KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

interface TopicMetadata {
  readonly error: number;
  readonly name: string | null;
  readonly partitions: number;
}

/** Kafka's authorized-operations value for "not asked". */
const OPERATIONS_OMITTED = -2147483648;

function lookUp(context: KafkaContext, name: string, mayCreate: boolean): TopicMetadata {
  const { broker } = context;
  try {
    if (!broker.hasTopic(name)) {
      if (!mayCreate) return { error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: 0 };
      broker.createTopic(name, { partitions: context.defaultPartitions, ifNotExists: true });
    }
    return { error: ErrorCode.NONE, name, partitions: broker.describeTopic(name).partitions.length };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return { error: errorCodeOf(error), name, partitions: 0 };
  }
}

export const metadataApi: KafkaApi = {
  key: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  firstFlexibleVersion: 9,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const requested = body.nullableArray((r) => {
      const id = version >= 10 ? r.uuid() : ZERO_UUID;
      const name = version >= 10 ? r.nullableString() : r.string();
      r.taggedFields();
      return name ?? context.topicIds.nameOf(id);
    });
    const allowCreate = version >= 4 ? body.bool() : true;
    const all = requested === null || (version === 0 && requested.length === 0);
    const names = all ? context.broker.listTopics() : requested;
    const topics = names.map((name) => (name === null
      ? { error: ErrorCode.UNKNOWN_TOPIC_ID, name, partitions: 0 }
      : lookUp(context, name, !all && allowCreate && context.autoCreateTopics)));

    if (version >= 3) out.int32(0);
    out.array([NODE_ID], (w, node) => {
      w.int32(node).string(context.advertisedHost).int32(context.advertisedPort());
      if (version >= 1) w.nullableString(null);
      w.taggedFields();
    });
    if (version >= 2) out.nullableString(context.clusterId);
    if (version >= 1) out.int32(NODE_ID);
    out.array(topics, (w, topic) => {
      w.int16(topic.error).nullableString(topic.name);
      if (version >= 10) w.uuid(topic.name === null || topic.error !== ErrorCode.NONE ? ZERO_UUID : context.topicIds.idOf(topic.name));
      if (version >= 1) w.bool(false);
      const partitions = Array.from({ length: topic.partitions }, (_, p) => p);
      w.array(partitions, (pw, p) => {
        pw.int16(ErrorCode.NONE).int32(p).int32(NODE_ID);
        if (version >= 7) pw.int32(0);
        pw.array([NODE_ID], (rw, n) => rw.int32(n));
        pw.array([NODE_ID], (iw, n) => iw.int32(n));
        if (version >= 5) pw.array([], () => {});
        pw.taggedFields();
      });
      if (version >= 8) w.int32(OPERATIONS_OMITTED);
      w.taggedFields();
    });
    if (version >= 8 && version <= 10) out.int32(OPERATIONS_OMITTED);
    out.taggedFields();
    return true;
  },
};
