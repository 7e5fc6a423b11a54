/**
 * CreateTopics (key 19), v0-v7 (flexible from v5). One broker: a replication factor above 1 is
 * refused as Kafka refuses it on a one-broker cluster; explicit assignments
 * give the partition count and must name node 0. Configs use the log's own
 * topic config rules (src/broker/topic-config.ts). validate_only (v1+)
 * checks without creating. As Kafka's controller does, a request asking for
 * more than 10000 partitions in all is refused whole (POLICY_VIOLATION), so
 * one request cannot tie the log up creating billions of partitions. v5+
 * answers a created topic's partitions, replication factor and configs, v7
 * its id (topic-ids.ts; the zero uuid when it was not created).
 */
import { BrokerError, isBrokerError } from '../broker-error.js';
import { parseTopicConfig, resolveTopicConfig, validateTopicName } from '../topic-config.js';
import { configEntries, type ConfigEntry } from './config-resource.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import { NODE_ID, ZERO_UUID, type ApiRequest, type KafkaApi, type KafkaContext } from './kafka-api.js';
import type { ProtocolReader } from './protocol-reader.js';
import type { ProtocolWriter } from './protocol-writer.js';

interface TopicRequest {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly assignments: { readonly partition: number; readonly brokers: number[] }[];
  readonly configs: Record<string, string>;
}

/** Kafka's MAX_PARTITIONS_PER_BATCH. */
const MAX_PARTITIONS_PER_REQUEST = 10_000;

interface TopicResult {
  readonly name: string;
  readonly error: number;
  readonly message: string | null;
  /** What was (or, validating, would be) created; absent on error. */
  readonly created?: { readonly partitions: number; readonly configs: ConfigEntry[] };
}

function readTopic(r: ProtocolReader): TopicRequest {
  const name = r.string();
  const partitions = r.int32();
  const replicationFactor = r.int16();
  const assignments = r.array((ar) => {
    const assignment = { partition: ar.int32(), brokers: ar.array((br) => br.int32()) };
    ar.taggedFields();
    return assignment;
  });
  const configs: Record<string, string> = {};
  r.array((cr) => {
    const key = cr.string();
    const value = cr.nullableString();
    cr.taggedFields();
    if (value !== null) configs[key] = value;
  });
  r.taggedFields();
  return { name, partitions, replicationFactor, assignments, configs };
}

/** The partitions `topics` ask for in all, counted as Kafka counts them. */
function requestedPartitions(context: KafkaContext, topics: readonly TopicRequest[]): number {
  let total = 0;
  for (const topic of topics) {
    if (topic.assignments.length > 0) total += topic.assignments.length;
    else if (topic.partitions === -1) total += context.defaultPartitions;
    else if (topic.partitions > 0) total += topic.partitions;
  }
  return total;
}

function create(context: KafkaContext, request: TopicRequest, validateOnly: boolean): TopicResult {
  const { name } = request;
  const fail = (error: number, message: string): TopicResult => ({ name, error, message });
  if (request.replicationFactor > 1) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor ${request.replicationFactor} is larger than the 1 available broker.`);
  if (request.assignments.length > 0 && (request.partitions !== -1 || request.replicationFactor !== -1)) {
    return fail(ErrorCode.INVALID_REQUEST, 'Give either partitions and a replication factor, or replica assignments, not both.');
  }
  if (request.assignments.some((a, i) => a.partition !== i || a.brokers.some((b) => b !== NODE_ID))) {
    return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Assignments must list partitions 0 to n-1 on broker ${NODE_ID}.`);
  }
  const partitions = request.assignments.length > 0 ? request.assignments.length : request.partitions === -1 ? context.defaultPartitions : request.partitions;
  try {
    validateTopicName(name);
    const config = parseTopicConfig(request.configs);
    if (partitions < 1) throw new BrokerError('INVALID_PARTITION', `Topic '${name}' needs at least 1 partition, not ${partitions}.`);
    if (context.broker.hasTopic(name)) throw new BrokerError('TOPIC_EXISTS', `Topic '${name}' already exists.`);
    if (!validateOnly) context.broker.createTopic(name, { partitions, config });
    return { name, error: ErrorCode.NONE, message: null, created: { partitions, configs: configEntries(resolveTopicConfig(config)) } };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return fail(error.reason === 'INVALID_PARTITION' ? ErrorCode.INVALID_PARTITIONS : errorCodeOf(error), error.message);
  }
}

export const createTopicsApi: KafkaApi = {
  key: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
  firstFlexibleVersion: 5,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const topics = body.array(readTopic);
    body.int32();
    const validateOnly = version >= 1 ? body.bool() : false;
    const results = requestedPartitions(context, topics) > MAX_PARTITIONS_PER_REQUEST
      ? topics.map(({ name }) => ({ name, error: ErrorCode.POLICY_VIOLATION, message: 'Excessively large number of partitions per request.' }))
      : topics.map((topic) => create(context, topic, validateOnly));
    if (version >= 2) out.int32(0);
    out.array(results, (w, result) => {
      w.string(result.name);
      if (version >= 7) w.uuid(result.created === undefined ? ZERO_UUID : context.topicIds.idOf(result.name));
      w.int16(result.error);
      if (version >= 1) w.nullableString(result.message);
      if (version >= 5) {
        w.int32(result.created?.partitions ?? -1).int16(result.created === undefined ? -1 : 1);
        w.array(result.created?.configs ?? null, (cw, entry) => {
          cw.string(entry.name).nullableString(entry.value).bool(false).int8(entry.source).bool(false).taggedFields();
        });
      }
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
