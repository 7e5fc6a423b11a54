/**
 * ksqlDB's application id of a transient query that runs a topology (a push
 * query over a join): `_confluent-ksql-<service id>transient_<query id>_<start time>`,
 * its consumer group and the prefix of its internal topics; and the name a
 * query's id gives a transient query that runs no topology (a push query on
 * one source, a pull query), `_confluent-ksql-<service id><query id>`.
 */
import type { EnginePorts } from './engine-ports.js';

export function transientApplicationId(ports: Pick<EnginePorts, 'config'>, queryId: string): string {
  return `_confluent-ksql-${ports.config.serviceId}transient_${queryId}_${Date.now()}`;
}

export function transientQueryPrefix(ports: Pick<EnginePorts, 'config'>, queryId: string): string {
  return `_confluent-ksql-${ports.config.serviceId}${queryId}`;
}
