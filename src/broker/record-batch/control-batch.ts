/**
 * Kafka's transaction markers: a control batch (transactional and control
 * attributes set) of one record whose key is (version 0, type: 0 abort,
 * 1 commit) and whose value is (version 0, coordinator epoch), written by the
 * transaction coordinator at the end of a transaction to each of its
 * partitions. Consumers never see it as a record.
 */
import { computeCrc32c } from '../crc32c.js';
import { encodeRecordBatches } from './encode-record-batch.js';
import {
  ATTRIBUTES,
  CONTROL_FLAG,
  CRC,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  TRANSACTIONAL_FLAG,
  readInt16,
  writeInt16,
  writeInt32,
  writeInt64,
} from './record-batch-layout.js';

const ABORT = 0;
const COMMIT = 1;

export function isControlBatch(batch: Uint8Array): boolean {
  return (readInt16(batch, ATTRIBUTES) & CONTROL_FLAG) !== 0;
}

export function isTransactionalBatch(batch: Uint8Array): boolean {
  return (readInt16(batch, ATTRIBUTES) & TRANSACTIONAL_FLAG) !== 0;
}

/** The marker batch ending producer `producerId`'s transaction, at `baseOffset`. */
export function encodeTransactionMarker(baseOffset: number, producerId: number, epoch: number, commit: boolean, timestamp: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(commit ? COMMIT : ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(0, 2);
  const [batch] = encodeRecordBatches({
    baseOffset,
    records: [{ key, value }],
    order: null,
    timestamps: [timestamp],
    logAppendTime: false,
    maxBatchBytes: Number.MAX_SAFE_INTEGER,
  });
  writeInt16(batch!, ATTRIBUTES, TRANSACTIONAL_FLAG | CONTROL_FLAG);
  writeInt64(batch!, PRODUCER_ID, producerId);
  writeInt16(batch!, PRODUCER_EPOCH, epoch);
  writeInt32(batch!, CRC, computeCrc32c(batch!, ATTRIBUTES, batch!.length));
  return batch!;
}
