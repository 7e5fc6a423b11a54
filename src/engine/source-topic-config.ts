/**
 * The configs ksqlDB gives the topic a CREATE STREAM or CREATE TABLE
 * creates (its TopicCreateInjector): a stream's topic deletes by time; a
 * table's topic is compacted, so a later reader still finds every key's
 * latest row, and takes no RETENTION_MS. A query's sink topic is the
 * planner's (planner/sink-topic-config.ts). An existing topic keeps the
 * configs it has.
 */
import type { TopicConfig } from '../broker/broker.js';
import type { SourceKind } from '../catalog/data-source.js';
import { refuseTableRetention } from '../planner/sink-topic-config.js';

/** CREATE STREAM / CREATE TABLE: `retentionMs` is the WITH clause's RETENTION_MS. */
export function declaredTopicConfig(kind: SourceKind, retentionMs: number | undefined): Partial<TopicConfig> {
  if (kind === 'TABLE') {
    refuseTableRetention(retentionMs);
    return { 'cleanup.policy': 'compact' };
  }
  return { 'cleanup.policy': 'delete', ...(retentionMs === undefined ? {} : { 'retention.ms': retentionMs }) };
}
