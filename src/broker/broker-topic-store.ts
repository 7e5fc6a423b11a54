/**
 * The topic store of a synchronous `Broker` (the embedded log): its view is
 * the log itself, so `refresh` has nothing to do and every call answers at
 * once.
 */
import type { AppendedRecord, Broker, CreateTopicOptions, ProducerRecord, TopicConfig, TopicDescription } from './broker.js';
import type { TopicStore } from './topic-store.js';

export function brokerTopicStore(broker: Broker): TopicStore {
  return {
    hasTopic: (name: string): boolean => broker.hasTopic(name),
    describeTopic: (name: string): TopicDescription => broker.describeTopic(name),
    listTopics: (): string[] => broker.listTopics(),
    refresh: (): void => {},
    createTopic: (name: string, options: CreateTopicOptions): TopicDescription => broker.createTopic(name, options),
    deleteTopic: (name: string, options?: { readonly ifExists?: boolean }): boolean => broker.deleteTopic(name, options),
    alterTopicConfig: (name: string, config: Partial<TopicConfig>): TopicDescription => broker.alterTopicConfig(name, config),
    createPartitions: (name: string, count: number): TopicDescription => broker.createPartitions(name, count),
    append: (topic: string, records: readonly ProducerRecord[]): AppendedRecord[] => broker.append(topic, records),
    offsets: (topic: string, partition: number): { start: number; end: number } =>
      ({ start: broker.earliestOffset(topic, partition), end: broker.latestOffset(topic, partition) }),
  };
}
