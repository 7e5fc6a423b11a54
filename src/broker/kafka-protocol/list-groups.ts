/**
 * ListGroups (key 16), v0-v4 (flexible from v3): every group the coordinator
 * or the log's group offsets know, with its protocol type; v4 filters by
 * state (any case, as Kafka matches) and answers each group's state. v5's
 * group types belong to KIP-848's groups, which ksqlite does not keep: not
 * offered.
 */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const listGroupsApi: KafkaApi = {
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const states = version >= 4 ? new Set(body.array((r) => r.string().toLowerCase())) : new Set<string>();
    const groups = context.groups.listGroups().map((group) => ({ ...group, state: context.groups.describe(group.groupId).state }));
    if (version >= 1) out.int32(0);
    out.int16(ErrorCode.NONE);
    out.array(states.size === 0 ? groups : groups.filter((g) => states.has(g.state.toLowerCase())), (w, group) => {
      w.string(group.groupId).string(group.protocolType);
      if (version >= 4) w.string(group.state);
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
