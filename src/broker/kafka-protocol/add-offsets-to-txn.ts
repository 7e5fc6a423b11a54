/**
 * AddOffsetsToTxn (key 25), v0-v2: a transactional producer will commit a
 * group's offsets in its transaction (TxnOffsetCommit), which starts the
 * transaction when none is ongoing. This one broker coordinates the group too.
 */
import { isBrokerError } from '../broker-error.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';
import { transactionErrorCode } from './transaction-errors.js';

export const addOffsetsToTxnApi: KafkaApi = {
  key: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const transactionalId = body.string();
    const producer = { producerId: body.int64(), epoch: body.int16() };
    const group = body.string();
    let code: number = ErrorCode.NONE;
    if (group === '') {
      code = ErrorCode.INVALID_GROUP_ID;
    } else {
      try {
        context.broker.transactions.addOffsets(transactionalId, producer);
      } catch (error) {
        if (!isBrokerError(error)) throw error;
        code = transactionErrorCode(error, version, 2);
      }
    }
    out.int32(0).int16(code);
    return true;
  },
};
