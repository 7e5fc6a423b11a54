/**
 * A store's changelog topic, as Kafka Streams keeps one per logged store:
 * every write of the store is appended, key and stored bytes (a NULL value
 * for a deletion), to the partition of the task that owns the store, in the
 * same commit as the store itself. The topic is compacted, so it keeps each
 * key's latest content.
 *
 * A window store's changelog key is laid out as Kafka Streams lays out its
 * window stores' keys: the key bytes, the window start (8 bytes, big-endian)
 * and a sequence number (4 bytes) that tells duplicates apart. Our join
 * stores keep a key's records of one time as one list, so the number is
 * always 0 and the compacted topic keeps the latest list.
 */
import type { TaskOutput } from './task.js';

export type ChangelogWriter = (key: Buffer, value: Buffer | null, timestamp: number) => void;

export function changelogWriter(output: TaskOutput, topic: string, partition: number): ChangelogWriter {
  return (key, value, timestamp) => output.emit(topic, { key, value, timestamp, partition });
}

const START_BYTES = 8;
const SEQUENCE_BYTES = 4;

/** The changelog key of a window store's entry: key bytes, window start, sequence number 0. */
export function windowChangelogKey(key: Buffer, start: number): Buffer {
  const out = Buffer.alloc(key.length + START_BYTES + SEQUENCE_BYTES);
  key.copy(out, 0);
  out.writeBigInt64BE(BigInt(start), key.length);
  return out;
}
