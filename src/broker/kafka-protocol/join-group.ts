/**
 * JoinGroup (key 11), v0-v9 (flexible from v6): a member joins its group, or rejoins it for a
 * rebalance; the answer waits until the rebalance completes
 * (group-coordinator.ts). A first join gets its member id in this answer
 * (MEMBER_ID_REQUIRED is optional for these versions). v5's group instance
 * id is kept for DescribeGroups; static membership is not otherwise honoured.
 * v7+ names the protocol type in the answer, v8 brings a reason (only
 * informational) and v9's skip-assignment is always false (every leader
 * assigns).
 */
import type { GroupProtocol } from './consumer-group.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const joinGroupApi: KafkaApi = {
  key: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  firstFlexibleVersion: 6,
  async handle({ version, body, context, clientId, clientHost }: ApiRequest, out: ProtocolWriter): Promise<boolean> {
    const groupId = body.string();
    const sessionTimeoutMs = body.int32();
    const rebalanceTimeoutMs = version >= 1 ? body.int32() : sessionTimeoutMs;
    const memberId = body.string();
    const groupInstanceId = version >= 5 ? body.nullableString() : null;
    const protocolType = body.string();
    // Copied: a member's metadata outlives the request frame it came in.
    const protocols = body.array((r): GroupProtocol => {
      const protocol = { name: r.string(), metadata: Buffer.from(r.nullableBytes() ?? Buffer.alloc(0)) };
      r.taggedFields();
      return protocol;
    });
    const result = await context.groups.join({
      groupId, memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols,
    });
    if (version >= 2) out.int32(0);
    out.int16(result.error).int32(result.generation);
    if (version >= 7) out.nullableString(result.error === ErrorCode.NONE ? protocolType : null);
    out.string(result.protocol).string(result.leaderId);
    if (version >= 9) out.bool(false);
    out.string(result.memberId);
    out.array(result.members, (w, member) => {
      w.string(member.memberId);
      if (version >= 5) w.nullableString(member.groupInstanceId);
      w.nullableBytes([member.metadata]).taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
