/**
 * The settings of a persistent query's group membership, under the names
 * Kafka Streams (and ksqlDB, after `ksql.streams.`) gives them, with the Java
 * clients' defaults: `session.timeout.ms` (45000; the coordinator drops a
 * member it has not heard from for this long), `heartbeat.interval.ms`
 * (3000), `max.poll.interval.ms` (300000; sent as the rebalance timeout: how
 * long a rebalance waits for members to rejoin, so how long a revocation
 * may take) and `num.standby.replicas` (0).
 */
import { BrokerError } from '../broker-error.js';

export interface QueryGroupSettings {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly standbyReplicas: number;
}

export const DEFAULT_QUERY_GROUP_SETTINGS: QueryGroupSettings = {
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 3000,
  rebalanceTimeoutMs: 300_000,
  standbyReplicas: 0,
};

function integer(properties: Readonly<Record<string, string>>, name: string, fallback: number, min: number): number {
  const text = properties[name];
  if (text === undefined) return fallback;
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min || value > 2_147_483_647) {
    throw new BrokerError('INVALID_CONFIG', `Invalid value '${text}' for '${name}': expected an integer from ${min} to 2147483647.`);
  }
  return value;
}

/** The settings named in `properties` (others are left to their readers); a bad value is an INVALID_CONFIG BrokerError. */
export function resolveQueryGroupSettings(properties: Readonly<Record<string, string>>): QueryGroupSettings {
  const defaults = DEFAULT_QUERY_GROUP_SETTINGS;
  const sessionTimeoutMs = integer(properties, 'session.timeout.ms', defaults.sessionTimeoutMs, 1);
  const heartbeatIntervalMs = integer(properties, 'heartbeat.interval.ms', defaults.heartbeatIntervalMs, 1);
  // As the Java consumer insists: a member must heartbeat several times within its session.
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new BrokerError('INVALID_CONFIG', `'heartbeat.interval.ms' (${heartbeatIntervalMs}) must be lower than 'session.timeout.ms' (${sessionTimeoutMs}).`);
  }
  return {
    sessionTimeoutMs,
    heartbeatIntervalMs,
    rebalanceTimeoutMs: integer(properties, 'max.poll.interval.ms', defaults.rebalanceTimeoutMs, 1),
    standbyReplicas: integer(properties, 'num.standby.replicas', defaults.standbyReplicas, 0),
  };
}
