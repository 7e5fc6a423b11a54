/**
 * FindCoordinator (key 10), v0-v2: this one broker coordinates every
 * consumer group (key type 0) and every transactional id (key type 1).
 */
import { ErrorCode } from './error-codes.js';
import { NODE_ID, type ApiRequest, type KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

const GROUP_KEY_TYPE = 0;
const TRANSACTION_KEY_TYPE = 1;

export const findCoordinatorApi: KafkaApi = {
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    body.string();
    const keyType = version >= 1 ? body.int8() : GROUP_KEY_TYPE;
    const found = keyType === GROUP_KEY_TYPE || keyType === TRANSACTION_KEY_TYPE;
    if (version >= 1) out.int32(0);
    out.int16(found ? ErrorCode.NONE : ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (version >= 1) out.nullableString(found ? null : `No coordinator for key type ${keyType}.`);
    out.int32(found ? NODE_ID : -1).string(found ? context.advertisedHost : '').int32(found ? context.advertisedPort() : -1);
    return true;
  },
};
