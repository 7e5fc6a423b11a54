/** The log layer's public surface: the Broker seam, the task log port, its errors and configs, and the embedded implementation. */
export type * from './broker.js';
export type { TopicPartitionOffset } from './topic-partition-offset.js';
export type { TaskLog } from './task-log.js';
export { brokerTaskLog } from './broker-task-log.js';
export type { TopicStore } from './topic-store.js';
export { brokerTopicStore } from './broker-topic-store.js';
export type { CommandAppend, CommandTopic } from './command-topic.js';
export { brokerCommandTopic } from './broker-command-topic.js';
export { memoryCommandTopic } from './memory-command-topic.js';
export type { BusyGroups } from './busy-groups.js';
export type { ConsumerGroupAssignments, GroupAssignment } from './group-assignments.js';
export { BrokerError, isBrokerError, type BrokerErrorReason } from './broker-error.js';
export {
  DEFAULT_TOPIC_CONFIG,
  parseTopicConfig,
  resolveTopicConfig,
  validateTopicName,
  type CleanupPolicy,
  type TimestampType,
  type TopicConfig,
} from './topic-config.js';
export { computeMurmur2, partitionForKey } from './murmur2.js';
export { computeCrc32c, updateCrc32c } from './crc32c.js';
export { openEmbeddedBroker, EmbeddedBroker, type EmbeddedBrokerOptions, type FlushPolicy } from './embedded/embedded-broker.js';
export {
  describeRecoveryReport,
  isCleanRecovery,
  type DroppedBatch,
  type OffsetReset,
  type RecoveryReport,
  type WalDamage,
} from './embedded/recovery-report.js';
export type { LostStatement } from './embedded/lost-statements.js';
