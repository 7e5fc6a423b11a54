/**
 * LeaveGroup (key 13), v0-v5 (flexible from v4): a member leaves its group, which rebalances
 * without it. v3 names several members at once (by member id; the group
 * instance id is echoed back), each with its own error; v5 adds each
 * member's reason (only informational).
 */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const leaveGroupApi: KafkaApi = {
  key: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 4,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const groupId = body.string();
    if (version < 3) {
      const error = context.groups.leave(groupId, body.string());
      if (version >= 1) out.int32(0);
      out.int16(error);
      return true;
    }
    const members = body.array((r) => {
      const member = { memberId: r.string(), groupInstanceId: r.nullableString() };
      if (version >= 5) r.nullableString();
      r.taggedFields();
      return member;
    });
    const results = members.map((m) => ({ ...m, error: context.groups.leave(groupId, m.memberId) }));
    out.int32(0).int16(ErrorCode.NONE);
    out.array(results, (w, member) => w.string(member.memberId).nullableString(member.groupInstanceId).int16(member.error).taggedFields());
    out.taggedFields();
    return true;
  },
};
