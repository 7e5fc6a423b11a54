/**
 * Per-topic configuration, named as Kafka names it. Defaults follow Kafka's.
 */
import { BrokerError } from './broker-error.js';

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface TopicConfig {
  readonly 'cleanup.policy': CleanupPolicy;
  /** Delete batches whose newest timestamp is older than this; -1 keeps forever. */
  readonly 'retention.ms': number;
  /** Per partition: delete the oldest batches while the partition is larger; -1 is unbounded. */
  readonly 'retention.bytes': number;
  /** How long a compacted topic keeps a tombstone once compaction has seen it. */
  readonly 'delete.retention.ms': number;
  readonly 'message.timestamp.type': TimestampType;
  /** The largest stored batch; appends are split into batches of at most this size. */
  readonly 'max.message.bytes': number;
}

export const DEFAULT_TOPIC_CONFIG: TopicConfig = Object.freeze({
  'cleanup.policy': 'delete',
  'retention.ms': 604_800_000,
  'retention.bytes': -1,
  'delete.retention.ms': 86_400_000,
  'message.timestamp.type': 'CreateTime',
  'max.message.bytes': 1_048_588,
});

/** Kafka topic configs we accept and keep nothing for (they do not apply to one embedded log). */
const IGNORED_CONFIGS = new Set([
  'min.insync.replicas',
  'unclean.leader.election.enable',
  'segment.bytes',
  'segment.ms',
  'segment.index.bytes',
  'segment.jitter.ms',
  'index.interval.bytes',
  'compression.type',
  'flush.messages',
  'flush.ms',
  'min.compaction.lag.ms',
  'max.compaction.lag.ms',
  'min.cleanable.dirty.ratio',
  'file.delete.delay.ms',
  'preallocate',
  'message.downconversion.enable',
  'message.timestamp.difference.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.after.max.ms',
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
]);

function integerOf(name: string, raw: unknown, min: number): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new BrokerError('INVALID_CONFIG', `Invalid value ${JSON.stringify(raw)} for topic config '${name}': expected an integer >= ${min}.`);
  }
  return value;
}

function cleanupPolicyOf(raw: unknown): CleanupPolicy {
  const parts = String(raw)
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
  const compact = parts.includes('compact');
  const del = parts.includes('delete');
  if (parts.length === 0 || parts.some((p) => p !== 'compact' && p !== 'delete')) {
    throw new BrokerError('INVALID_CONFIG', `Invalid value ${JSON.stringify(raw)} for topic config 'cleanup.policy': expected delete, compact or compact,delete.`);
  }
  return compact && del ? 'compact,delete' : compact ? 'compact' : 'delete';
}

function timestampTypeOf(raw: unknown): TimestampType {
  if (raw === 'CreateTime' || raw === 'LogAppendTime') return raw;
  throw new BrokerError('INVALID_CONFIG', `Invalid value ${JSON.stringify(raw)} for topic config 'message.timestamp.type': expected CreateTime or LogAppendTime.`);
}

/**
 * Validates configs given as Kafka names with string or number values (as
 * they come from a WITH clause or a properties file). Unknown names fail;
 * Kafka configs that have no meaning here are accepted and dropped.
 */
export function parseTopicConfig(raw: Readonly<Record<string, unknown>>): Partial<TopicConfig> {
  const out: { -readonly [K in keyof TopicConfig]?: TopicConfig[K] } = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    switch (name) {
      case 'cleanup.policy':
        out[name] = cleanupPolicyOf(value);
        break;
      case 'retention.ms':
      case 'retention.bytes':
        out[name] = integerOf(name, value, -1);
        break;
      case 'delete.retention.ms':
        out[name] = integerOf(name, value, 0);
        break;
      case 'max.message.bytes':
        out[name] = integerOf(name, value, 128);
        break;
      case 'message.timestamp.type':
        out[name] = timestampTypeOf(value);
        break;
      default:
        if (!IGNORED_CONFIGS.has(name)) throw new BrokerError('INVALID_CONFIG', `Unknown topic config '${name}'.`);
    }
  }
  return out;
}

/** The defaults overlaid with `overrides`, every value validated. */
export function resolveTopicConfig(overrides: Partial<TopicConfig> = {}, base: TopicConfig = DEFAULT_TOPIC_CONFIG): TopicConfig {
  return Object.freeze({ ...base, ...parseTopicConfig(overrides) });
}

export function policyDeletes(config: TopicConfig): boolean {
  return config['cleanup.policy'] !== 'compact';
}

export function policyCompacts(config: TopicConfig): boolean {
  return config['cleanup.policy'] !== 'delete';
}

/** Kafka's legal topic names: 1-249 of [a-zA-Z0-9._-], not "." or "..". */
export function validateTopicName(name: string): void {
  if (name.length === 0 || name.length > 249 || name === '.' || name === '..' || !/^[a-zA-Z0-9._-]+$/.test(name)) {
    throw new BrokerError('INVALID_TOPIC', `Invalid topic name '${name}': use 1 to 249 of the characters a-z, A-Z, 0-9, '.', '_' and '-'.`);
  }
}
