/**
 * The config resources DescribeConfigs and AlterConfigs name. ksqlite keeps
 * configs for topics only (src/broker/topic-config.ts); other resource types
 * (brokers, loggers) are refused with INVALID_REQUEST.
 */
import { DEFAULT_TOPIC_CONFIG, type TopicConfig } from '../topic-config.js';
import { ErrorCode } from './error-codes.js';
import type { KafkaContext } from './kafka-api.js';

/** Kafka's ConfigResource.Type of a topic. */
export const TOPIC_RESOURCE = 2;

export interface ResourceError {
  readonly error: number;
  readonly message: string;
}

/** Why the resource cannot be described or altered, or null when it is an existing topic. */
export function checkTopicResource(context: KafkaContext, type: number, name: string): ResourceError | null {
  if (type !== TOPIC_RESOURCE) return { error: ErrorCode.INVALID_REQUEST, message: `Only topic configs (resource type ${TOPIC_RESOURCE}) are kept here, not resource type ${type}.` };
  if (!context.broker.hasTopic(name)) return { error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `Topic '${name}' does not exist.` };
  return null;
}

/** A topic config's names with Kafka's text for each value. */
export function configTexts(config: TopicConfig): [keyof TopicConfig, string][] {
  return (Object.keys(DEFAULT_TOPIC_CONFIG) as (keyof TopicConfig)[]).map((name) => [name, String(config[name])]);
}

/** True when `name` holds Kafka's default (what a topic without an override has). */
export function isDefaultValue(config: TopicConfig, name: keyof TopicConfig): boolean {
  return config[name] === DEFAULT_TOPIC_CONFIG[name];
}

/** Kafka's DescribeConfigsResponse.ConfigSource values ksqlite answers: a topic's own value, or the default. */
export const DYNAMIC_TOPIC_CONFIG = 1;
export const DEFAULT_CONFIG = 5;

/** Kafka's ConfigDef.Type of each topic config (DescribeConfigs v3+ config_type). */
const CONFIG_TYPES: { readonly [K in keyof TopicConfig]: number } = {
  'cleanup.policy': 7,
  'retention.ms': 5,
  'retention.bytes': 5,
  'delete.retention.ms': 5,
  'message.timestamp.type': 2,
  'max.message.bytes': 3,
};

export interface ConfigEntry {
  readonly name: keyof TopicConfig;
  readonly value: string;
  readonly source: number;
  readonly type: number;
}

/** A topic's configs under Kafka's names, each with its source and type. */
export function configEntries(config: TopicConfig): ConfigEntry[] {
  return configTexts(config).map(([name, value]) => ({ name, value, source: isDefaultValue(config, name) ? DEFAULT_CONFIG : DYNAMIC_TOPIC_CONFIG, type: CONFIG_TYPES[name] }));
}
