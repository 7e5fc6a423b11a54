/**
 * DeleteTopics (key 20), v0-v6 (flexible from v4): deletes each named topic
 * and what the log keeps for it. v5+ explains each error; v6 may name a topic
 * by id instead (topic-ids.ts): an id no topic has is UNKNOWN_TOPIC_ID. A
 * topic the server keeps for itself is TOPIC_AUTHORIZATION_FAILED.
 */
import { isBrokerError } from '../broker-error.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import { ZERO_UUID, type ApiRequest, type KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const deleteTopicsApi: KafkaApi = {
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  firstFlexibleVersion: 4,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const names = version >= 6
      ? body.array((r) => {
        const name = r.nullableString();
        const id = r.uuid();
        r.taggedFields();
        return name ?? context.topicIds.nameOf(id);
      })
      : body.array((r) => r.string());
    body.int32();
    const results = names.map((name) => {
      if (name === null) return { name, error: ErrorCode.UNKNOWN_TOPIC_ID, message: 'No topic has this topic id.' };
      if (context.reserved.isReservedTopic(name)) {
        return { name, error: ErrorCode.TOPIC_AUTHORIZATION_FAILED, message: `Topic '${name}' is deleted only by the ksqlite server behind this listener.` };
      }
      try {
        context.broker.deleteTopic(name);
        return { name, error: ErrorCode.NONE, message: null };
      } catch (error) {
        if (!isBrokerError(error)) throw error;
        return { name, error: errorCodeOf(error), message: error.message };
      }
    });
    if (version >= 1) out.int32(0);
    out.array(results, (w, result) => {
      w.nullableString(result.name);
      // Only a deleted topic is named by its id: the ids of names that never were a topic are not worth keeping.
      if (version >= 6) w.uuid(result.name === null || result.error !== ErrorCode.NONE ? ZERO_UUID : context.topicIds.idOf(result.name));
      w.int16(result.error);
      if (version >= 5) w.nullableString(result.message);
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
