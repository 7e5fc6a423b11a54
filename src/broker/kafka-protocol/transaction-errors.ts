/**
 * The error code of a failed producer or transaction call. Kafka answers a
 * fenced producer with PRODUCER_FENCED only from the request version that
 * introduced it (KIP-588); older versions get INVALID_PRODUCER_EPOCH, which
 * their clients know.
 */
import { ErrorCode, errorCodeOf } from './error-codes.js';

export function transactionErrorCode(error: unknown, version: number, producerFencedSince: number): number {
  const code = errorCodeOf(error);
  return code === ErrorCode.PRODUCER_FENCED && version < producerFencedSince ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
}
