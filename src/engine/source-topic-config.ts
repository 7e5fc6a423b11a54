/**
 * The configs ksqlDB gives a topic it creates for a source (its
 * TopicCreateInjector). A stream's topic deletes by time; a table's topic is
 * compacted, so a later reader still finds every key's latest row, and takes
 * no RETENTION_MS; the topic of a windowed CREATE TABLE AS (a WINDOW clause)
 * both compacts and deletes, kept for the longer of its retention and the
 * window's RETENTION. A query's sink topic without RETENTION_MS keeps its
 * source topic's retention. An existing topic keeps the configs it has.
 */
import type { TopicConfig } from '../broker/broker.js';
import { statementError } from '../common/errors.js';
import type { WindowExpression } from '../parser/ast/query.js';
import { durationToMillis } from '../parser/ast/duration.js';
import type { SourceKind } from '../catalog/data-source.js';

function refuseTableRetention(retentionMs: number | undefined): void {
  if (retentionMs !== undefined) {
    throw statementError('Invalid config variable in the WITH clause: RETENTION_MS. Non-windowed tables do not support retention.');
  }
}

/** CREATE STREAM / CREATE TABLE: `retentionMs` is the WITH clause's RETENTION_MS. */
export function declaredTopicConfig(kind: SourceKind, retentionMs: number | undefined): Partial<TopicConfig> {
  if (kind === 'TABLE') {
    refuseTableRetention(retentionMs);
    return { 'cleanup.policy': 'compact' };
  }
  return { 'cleanup.policy': 'delete', ...(retentionMs === undefined ? {} : { 'retention.ms': retentionMs }) };
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

/** CREATE STREAM AS / CREATE TABLE AS. */
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
