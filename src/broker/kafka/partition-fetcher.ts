/**
 * Reads one partition of a Kafka topic from an offset, a batch per call,
 * read_committed: Fetch stops at the last stable offset and names the aborted
 * transactions in what it returns; this drops their records and the
 * transaction markers, as Kafka's consumer does (per producer, an aborted
 * transaction runs from its first offset to that producer's ABORT marker).
 */
import type { ConsumedRecord, FetchResult, RecordHeader } from '../broker.js';
import { kafkaError } from './kafka-errors.js';
import { READ_COMMITTED, type KafkajsCluster, type KafkajsFetchedPartition, type KafkajsRecord } from './kafkajs-cluster.js';

export interface PartitionFetchOptions {
  /** About this many record bytes at most (default 1 MiB); a larger first batch still comes whole. */
  readonly maxBytes?: number;
  /** How long the leader may wait for data when there is none yet (default 0: answer at once). */
  readonly maxWaitMs?: number;
}

/** A fetch's records and next offset, with the partition's ends as the leader saw them. */
export interface PartitionFetchResult extends FetchResult {
  /** The log end offset (high watermark). */
  readonly highWatermark: number;
  /** Where read_committed reading stops now. */
  readonly lastStableOffset: number;
}

const DEFAULT_MAX_BYTES = 1 << 20;
/** A control record's key: version (int16), then the type, 0 for ABORT. */
const ABORT_MARKER_TYPE = 0;

function headersOf(headers: KafkajsRecord['headers']): RecordHeader[] {
  return Object.entries(headers).flatMap(([key, value]) =>
    (Array.isArray(value) ? (value as readonly (Buffer | null)[]) : [value as Buffer | null]).map((v) => ({ key, value: v ?? null })),
  );
}

function isAbortMarker(record: KafkajsRecord): boolean {
  return record.isControlRecord && record.key !== null && record.key.length >= 4 && record.key.readInt16BE(2) === ABORT_MARKER_TYPE;
}

/** The committed records of `fetched` from `fromOffset` on, and where the next fetch starts. */
export function committedRecords(topic: string, fetched: KafkajsFetchedPartition, fromOffset: number): FetchResult {
  const aborted = [...fetched.abortedTransactions]
    .map((t) => ({ producerId: t.producerId, firstOffset: Number(t.firstOffset) }))
    .sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<string>();
  const records: ConsumedRecord[] = [];
  let nextOffset = fromOffset;
  for (const record of fetched.messages) {
    const offset = Number(record.offset);
    const { batchContext } = record;
    // A batch holds its offsets up to base + lastOffsetDelta, even when compaction removed the last records.
    nextOffset = Math.max(nextOffset, offset + 1, Number(batchContext.firstOffset) + batchContext.lastOffsetDelta + 1);
    while (aborted.length > 0 && aborted[0]!.firstOffset <= offset) abortedProducers.add(aborted.shift()!.producerId);
    if (record.isControlRecord) {
      if (isAbortMarker(record)) abortedProducers.delete(batchContext.producerId);
      continue;
    }
    if (offset < fromOffset) continue;
    if (batchContext.inTransaction && abortedProducers.has(batchContext.producerId)) continue;
    records.push({
      topic,
      partition: fetched.partition,
      offset,
      timestamp: Number(record.timestamp),
      key: record.key,
      value: record.value,
      headers: headersOf(record.headers),
    });
  }
  return { records, nextOffset };
}

/** One read_committed Fetch of `partition` from `fromOffset`, from its leader. */
export async function fetchPartition(
  cluster: KafkajsCluster,
  topic: string,
  partition: number,
  fromOffset: number,
  options: PartitionFetchOptions = {},
): Promise<PartitionFetchResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const request = {
    replicaId: -1,
    isolationLevel: READ_COMMITTED,
    maxWaitTime: options.maxWaitMs ?? 0,
    minBytes: 1,
    maxBytes,
    topics: [{ topic, partitions: [{ partition, fetchOffset: String(fromOffset), maxBytes }] }],
  };
  try {
    return await cluster.withFreshLeaders(async () => {
      const broker = await cluster.leader(topic, partition);
      const response = await broker.fetch(request);
      const fetched = response.responses.find((r) => r.topicName === topic)?.partitions.find((p) => p.partition === partition);
      if (fetched === undefined) throw new Error(`the Fetch response has no partition ${partition} of topic '${topic}'`);
      return {
        ...committedRecords(topic, fetched, fromOffset),
        highWatermark: Number(fetched.highWatermark),
        lastStableOffset: Number(fetched.lastStableOffset),
      };
    });
  } catch (error) {
    throw kafkaError(error, `Fetching partition ${partition} of topic '${topic}' from offset ${fromOffset}`);
  }
}
