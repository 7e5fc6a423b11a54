/**
 * Where a query's task starts reading a partition its group never committed
 * in: the log start (auto.offset.reset=earliest, and internal topics, where
 * nothing predates the query) or its end.
 */
import type { EngineLog } from './engine-ports.js';

export function startOffsetOf(log: Pick<EngineLog, 'topics' | 'taskLog'>, earliest: boolean, topic: string, partition: number): number {
  if (!earliest) return log.taskLog.latestOffset(topic, partition);
  return log.topics.describeTopic(topic).partitions.find((p) => p.partition === partition)?.logStartOffset ?? 0;
}
