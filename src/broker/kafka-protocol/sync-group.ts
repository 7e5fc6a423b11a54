/**
 * SyncGroup (key 14), v0-v5 (flexible from v4): after a join, each member asks for its
 * assignment; the leader's request brings everyone's. The answer waits for
 * the leader's (group-coordinator.ts). v5 names the protocol type and name
 * in both directions; the answer echoes the request's.
 */
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const syncGroupApi: KafkaApi = {
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 4,
  async handle({ version, body, context }: ApiRequest, out: ProtocolWriter): Promise<boolean> {
    const groupId = body.string();
    const generation = body.int32();
    const memberId = body.string();
    if (version >= 3) body.nullableString();
    const protocolType = version >= 5 ? body.nullableString() : null;
    const protocolName = version >= 5 ? body.nullableString() : null;
    const assignments = new Map<string, Buffer>();
    body.array((r) => {
      const id = r.string();
      assignments.set(id, Buffer.from(r.nullableBytes() ?? Buffer.alloc(0)));
      r.taggedFields();
    });
    const result = await context.groups.sync({ groupId, generation, memberId, assignments });
    if (version >= 1) out.int32(0);
    out.int16(result.error);
    if (version >= 5) out.nullableString(protocolType).nullableString(protocolName);
    out.nullableBytes([result.assignment]).taggedFields();
    return true;
  },
};
