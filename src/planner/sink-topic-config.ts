/**
 * The config of the topic a persistent query's sink writes, as ksqlDB's
 * TopicCreateInjector decides it for CREATE STREAM AS and CREATE TABLE AS
 * (the handler creates the topic with it, unless the topic exists): a
 * stream's topic deletes by time, keeping its source topic's retention
 * unless RETENTION_MS says otherwise; a table's topic is compacted, so a
 * later reader still finds every key's latest row, and takes no
 * RETENTION_MS; the topic of a windowed CREATE TABLE AS (a WINDOW clause)
 * both compacts and deletes, kept for the longer of its retention and the
 * window's RETENTION. The internal topics' configs are decided beside it
 * (internal-topics.ts).
 */
import type { TopicConfig } from '../broker/broker.js';
import type { SourceKind } from '../catalog/data-source.js';
import { statementError } from '../common/errors.js';
import { durationToMillis } from '../parser/ast/duration.js';
import type { WindowExpression } from '../parser/ast/query.js';

/** Throws ksqlDB's error for a RETENTION_MS given to a table that is not windowed. */
export function refuseTableRetention(retentionMs: number | undefined): void {
  if (retentionMs !== undefined) {
    throw statementError('Invalid config variable in the WITH clause: RETENTION_MS. Non-windowed tables do not support retention.');
  }
}

export interface SinkTopicRequest {
  readonly kind: SourceKind;
  /** The WITH clause's RETENTION_MS. */
  readonly retentionMs: number | undefined;
  /** The retention.ms of the topic of the query's source (its left-most one for a join). */
  readonly sourceRetentionMs: number;
  /** The query's WINDOW clause. */
  readonly window: WindowExpression | undefined;
}

export function sinkTopicConfig(request: SinkTopicRequest): Partial<TopicConfig> {
  const { kind, retentionMs, window } = request;
  const retention = retentionMs ?? request.sourceRetentionMs;
  if (kind === 'STREAM') return { 'cleanup.policy': 'delete', 'retention.ms': retention };
  if (window === undefined) {
    refuseTableRetention(retentionMs);
    return { 'cleanup.policy': 'compact' };
  }
  // ksqlDB takes the larger of the two plainly, so an unbounded source (-1) yields the window's RETENTION.
  const windowRetention = window.retention === undefined ? undefined : durationToMillis(window.retention);
  return { 'cleanup.policy': 'compact,delete', 'retention.ms': windowRetention === undefined ? retention : Math.max(retention, windowRetention) };
}
