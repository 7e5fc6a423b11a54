/**
 * ksqlDB's application id of a transient query that runs a topology (a push
 * query over a join): `_confluent-ksql-<service id>transient_<query id>_<start time>`,
 * its consumer group and the prefix of its internal topics.
 */
import type { KsqlEngine } from './engine.js';

export function transientApplicationId(engine: KsqlEngine, queryId: string): string {
  return `_confluent-ksql-${engine.config.serviceId}transient_${queryId}_${Date.now()}`;
}
