/**
 * AddOffsetsToTxn (key 25), v0-v4 (flexible from v3): a transactional producer will commit a
 * group's offsets in its transaction (TxnOffsetCommit), which starts the
 * transaction when none is ongoing. This one broker coordinates the group too.
 * v4 only allows TRANSACTION_ABORTABLE (KIP-890), which ksqlite never answers.
 */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';
import { transactionCallCode } from './transaction-errors.js';

export const addOffsetsToTxnApi: KafkaApi = {
  key: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const transactionalId = body.string();
    const producer = { producerId: body.int64(), epoch: body.int16() };
    const group = body.string();
    const code = group === ''
      ? ErrorCode.INVALID_GROUP_ID
      : transactionCallCode(version, 2, () => context.broker.transactions.addOffsets(transactionalId, producer));
    out.int32(0).int16(code).taggedFields();
    return true;
  },
};
