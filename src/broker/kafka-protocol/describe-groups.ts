/**
 * DescribeGroups (key 15), v0-v5 (flexible from v5): each group's state, protocol and members
 * (client id and host; subscription and assignment bytes once Stable). A
 * group known only by its committed offsets is Empty; an unknown one Dead.
 */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

/** Kafka's "authorized operations not asked for". */
const OPERATIONS_NOT_ASKED = -2147483648;

export const describeGroupsApi: KafkaApi = {
  key: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 5,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const groups = body.array((r) => r.string());
    if (version >= 3) body.bool();
    if (version >= 1) out.int32(0);
    out.array(groups, (w, groupId) => {
      const group = context.groups.describe(groupId);
      w.int16(ErrorCode.NONE).string(groupId).string(group.state).string(group.protocolType).string(group.protocol);
      w.array(group.members, (mw, member) => {
        mw.string(member.memberId);
        if (version >= 4) mw.nullableString(member.groupInstanceId);
        mw.string(member.clientId).string(member.clientHost).nullableBytes([member.metadata]).nullableBytes([member.assignment]).taggedFields();
      });
      if (version >= 3) w.int32(OPERATIONS_NOT_ASKED);
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
