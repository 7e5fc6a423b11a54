import type { MaybeAsync } from '../common/maybe-async.js';
import type { AppendedRecord, CreateTopicOptions, ProducerRecord, TopicConfig, TopicDescription } from './broker.js';
/**
 * Topics as the engine sees them beyond its tasks. Reads answer synchronously from what the store knows (exact on the
 * embedded log; on Kafka the metadata last fetched, refreshed in the background and after every change made through
 * the store); changes and writes may answer later.
 */
export interface TopicStore {
  hasTopic(name: string): boolean;
  describeTopic(name: string): TopicDescription;
  listTopics(): string[];
  /** Brings the synchronous view up to date with the cluster (a statement's checks call it first). */
  refresh(): MaybeAsync<void>;
  createTopic(name: string, options: CreateTopicOptions): MaybeAsync<TopicDescription>;
  deleteTopic(name: string, options?: { readonly ifExists?: boolean }): MaybeAsync<boolean>;
  alterTopicConfig(name: string, config: Partial<TopicConfig>): MaybeAsync<TopicDescription>;
  createPartitions(name: string, count: number): MaybeAsync<TopicDescription>;
  /** Writes records durably (INSERT VALUES, /inserts-stream); idempotent on Kafka. */
  append(topic: string, records: readonly ProducerRecord[]): MaybeAsync<AppendedRecord[]>;
  /** The partition's log start and (read-committed) end, asked of the log now. */
  offsets(topic: string, partition: number): MaybeAsync<{ readonly start: number; readonly end: number }>;
}
