/**
 * The Kafka broker properties the Kafka-protocol listener honours, read from
 * the server's properties (the `--config` file) under Kafka's own names:
 * `auto.create.topics.enable` (default true, as in Kafka) and `num.partitions`
 * (default 1), for topics that Metadata requests create, `max.connections`
 * (default 1000, where Kafka has no limit): the listener closes connections
 * beyond it as they arrive, and the bounds of a consumer group member's
 * session timeout, `group.min.session.timeout.ms` and
 * `group.max.session.timeout.ms` (Kafka's defaults, 6 s and 30 min).
 */
import type { GroupCoordinatorOptions } from '../broker/kafka-protocol/group-coordinator.js';
import { DEFAULT_MAX_SESSION_TIMEOUT_MS, DEFAULT_MIN_SESSION_TIMEOUT_MS } from '../broker/kafka-protocol/group-coordinator.js';
import { DEFAULT_MAX_CONNECTIONS } from '../broker/kafka-protocol/kafka-listener.js';
import { wholeNumberSetting } from './whole-number-setting.js';

/** The names of the properties read here. */
export const KAFKA_LISTENER_PROPERTIES = [
  'auto.create.topics.enable', 'num.partitions', 'max.connections', 'group.min.session.timeout.ms', 'group.max.session.timeout.ms',
] as const;

export interface KafkaSettings {
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly maxConnections: number;
  readonly groups: GroupCoordinatorOptions;
}

export function resolveKafkaSettings(properties: Readonly<Record<string, string>>): KafkaSettings {
  const autoCreate = (properties['auto.create.topics.enable'] ?? 'true').trim().toLowerCase();
  if (autoCreate !== 'true' && autoCreate !== 'false') {
    throw new Error(`Invalid auto.create.topics.enable '${properties['auto.create.topics.enable']}': expected true or false`);
  }
  const minSessionTimeoutMs = wholeNumberSetting(properties, 'group.min.session.timeout.ms', DEFAULT_MIN_SESSION_TIMEOUT_MS, 1);
  const maxSessionTimeoutMs = wholeNumberSetting(properties, 'group.max.session.timeout.ms', DEFAULT_MAX_SESSION_TIMEOUT_MS, minSessionTimeoutMs);
  return {
    autoCreateTopics: autoCreate === 'true',
    defaultPartitions: wholeNumberSetting(properties, 'num.partitions', 1, 1),
    maxConnections: wholeNumberSetting(properties, 'max.connections', DEFAULT_MAX_CONNECTIONS, 1),
    groups: { minSessionTimeoutMs, maxSessionTimeoutMs },
  };
}
