/**
 * A store's changelog topic, as Kafka Streams keeps one per logged store:
 * every write of the store is appended, key and stored bytes (a NULL value
 * for a deletion), to the partition of the task that owns the store, in the
 * same commit as the store itself. The topic is compacted, so it keeps each
 * key's latest content.
 *
 * A stream-stream join's window stores write their changelogs as Kafka
 * Streams lays out its window stores' keys: the key bytes, the window start
 * (8 bytes, big-endian) and a sequence number (4 bytes) that tells
 * duplicates apart. Our join stores keep a key's records of one time as one
 * list, so the number is always 0 and the compacted topic keeps the latest
 * list; their entries are points in time (start = end), which is why the
 * layout needs no end. That changelog is the stores' only one, also on a
 * log that restores state. Any other window store that `TaskState` logs
 * there has the key followed by the window's start and end (8 bytes each,
 * big-endian) as its changelog key, so each window is a key of its own.
 */
import { writeInt64 } from '../broker/record-batch/record-batch-layout.js';
import type { TaskOutput } from './task.js';

export type ChangelogWriter = (key: Buffer, value: Buffer | null, timestamp: number) => void;

/** A changelog an operator writes itself, and the topic it goes to. */
export interface OperatorChangelog {
  readonly topic: string;
  readonly write: ChangelogWriter;
}

export function changelogWriter(output: TaskOutput, topic: string, partition: number): OperatorChangelog {
  return { topic, write: (key, value, timestamp) => output.emit(topic, { key, value, timestamp, partition }) };
}

const WINDOW_BOUNDS_BYTES = 16;

export function windowBoundsChangelogKey(key: Buffer, start: number, end: number): Buffer {
  const bytes = Buffer.allocUnsafe(key.length + WINDOW_BOUNDS_BYTES);
  key.copy(bytes, 0);
  writeInt64(bytes, key.length, start);
  writeInt64(bytes, key.length + 8, end);
  return bytes;
}

/** The key and window of a window store's changelog key, or null when the bytes are too short to be one. */
export function parseWindowBoundsChangelogKey(bytes: Buffer): { readonly key: Buffer; readonly start: number; readonly end: number } | null {
  const keyLength = bytes.length - WINDOW_BOUNDS_BYTES;
  if (keyLength < 0) return null;
  return {
    key: bytes.subarray(0, keyLength),
    start: Number(bytes.readBigInt64BE(keyLength)),
    end: Number(bytes.readBigInt64BE(keyLength + 8)),
  };
}

const START_BYTES = 8;
const SEQUENCE_BYTES = 4;

/** The changelog key of a window store's entry: key bytes, window start, sequence number 0. */
export function kafkaStreamsWindowChangelogKey(key: Buffer, start: number): Buffer {
  const out = Buffer.alloc(key.length + START_BYTES + SEQUENCE_BYTES);
  key.copy(out, 0);
  writeInt64(out, key.length, start);
  return out;
}

/** The key and time of a changelog key in Kafka Streams' window layout, or null when the bytes are too short to be one. */
export function parseKafkaStreamsWindowChangelogKey(bytes: Buffer): { readonly key: Buffer; readonly start: number } | null {
  const keyLength = bytes.length - START_BYTES - SEQUENCE_BYTES;
  if (keyLength < 0) return null;
  return { key: bytes.subarray(0, keyLength), start: Number(bytes.readBigInt64BE(keyLength)) };
}
