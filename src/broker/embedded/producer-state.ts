/**
 * Kafka's idempotent producer state, per partition and producer id: the
 * producer's epoch and the sequence numbers and base offsets of its last
 * five batches (what a producer may have in flight). A batch whose sequence
 * numbers match one of them is a retry: it is not stored again and answers
 * with the original base offset. A batch that does not follow the last one
 * is refused (OUT_OF_ORDER_SEQUENCE), one of an older epoch too
 * (INVALID_PRODUCER_EPOCH): a newer producer of that transactional id took
 * over. The state is written in the transaction of the append it follows.
 */
import { BrokerError } from '../broker-error.js';
import {
  ATTRIBUTES,
  BASE_SEQUENCE,
  LAST_OFFSET_DELTA,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  TRANSACTIONAL_FLAG,
  readInt16,
  readInt32,
  readInt64,
} from '../record-batch/record-batch-layout.js';
import type { BrokerStatements } from './embedded-statements.js';
import type { PartitionLog } from './partition-log.js';

/** How many batches per producer a retry may match (Kafka's max.in.flight for idempotence). */
const REMEMBERED_BATCHES = 5;
const INT32_MAX = 2147483647;

/** A batch's producer fields; producerId -1 for a batch of no idempotent producer. */
export interface BatchProducer {
  readonly producerId: number;
  readonly epoch: number;
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly transactional: boolean;
}

/** [first sequence, last sequence, base offset] of a stored batch. */
type RememberedBatch = [number, number, number];

export function readBatchProducer(batch: Uint8Array): BatchProducer {
  const firstSequence = readInt32(batch, BASE_SEQUENCE);
  const last = firstSequence + readInt32(batch, LAST_OFFSET_DELTA);
  return {
    producerId: readInt64(batch, PRODUCER_ID),
    epoch: readInt16(batch, PRODUCER_EPOCH),
    firstSequence,
    // Sequence numbers wrap from Int32.MAX to 0, as Kafka's do.
    lastSequence: last > INT32_MAX ? last - INT32_MAX - 1 : last,
    transactional: (readInt16(batch, ATTRIBUTES) & TRANSACTIONAL_FLAG) !== 0,
  };
}

function nextSequence(sequence: number): number {
  return sequence === INT32_MAX ? 0 : sequence + 1;
}

function where(log: PartitionLog, producer: BatchProducer): string {
  return `${log.topic}-${log.partition} from producer ${producer.producerId} (epoch ${producer.epoch})`;
}

/**
 * Checks `producer`'s batch against what the partition remembers: returns the
 * base offset the same batch was stored at when this is a retry, null when it
 * is the next batch; throws when it is out of order or of a fenced epoch.
 */
export function checkSequence(statements: BrokerStatements, log: PartitionLog, producer: BatchProducer): number | null {
  const row = statements.producerState.get(log.id, producer.producerId);
  if (row === undefined) {
    if (producer.firstSequence === 0) return null;
    throw new BrokerError('UNKNOWN_PRODUCER_ID', `Refused a record batch for ${where(log, producer)}: its first sequence is ${producer.firstSequence} and this partition has no state for the producer.`);
  }
  if (producer.epoch < row.epoch) {
    throw new BrokerError('INVALID_PRODUCER_EPOCH', `Refused a record batch for ${where(log, producer)}: the producer was fenced by epoch ${row.epoch}.`);
  }
  const batches = JSON.parse(row.batches) as RememberedBatch[];
  if (producer.epoch > row.epoch || batches.length === 0) {
    if (producer.firstSequence === 0) return null;
    throw new BrokerError('OUT_OF_ORDER_SEQUENCE', `Refused a record batch for ${where(log, producer)}: a new epoch must start at sequence 0, not ${producer.firstSequence}.`);
  }
  const retry = batches.find(([first, last]) => first === producer.firstSequence && last === producer.lastSequence);
  if (retry !== undefined) return retry[2];
  const expected = nextSequence(batches[batches.length - 1]![1]);
  if (producer.firstSequence !== expected) {
    throw new BrokerError('OUT_OF_ORDER_SEQUENCE', `Refused a record batch for ${where(log, producer)}: sequence ${producer.firstSequence}, expected ${expected}.`);
  }
  return null;
}

/** Remembers `producer`'s batch, stored at `baseOffset`; runs in the append's transaction. */
export function rememberSequence(statements: BrokerStatements, log: PartitionLog, producer: BatchProducer, baseOffset: number, now: number): void {
  const row = statements.producerState.get(log.id, producer.producerId);
  const kept = row === undefined || row.epoch !== producer.epoch ? [] : (JSON.parse(row.batches) as RememberedBatch[]);
  kept.push([producer.firstSequence, producer.lastSequence, baseOffset]);
  const batches = kept.slice(-REMEMBERED_BATCHES);
  statements.upsertProducerState.run(log.id, producer.producerId, producer.epoch, JSON.stringify(batches), now);
}

/**
 * A transaction marker of `epoch` fences the producer's older epochs here
 * (Kafka's markers carry the coordinator's epoch); a newer epoch starts its
 * sequences afresh.
 */
export function fenceOlderEpochs(statements: BrokerStatements, log: PartitionLog, producerId: number, epoch: number, now: number): void {
  const row = statements.producerState.get(log.id, producerId);
  if (row !== undefined && row.epoch >= epoch) return;
  statements.upsertProducerState.run(log.id, producerId, epoch, '[]', now);
}
