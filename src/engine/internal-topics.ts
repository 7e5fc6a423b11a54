/**
 * Creates the internal topics a query's plan names (src/planner/plan-graph.ts:
 * repartition, changelog and foreign-key subscription topics), for
 * persistent queries and push queries over joins alike.
 */
import type { TopicConfig } from '../broker/broker.js';
import type { TopicStore } from '../broker/topic-store.js';
import { allOf, andThen, type MaybeAsync } from '../common/maybe-async.js';
import type { InternalTopic } from '../planner/plan-graph.js';

/**
 * Internal topics as the plan gives them, each with as many partitions as the
 * topic its writer reads. A topic made earlier with other configs (a
 * repartition topic with a finite retention) is altered, so maintenance
 * cannot delete records the next sub-topology has not read.
 */
export function ensureInternalTopics(topics: TopicStore, internals: readonly InternalTopic[]): MaybeAsync<void> {
  return andThen(allOf(internals.map((topic): MaybeAsync<unknown> => {
    if (!topics.hasTopic(topic.name)) {
      // Another server of the service id may create it at the same moment (each runs the query): existing is success.
      return topics.createTopic(topic.name, { partitions: topics.describeTopic(topic.partitionsOf).partitions.length, config: topic.config, ifNotExists: true });
    }
    const current = topics.describeTopic(topic.name).config;
    if (Object.entries(topic.config).some(([key, value]) => current[key as keyof TopicConfig] !== value)) return topics.alterTopicConfig(topic.name, topic.config);
    return undefined;
  })), () => undefined);
}
