/**
 * kafkajs' failures as the log's own errors: a BrokerError whose reason names
 * Kafka's condition, so callers treat an embedded and a Kafka log alike. A
 * fenced producer is its own class: the task that holds it must stop, not retry.
 */
import { BrokerError, type BrokerErrorReason } from '../broker-error.js';

/** A newer producer of the same transactional id took over: this one may write nothing more. */
export class ProducerFencedError extends BrokerError {
  readonly transactionalId: string;

  constructor(transactionalId: string, cause: unknown) {
    super('PRODUCER_FENCED', `The producer of transactional id '${transactionalId}' was fenced by a newer epoch: ${messageOf(cause)}`, cause);
    this.name = 'ProducerFencedError';
    this.transactionalId = transactionalId;
  }
}

const REASON_OF_TYPE: Readonly<Record<string, BrokerErrorReason>> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'UNKNOWN_TOPIC',
  TOPIC_ALREADY_EXISTS: 'TOPIC_EXISTS',
  INVALID_TOPIC_EXCEPTION: 'INVALID_TOPIC',
  INVALID_PARTITIONS: 'INVALID_PARTITION',
  INVALID_REPLICATION_FACTOR: 'INVALID_CONFIG',
  INVALID_CONFIG: 'INVALID_CONFIG',
  POLICY_VIOLATION: 'INVALID_CONFIG',
  OFFSET_OUT_OF_RANGE: 'OFFSET_OUT_OF_RANGE',
  MESSAGE_TOO_LARGE: 'RECORD_TOO_LARGE',
  RECORD_LIST_TOO_LARGE: 'RECORD_TOO_LARGE',
  CORRUPT_MESSAGE: 'CORRUPT_DATA',
  INVALID_TXN_STATE: 'INVALID_TXN_STATE',
  INVALID_TRANSACTION_TIMEOUT: 'INVALID_TRANSACTION_TIMEOUT',
  INVALID_PRODUCER_ID_MAPPING: 'INVALID_PRODUCER_ID_MAPPING',
  OUT_OF_ORDER_SEQUENCE_NUMBER: 'OUT_OF_ORDER_SEQUENCE',
  UNKNOWN_PRODUCER_ID: 'UNKNOWN_PRODUCER_ID',
};

interface KafkajsErrorShape {
  readonly type?: string;
  readonly message?: string;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly errors?: readonly unknown[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The Kafka error type under kafkajs' wrappers (retries exceeded, aggregate, per-topic errors). */
export function kafkaTypeOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const shape = error as KafkajsErrorShape;
  // kafkajs 2.2.4 predates Kafka's PRODUCER_FENCED (90) and reports it as an unknown code.
  if (/\bUnknown error code 90\b/.test(shape.message ?? '')) return 'PRODUCER_FENCED';
  if (shape.type !== undefined && shape.type !== 'KAFKAJS_UNKNOWN_ERROR_CODE') return shape.type;
  for (const inner of [shape.cause, shape.originalError, ...(shape.errors ?? [])]) {
    const type = kafkaTypeOf(inner, depth + 1);
    if (type !== undefined) return type;
  }
  return undefined;
}

/** True when `error` says the producer's epoch is stale. */
export function isFencing(error: unknown): boolean {
  const type = kafkaTypeOf(error);
  return type === 'INVALID_PRODUCER_EPOCH' || type === 'PRODUCER_FENCED';
}

/** `error` (from kafkajs) as a BrokerError saying what failed; BrokerErrors pass through. */
export function kafkaError(error: unknown, what: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const type = kafkaTypeOf(error);
  const reason = (type === undefined ? undefined : REASON_OF_TYPE[type]) ?? 'KAFKA_CLUSTER';
  return new BrokerError(reason, `${what} failed on the Kafka cluster${type === undefined ? '' : ` (${type})`}: ${messageOf(error)}`, error);
}
