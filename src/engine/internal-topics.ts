/**
 * Creates the internal topics a query's plan names (src/planner/plan-graph.ts:
 * repartition, changelog and foreign-key subscription topics), for
 * persistent queries and push queries over joins alike.
 */
import type { Broker, TopicConfig } from '../broker/broker.js';
import type { InternalTopic } from '../planner/plan-graph.js';

/**
 * An internal topic as the plan gives it, with as many partitions as the
 * topic its writer reads. A topic made earlier with other configs (a
 * repartition topic with a finite retention) is altered, so maintenance
 * cannot delete records the next sub-topology has not read.
 */
export function ensureInternalTopic(broker: Broker, topic: InternalTopic): void {
  if (!broker.hasTopic(topic.name)) {
    broker.createTopic(topic.name, { partitions: broker.describeTopic(topic.partitionsOf).partitions.length, config: topic.config });
    return;
  }
  const current = broker.describeTopic(topic.name).config;
  if (Object.entries(topic.config).some(([key, value]) => current[key as keyof TopicConfig] !== value)) broker.alterTopicConfig(topic.name, topic.config);
}
