/**
 * Lays out the records bound for one partition as RecordBatch v2 batches
 * while they arrive, the way a Kafka producer's accumulator does: each record
 * is encoded into one growing buffer at once, so what waits for the append is
 * bytes, not record objects. Offsets are not known until the append, and
 * nothing the CRC covers depends on them: `finish` writes each batch's header
 * (base offset, counts, timestamps, CRC) in place when they are.
 */
import { BrokerError } from '../broker-error.js';
import { HEADER_SIZE } from './record-batch-layout.js';
import { sizeOfRecordBody, writeBatchHeader, writeRecord, type EncodableRecord } from './encode-record-batch.js';
import { sizeOfVarlong } from './varint.js';

const INITIAL_CAPACITY = 16 * 1024;
/** A buffer grown past this is let go when emptied, so an idle builder does not keep a burst's memory. */
const RETAINED_CAPACITY = 1024 * 1024;

/** One batch inside the builder's buffer: `[start, end)`, header included. */
interface OpenBatch {
  readonly start: number;
  end: number;
  count: number;
  readonly baseTimestamp: number;
  maxTimestamp: number;
}

export class RecordBatchBuilder {
  private buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
  private readonly batches: OpenBatch[] = [];
  private records = 0;
  /** The bytes the builder held when it was last emptied: a buffer that has to grow again grows to that at once. */
  private lastUsed = 0;

  /** `maxBatchBytes` is the topic's max.message.bytes: a batch never exceeds it. */
  constructor(private readonly maxBatchBytes: number) {}

  /** Records added since the last `clear`. */
  get count(): number {
    return this.records;
  }

  /** Encodes a record with the given timestamp (epoch ms). `where` names the partition in errors. */
  add(record: EncodableRecord, timestamp: number, where: string): void {
    let batch = this.batches[this.batches.length - 1];
    let body = batch === undefined ? 0 : sizeOfRecordBody(record, timestamp - batch.baseTimestamp, batch.count);
    if (batch === undefined || (batch.count > 0 && batch.end - batch.start + sizeOfVarlong(body) + body > this.maxBatchBytes)) {
      const start = batch === undefined ? 0 : batch.end;
      batch = { start, end: start + HEADER_SIZE, count: 0, baseTimestamp: timestamp, maxTimestamp: timestamp };
      this.batches.push(batch);
      body = sizeOfRecordBody(record, 0, 0);
    }
    const total = sizeOfVarlong(body) + body;
    if (batch.count === 0 && HEADER_SIZE + total > this.maxBatchBytes) {
      this.batches.pop();
      throw new BrokerError('RECORD_TOO_LARGE', `A record of ${HEADER_SIZE + total} bytes (as a batch) exceeds max.message.bytes=${this.maxBatchBytes} of ${where}.`);
    }
    this.reserve(batch.end + total);
    batch.end = writeRecord(this.buffer, batch.end, body, record, timestamp - batch.baseTimestamp, batch.count);
    batch.count++;
    if (timestamp > batch.maxTimestamp) batch.maxTimestamp = timestamp;
    this.records++;
  }

  /**
   * Completes the batches for an append at `baseOffset` and returns them, in
   * order. With `appendTime` (a LogAppendTime topic) that time is every
   * record's timestamp. The returned buffers are views into the builder, valid
   * until it is next changed.
   */
  finish(baseOffset: number, appendTime?: number): Buffer[] {
    const out: Buffer[] = [];
    let offset = baseOffset;
    for (const batch of this.batches) {
      const view = this.buffer.subarray(batch.start, batch.end);
      writeBatchHeader(view, view.length, {
        baseOffset: offset,
        lastOffsetDelta: batch.count - 1,
        recordCount: batch.count,
        baseTimestamp: appendTime ?? batch.baseTimestamp,
        maxTimestamp: appendTime ?? batch.maxTimestamp,
        logAppendTime: appendTime !== undefined,
      });
      out.push(view);
      offset += batch.count;
    }
    return out;
  }

  /** Forgets every record. */
  clear(): void {
    this.lastUsed = this.used();
    this.batches.length = 0;
    this.records = 0;
    if (this.buffer.length > RETAINED_CAPACITY) this.buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
  }

  private reserve(size: number): void {
    if (size <= this.buffer.length) return;
    // Doubling from a small buffer on every commit of a busy task would copy each commit's bytes about twice more.
    let capacity = Math.max(this.buffer.length * 2, this.lastUsed);
    while (capacity < size) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.used());
    this.buffer = grown;
  }

  private used(): number {
    return this.batches.length === 0 ? 0 : this.batches[this.batches.length - 1]!.end;
  }
}
