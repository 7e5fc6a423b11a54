/**
 * DeleteGroups (key 42), v0-v2, flexible from v2: deletes groups without
 * members and their committed offsets (`GroupCoordinator.deleteGroup`); each
 * group gets its own error.
 */
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

const FIRST_FLEXIBLE_VERSION = 2;

export const deleteGroupsApi: KafkaApi = {
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: FIRST_FLEXIBLE_VERSION,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const flexible = version >= FIRST_FLEXIBLE_VERSION;
    const groups = flexible ? body.compactArray((r) => r.compactString()) : body.array((r) => r.string());
    const results = groups.map((groupId) => ({ groupId, error: context.groups.deleteGroup(groupId) }));
    out.int32(0);
    if (!flexible) {
      out.array(results, (w, { groupId, error }) => w.string(groupId).int16(error));
      return true;
    }
    out.compactArray(results, (w, { groupId, error }) => w.compactString(groupId).int16(error).emptyTaggedFields());
    out.emptyTaggedFields();
    return true;
  },
};
