/**
 * ksqlDB's application id of a transient query that runs a topology (a push
 * query over a join): `_confluent-ksql-<service id>transient_<query id>_<start time>`,
 * its consumer group and the prefix of its internal topics.
 */
import type { EnginePorts } from './engine-ports.js';

export function transientApplicationId(ports: Pick<EnginePorts, 'config'>, queryId: string): string {
  return `_confluent-ksql-${ports.config.serviceId}transient_${queryId}_${Date.now()}`;
}
