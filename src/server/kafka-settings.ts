/**
 * The Kafka broker properties the Kafka-protocol listener honours, read from
 * the server's properties (the `--config` file) under Kafka's own names:
 * `auto.create.topics.enable` (default true, as in Kafka) and `num.partitions`
 * (default 1), for topics that Metadata requests create, and
 * `max.connections` (default 1000, where Kafka has no limit): the listener
 * closes connections beyond it as they arrive.
 */
import { DEFAULT_MAX_CONNECTIONS } from '../broker/kafka-protocol/kafka-listener.js';

/** The names of the properties read here. */
export const KAFKA_LISTENER_PROPERTIES = ['auto.create.topics.enable', 'num.partitions', 'max.connections'] as const;

export interface KafkaSettings {
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly maxConnections: number;
}

/** A property holding a whole number of at least 1. */
function positiveInteger(properties: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const text = properties[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`Invalid ${name} '${text}': expected a whole number of at least 1`);
  return value;
}

export function resolveKafkaSettings(properties: Readonly<Record<string, string>>): KafkaSettings {
  const autoCreate = (properties['auto.create.topics.enable'] ?? 'true').trim().toLowerCase();
  if (autoCreate !== 'true' && autoCreate !== 'false') {
    throw new Error(`Invalid auto.create.topics.enable '${properties['auto.create.topics.enable']}': expected true or false`);
  }
  return {
    autoCreateTopics: autoCreate === 'true',
    defaultPartitions: positiveInteger(properties, 'num.partitions', 1),
    maxConnections: positiveInteger(properties, 'max.connections', DEFAULT_MAX_CONNECTIONS),
  };
}
