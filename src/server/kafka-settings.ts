/**
 * The Kafka broker properties the Kafka-protocol listener honours, read from
 * the server's properties (the `--config` file) under Kafka's own names:
 * `auto.create.topics.enable` (default true, as in Kafka) and `num.partitions`
 * (default 1), for topics that Metadata requests create.
 */
/** The names of the properties read here. */
export const KAFKA_LISTENER_PROPERTIES = ['auto.create.topics.enable', 'num.partitions'] as const;

export interface KafkaSettings {
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
}

export function resolveKafkaSettings(properties: Readonly<Record<string, string>>): KafkaSettings {
  const autoCreate = (properties['auto.create.topics.enable'] ?? 'true').trim().toLowerCase();
  if (autoCreate !== 'true' && autoCreate !== 'false') {
    throw new Error(`Invalid auto.create.topics.enable '${properties['auto.create.topics.enable']}': expected true or false`);
  }
  const partitionsText = properties['num.partitions'] ?? '1';
  const partitions = Number(partitionsText);
  if (!Number.isSafeInteger(partitions) || partitions < 1) throw new Error(`Invalid num.partitions '${partitionsText}': expected a whole number of at least 1`);
  return { autoCreateTopics: autoCreate === 'true', defaultPartitions: partitions };
}
