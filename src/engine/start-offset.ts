/**
 * Where a query's reader starts reading a partition it has no position in:
 * the log start (auto.offset.reset=earliest, internal topics, where nothing
 * predates the query, and pull scans) or its read_committed end, asked of
 * the log (on Kafka a ListOffsets, answering later: a task log's
 * `latestOffset` knows the end only after a fetch).
 */
import { andThen, type MaybeAsync } from '../common/maybe-async.js';
import type { EngineLog } from './engine-ports.js';

export function startOffsetOf(log: Pick<EngineLog, 'topics'>, earliest: boolean, topic: string, partition: number): MaybeAsync<number> {
  return andThen(log.topics.offsets(topic, partition), ({ start, end }) => (earliest ? start : end));
}

/** Where a pull scan of the partition stops: its read_committed end now. */
export function scanEndOf(log: Pick<EngineLog, 'topics'>, topic: string, partition: number): MaybeAsync<number> {
  return andThen(log.topics.offsets(topic, partition), ({ end }) => end);
}
