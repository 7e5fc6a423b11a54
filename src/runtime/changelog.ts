/**
 * A store's changelog topic, as Kafka Streams keeps one per logged store:
 * every write of the store is appended, key and stored bytes (a NULL value
 * for a deletion), to the partition of the task that owns the store, in the
 * same commit as the store itself. The topic is compacted, so it keeps each
 * key's latest content.
 */
import type { TaskOutput } from './task.js';

export type ChangelogWriter = (key: Buffer, value: Buffer | null, timestamp: number) => void;

export function changelogWriter(output: TaskOutput, topic: string, partition: number): ChangelogWriter {
  return (key, value, timestamp) => output.emit(topic, { key, value, timestamp, partition });
}
