/**
 * Fetch (key 1), v0-v17 (flexible from v12): serves the stored batches as stored, whole, from
 * the one holding the fetch offset. Limits as Kafka applies them: at most
 * partition_max_bytes per partition and max_bytes in all (v3+), except that
 * the first batch of the first non-empty partition is always served so a
 * consumer makes progress. Long polling: when fewer than min_bytes are
 * ready, the request waits up to max_wait_ms, woken by the log's append
 * notifications for the partitions it reads. Fetch sessions (v7+) are not
 * kept: every response is a full one with session id 0, which clients accept.
 * Transactions (v4+): a read_committed fetch (isolation level 1) is served
 * up to the last stable offset and lists the aborted transactions in that
 * range, whose records the client drops (as it drops the markers); both
 * isolation levels learn the last stable offset. v13+ names topics by id
 * (topic-ids.ts; an id no topic has is UNKNOWN_TOPIC_ID); v15+ drops the
 * replica id, which only brokers set. The tagged fields of later versions
 * (replica state, leader hints) concern replication and are skipped.
 */
import { isBrokerError } from '../broker-error.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import { ZERO_UUID, type ApiRequest, type KafkaApi, type KafkaContext } from './kafka-api.js';
import type { ProtocolReader } from './protocol-reader.js';
import type { ProtocolWriter } from './protocol-writer.js';
import type { TopicIds } from './topic-ids.js';
import type { AbortedTransaction } from '../transactions.js';

/** The most one response carries whatever the client asks (it must fit a frame clients accept). */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const READ_COMMITTED = 1;

interface FetchPartition {
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
}

interface FetchTopic {
  /** null when the topic was asked for by an id no topic has. */
  readonly topic: string | null;
  readonly id: string;
  readonly partitions: FetchPartition[];
}

interface PartitionData {
  readonly partition: number;
  readonly error: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** null for read_uncommitted (Kafka sends a null list then). */
  readonly aborted: AbortedTransaction[] | null;
  readonly batches: Buffer[];
}

function readTopics(body: ProtocolReader, version: number, topicIds: TopicIds): FetchTopic[] {
  return body.array((r) => {
    const id = version >= 13 ? r.uuid() : ZERO_UUID;
    const topic = version >= 13 ? topicIds.nameOf(id) : r.string();
    const partitions = r.array((pr) => {
      const partition = pr.int32();
      if (version >= 9) pr.int32();
      const fetchOffset = pr.int64();
      if (version >= 12) pr.int32();
      if (version >= 5) pr.int64();
      const maxBytes = pr.int32();
      pr.taggedFields();
      return { partition, fetchOffset, maxBytes };
    });
    r.taggedFields();
    return { topic, id, partitions };
  });
}

/** Reads every requested partition within the limits; returns the data and its byte count. */
function collect(context: KafkaContext, topics: readonly FetchTopic[], maxBytes: number, readCommitted: boolean): { data: { topic: string | null; id: string; partitions: PartitionData[] }[]; bytes: number } {
  const { broker } = context;
  let bytes = 0;
  const data = topics.map(({ topic, id, partitions }) => ({
    topic,
    id,
    partitions: partitions.map(({ partition, fetchOffset, maxBytes: partitionMax }): PartitionData => {
      if (topic === null) return { partition, error: ErrorCode.UNKNOWN_TOPIC_ID, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, aborted: null, batches: [] };
      let highWatermark = -1;
      let lastStableOffset = -1;
      let logStartOffset = -1;
      try {
        highWatermark = broker.logEndOffset(topic, partition);
        lastStableOffset = broker.latestOffset(topic, partition);
        logStartOffset = broker.earliestOffset(topic, partition);
        const end = readCommitted ? lastStableOffset : highWatermark;
        const limit = Math.min(partitionMax, maxBytes - bytes);
        let batches: Buffer[] = [];
        if (limit > 0 || bytes === 0) {
          batches = broker.readBatches(topic, partition, fetchOffset, Math.max(limit, 1), end);
          // Only the first non-empty partition may exceed the limits with its first batch.
          if (bytes > 0 && batches.length > 0 && batches[0]!.length > limit) batches = [];
        }
        for (const batch of batches) bytes += batch.length;
        const aborted = readCommitted ? (batches.length > 0 ? broker.abortedTransactions(topic, partition, fetchOffset, end) : []) : null;
        return { partition, error: ErrorCode.NONE, highWatermark, lastStableOffset, logStartOffset, aborted, batches };
      } catch (error) {
        if (!isBrokerError(error)) throw error;
        return { partition, error: errorCodeOf(error), highWatermark, lastStableOffset, logStartOffset, aborted: null, batches: [] };
      }
    }),
  }));
  return { data, bytes };
}

/** Resolves at the first append to one of `topics`, after `ms`, or when `signal` aborts. */
function waitForAppend(context: KafkaContext, topics: ReadonlySet<string>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = context.broker.onAppend((topic) => {
      if (topics.has(topic)) done();
    });
    signal.addEventListener('abort', done);
  });
}

export const fetchApi: KafkaApi = {
  key: 1,
  name: 'Fetch',
  minVersion: 0,
  maxVersion: 17,
  firstFlexibleVersion: 12,
  async handle({ version, body, context, signal }: ApiRequest, out: ProtocolWriter): Promise<boolean> {
    if (version <= 14) body.int32();
    const maxWaitMs = body.int32();
    const minBytes = body.int32();
    const maxBytes = Math.min(version >= 3 ? body.int32() : MAX_RESPONSE_BYTES, MAX_RESPONSE_BYTES);
    const readCommitted = version >= 4 && body.int8() === READ_COMMITTED;
    if (version >= 7) {
      body.int32();
      body.int32();
    }
    const topics = readTopics(body, version, context.topicIds);
    const deadline = Date.now() + Math.max(0, maxWaitMs);
    const topicNames = new Set(topics.flatMap((t) => (t.topic === null ? [] : [t.topic])));
    let result = collect(context, topics, maxBytes, readCommitted);
    while (result.bytes < minBytes && !signal.aborted) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await waitForAppend(context, topicNames, left, signal);
      if (signal.aborted) break;
      result = collect(context, topics, maxBytes, readCommitted);
    }

    if (version >= 1) out.int32(0);
    if (version >= 7) out.int16(ErrorCode.NONE).int32(0);
    out.array(result.data, (w, topic) => {
      if (version >= 13) w.uuid(topic.id);
      // Before v13 every topic is asked for, so answered, by name.
      else w.string(topic.topic ?? '');
      w.array(topic.partitions, (pw, p) => {
        pw.int32(p.partition).int16(p.error).int64(p.highWatermark);
        if (version >= 4) pw.int64(p.lastStableOffset);
        if (version >= 5) pw.int64(p.logStartOffset);
        if (version >= 4) pw.array(p.aborted, (aw, a) => aw.int64(a.producerId).int64(a.firstOffset).taggedFields());
        if (version >= 11) pw.int32(-1);
        pw.nullableBytes(p.batches).taggedFields();
      });
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
