/** DeleteTopics (key 20), v0-v3: deletes each named topic and what the log keeps for it. */
import { isBrokerError } from '../broker-error.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const deleteTopicsApi: KafkaApi = {
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 4,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const names = body.array((r) => r.string());
    body.int32();
    const results = names.map((name) => {
      try {
        context.broker.deleteTopic(name);
        return { name, error: ErrorCode.NONE };
      } catch (error) {
        if (!isBrokerError(error)) throw error;
        return { name, error: errorCodeOf(error) };
      }
    });
    if (version >= 1) out.int32(0);
    out.array(results, (w, result) => w.string(result.name).int16(result.error));
    return true;
  },
};
