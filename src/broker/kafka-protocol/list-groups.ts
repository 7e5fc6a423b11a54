/** ListGroups (key 16), v0-v2: every group the coordinator or the log's group offsets know, with its protocol type. */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const listGroupsApi: KafkaApi = {
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 3,
  handle({ version, context }: ApiRequest, out: ProtocolWriter): boolean {
    if (version >= 1) out.int32(0);
    out.int16(ErrorCode.NONE);
    out.array(context.groups.listGroups(), (w, group) => w.string(group.groupId).string(group.protocolType));
    return true;
  },
};
