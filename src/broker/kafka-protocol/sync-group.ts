/**
 * SyncGroup (key 14), v0-v3: after a join, each member asks for its
 * assignment; the leader's request brings everyone's. The answer waits for
 * the leader's (group-coordinator.ts).
 */
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const syncGroupApi: KafkaApi = {
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 4,
  async handle({ version, body, context }: ApiRequest, out: ProtocolWriter): Promise<boolean> {
    const groupId = body.string();
    const generation = body.int32();
    const memberId = body.string();
    if (version >= 3) body.nullableString();
    const assignments = new Map<string, Buffer>();
    for (const { id, assignment } of body.array((r) => ({ id: r.string(), assignment: r.nullableBytes() }))) {
      assignments.set(id, Buffer.from(assignment ?? Buffer.alloc(0)));
    }
    const result = await context.groups.sync({ groupId, generation, memberId, assignments });
    if (version >= 1) out.int32(0);
    out.int16(result.error).nullableBytes([result.assignment]);
    return true;
  },
};
