/** Test helper: RecordBatch v2 bytes as an idempotent or transactional producer sends them. */
import { computeCrc32c } from '../../src/broker/crc32c.js';
import { RecordBatchBuilder } from '../../src/broker/record-batch/record-batch-builder.js';
import {
  ATTRIBUTES,
  BASE_SEQUENCE,
  CRC,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  TRANSACTIONAL_FLAG,
  writeInt16,
  writeInt32,
  writeInt64,
} from '../../src/broker/record-batch/record-batch-layout.js';

export interface ProducerFields {
  readonly producerId: number;
  readonly epoch: number;
  readonly sequence: number;
  readonly transactional?: boolean;
}

/** One batch of `values` (keyed `k-<value>`) carrying the producer's id, epoch and first sequence. */
export function producerBatch(values: readonly string[], producer: ProducerFields, timestamp = 1000): Buffer {
  const builder = new RecordBatchBuilder(1024 * 1024);
  for (const v of values) builder.add({ key: Buffer.from(`k-${v}`), value: Buffer.from(v) }, timestamp, 'test');
  const [batch] = builder.finish(0);
  writeInt64(batch!, PRODUCER_ID, producer.producerId);
  writeInt16(batch!, PRODUCER_EPOCH, producer.epoch);
  writeInt32(batch!, BASE_SEQUENCE, producer.sequence);
  if (producer.transactional === true) writeInt16(batch!, ATTRIBUTES, TRANSACTIONAL_FLAG);
  writeInt32(batch!, CRC, computeCrc32c(batch!, ATTRIBUTES, batch!.length));
  return batch!;
}
