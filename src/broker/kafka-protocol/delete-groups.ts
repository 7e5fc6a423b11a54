/**
 * DeleteGroups (key 42), v0-v2, flexible from v2: deletes groups without
 * members and their committed offsets (`GroupCoordinator.deleteGroup`); each
 * group gets its own error.
 */
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const deleteGroupsApi: KafkaApi = {
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  handle({ body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const groups = body.array((r) => r.string());
    const results = groups.map((groupId) => ({ groupId, error: context.groups.deleteGroup(groupId) }));
    out.int32(0);
    out.array(results, (w, { groupId, error }) => w.string(groupId).int16(error).taggedFields());
    out.taggedFields();
    return true;
  },
};
