/**
 * Heartbeat (key 12), v0-v4 (flexible from v4): keeps a member's session alive; during a
 * rebalance it answers REBALANCE_IN_PROGRESS, telling the member to rejoin.
 */
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const heartbeatApi: KafkaApi = {
  key: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 4,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const groupId = body.string();
    const generation = body.int32();
    const memberId = body.string();
    if (version >= 3) body.nullableString();
    const error = context.groups.heartbeat(groupId, generation, memberId);
    if (version >= 1) out.int32(0);
    out.int16(error).taggedFields();
    return true;
  },
};
