/**
 * EndTxn (key 26), v0-v4 (flexible from v3): commits or aborts the producer's ongoing
 * transaction: a marker in each of its partitions and, on commit, its group
 * offsets, all in one commit of the log. A retry of a completed EndTxn
 * answers as the first did. v4 only allows TRANSACTION_ABORTABLE (KIP-890),
 * which ksqlite never answers; v5 (KIP-890's epoch bump per transaction) is
 * not offered.
 */
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';
import { transactionCallCode } from './transaction-errors.js';

export const endTxnApi: KafkaApi = {
  key: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const transactionalId = body.string();
    const producer = { producerId: body.int64(), epoch: body.int16() };
    const commit = body.bool();
    const code = transactionCallCode(version, 2, () => context.broker.transactions.endTransaction(transactionalId, producer, commit));
    out.int32(0).int16(code).taggedFields();
    return true;
  },
};
