/**
 * Where a query's task starts reading a partition its group never committed
 * in: the log start (auto.offset.reset=earliest, and internal topics, where
 * nothing predates the query) or its end. `startOffsetOf` answers from what
 * the log knows without asking (transient queries, which start at once);
 * `taskStartOffset` asks the log (on Kafka a ListOffsets, whose read_committed
 * end a task log's `latestOffset` may not know yet).
 */
import { andThen, type MaybeAsync } from '../common/maybe-async.js';
import type { EngineLog } from './engine-ports.js';

export function startOffsetOf(log: Pick<EngineLog, 'topics' | 'taskLog'>, earliest: boolean, topic: string, partition: number): number {
  if (!earliest) return log.taskLog.latestOffset(topic, partition);
  return log.topics.describeTopic(topic).partitions.find((p) => p.partition === partition)?.logStartOffset ?? 0;
}

export function taskStartOffset(log: Pick<EngineLog, 'topics'>, earliest: boolean, topic: string, partition: number): MaybeAsync<number> {
  return andThen(log.topics.offsets(topic, partition), ({ start, end }) => (earliest ? start : end));
}
