/**
 * The internal topics a query creates for itself, as Kafka Streams makes
 * them: store changelogs and repartition topics.
 */
import type { Broker } from '../broker/broker.js';

/** Kafka Streams' changelog topic: compacted, so it keeps each key's latest content. */
export function ensureChangelogTopic(broker: Broker, name: string, partitions: number): void {
  if (!broker.hasTopic(name)) broker.createTopic(name, { partitions, config: { 'cleanup.policy': 'compact' } });
}

/**
 * Kafka Streams' repartition topic: delete policy, kept forever, since the
 * query's own tasks purge what they have committed past. A topic made
 * earlier with a finite retention is altered, so maintenance cannot delete
 * records the next sub-topology has not read.
 */
export function ensureRepartitionTopic(broker: Broker, name: string, partitions: number): void {
  const config = { 'cleanup.policy': 'delete', 'retention.ms': -1 } as const;
  if (!broker.hasTopic(name)) {
    broker.createTopic(name, { partitions, config });
    return;
  }
  const current = broker.describeTopic(name).config;
  if (current['cleanup.policy'] !== config['cleanup.policy'] || current['retention.ms'] !== config['retention.ms']) broker.alterTopicConfig(name, config);
}
