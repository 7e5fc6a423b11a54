/**
 * The error code of a failed producer or transaction call. Kafka answers a
 * fenced producer with PRODUCER_FENCED only from the request version that
 * introduced it (KIP-588); older versions get INVALID_PRODUCER_EPOCH, which
 * their clients know.
 */
import { isBrokerError } from '../broker-error.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';

export function transactionErrorCode(error: unknown, version: number, producerFencedSince: number): number {
  const code = errorCodeOf(error);
  return code === ErrorCode.PRODUCER_FENCED && version < producerFencedSince ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
}

/** Runs a producer or transaction call: NONE when it succeeds, the code of the BrokerError it throws otherwise (anything else is rethrown). */
export function transactionCallCode(version: number, producerFencedSince: number, call: () => void): number {
  try {
    call();
    return ErrorCode.NONE;
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return transactionErrorCode(error, version, producerFencedSince);
  }
}
