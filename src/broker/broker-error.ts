/**
 * Errors the log raises. Each is a KsqlError (so it renders like every other
 * user-facing error) that also names a broker-level `reason`, so callers such
 * as the engine can tell "unknown topic" from "offset out of range" without
 * parsing messages.
 */
import { KsqlError, type ErrorCode } from '../common/errors.js';

export type BrokerErrorReason =
  | 'UNKNOWN_TOPIC'
  | 'TOPIC_EXISTS'
  | 'INVALID_TOPIC'
  | 'INVALID_PARTITION'
  | 'OFFSET_OUT_OF_RANGE'
  | 'INVALID_CONFIG'
  | 'INVALID_RECORD'
  | 'RECORD_TOO_LARGE'
  | 'UNSUPPORTED_COMPRESSION'
  | 'CORRUPT_DATA'
  | 'INVALID_PRODUCER_EPOCH'
  | 'PRODUCER_FENCED'
  | 'OUT_OF_ORDER_SEQUENCE'
  | 'UNKNOWN_PRODUCER_ID'
  | 'INVALID_PRODUCER_ID_MAPPING'
  | 'INVALID_TXN_STATE'
  | 'INVALID_TRANSACTION_TIMEOUT'
  | 'STORAGE'
  | 'KAFKA_CLUSTER'
  | 'CLOSED';

const CODE_OF_REASON: { readonly [R in BrokerErrorReason]: ErrorCode } = {
  UNKNOWN_TOPIC: 'NOT_FOUND',
  TOPIC_EXISTS: 'BAD_REQUEST',
  INVALID_TOPIC: 'BAD_REQUEST',
  INVALID_PARTITION: 'BAD_REQUEST',
  OFFSET_OUT_OF_RANGE: 'BAD_REQUEST',
  INVALID_CONFIG: 'BAD_REQUEST',
  INVALID_RECORD: 'BAD_REQUEST',
  RECORD_TOO_LARGE: 'BAD_REQUEST',
  UNSUPPORTED_COMPRESSION: 'BAD_REQUEST',
  CORRUPT_DATA: 'CORRUPT_DATA',
  INVALID_PRODUCER_EPOCH: 'BAD_REQUEST',
  PRODUCER_FENCED: 'BAD_REQUEST',
  OUT_OF_ORDER_SEQUENCE: 'BAD_REQUEST',
  UNKNOWN_PRODUCER_ID: 'BAD_REQUEST',
  INVALID_PRODUCER_ID_MAPPING: 'BAD_REQUEST',
  INVALID_TXN_STATE: 'BAD_REQUEST',
  INVALID_TRANSACTION_TIMEOUT: 'BAD_REQUEST',
  STORAGE: 'STORAGE_ERROR',
  /** A Kafka cluster refused or failed a request (unreachable, authentication, any other error code). */
  KAFKA_CLUSTER: 'STORAGE_ERROR',
  CLOSED: 'SERVER_SHUTTING_DOWN',
};

export class BrokerError extends KsqlError {
  readonly reason: BrokerErrorReason;

  constructor(reason: BrokerErrorReason, message: string, cause?: unknown) {
    super(CODE_OF_REASON[reason], message, cause === undefined ? {} : { cause });
    this.name = 'BrokerError';
    this.reason = reason;
  }
}

/** True when `error` is a BrokerError for `reason`. */
export function isBrokerError(error: unknown, reason?: BrokerErrorReason): error is BrokerError {
  return error instanceof BrokerError && (reason === undefined || error.reason === reason);
}
