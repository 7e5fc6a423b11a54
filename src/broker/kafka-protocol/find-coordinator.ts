/**
 * FindCoordinator (key 10), v0-v5 (flexible from v3): this one broker
 * coordinates every consumer group (key type 0) and every transactional id
 * (key type 1). v4+ asks for many keys at once and answers one coordinator
 * per key. v6 adds share groups' key type, which ksqlite does not have, so
 * it is not offered.
 */
import { ErrorCode } from './error-codes.js';
import { NODE_ID, type ApiRequest, type KafkaApi, type KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

const GROUP_KEY_TYPE = 0;
const TRANSACTION_KEY_TYPE = 1;

interface Coordinator {
  readonly key: string;
  readonly error: number;
  readonly message: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

function coordinatorFor(context: KafkaContext, key: string, keyType: number): Coordinator {
  if (keyType === GROUP_KEY_TYPE || keyType === TRANSACTION_KEY_TYPE) {
    return { key, error: ErrorCode.NONE, message: null, nodeId: NODE_ID, host: context.advertisedHost, port: context.advertisedPort() };
  }
  return { key, error: ErrorCode.COORDINATOR_NOT_AVAILABLE, message: `No coordinator for key type ${keyType}.`, nodeId: -1, host: '', port: -1 };
}

export const findCoordinatorApi: KafkaApi = {
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const key = version <= 3 ? body.string() : '';
    const keyType = version >= 1 ? body.int8() : GROUP_KEY_TYPE;
    if (version >= 4) {
      const coordinators = body.array((r) => coordinatorFor(context, r.string(), keyType));
      out.int32(0).array(coordinators, (w, c) => {
        w.string(c.key).int32(c.nodeId).string(c.host).int32(c.port).int16(c.error).nullableString(c.message).taggedFields();
      });
      out.taggedFields();
      return true;
    }
    const found = coordinatorFor(context, key, keyType);
    if (version >= 1) out.int32(0);
    out.int16(found.error);
    if (version >= 1) out.nullableString(found.message);
    out.int32(found.nodeId).string(found.host).int32(found.port).taggedFields();
    return true;
  },
};
