/**
 * InitProducerId (key 22), v0-v5, flexible from v2: a producer id and epoch
 * for an idempotent producer (a new id every time) or for a transactional id
 * (its id with the epoch bumped, fencing the producer before it and aborting
 * its open transaction). v3+ names the producer's current id and epoch, -1
 * when it has none. v5 only allows TRANSACTION_ABORTABLE (KIP-890), which
 * ksqlite never answers. A transactional id the server keeps for itself is
 * refused (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), fencing nothing.
 */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';
import { transactionCallCode } from './transaction-errors.js';

export const initProducerIdApi: KafkaApi = {
  key: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 2,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const transactionalId = body.nullableString();
    const timeoutMs = body.int32();
    const current = version >= 3 ? { producerId: body.int64(), epoch: body.int16() } : null;
    let producer = { producerId: -1, epoch: -1 };
    const error = transactionalId !== null && context.reserved.isReservedTransactionalId(transactionalId)
      ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      : transactionCallCode(version, 4, () => {
        producer = context.broker.transactions.initProducerId(transactionalId === '' ? null : transactionalId, timeoutMs, current);
      });
    out.int32(0).int16(error).int64(producer.producerId).int16(producer.epoch).taggedFields();
    return true;
  },
};
