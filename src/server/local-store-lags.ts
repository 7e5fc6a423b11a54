/**
 * The lags of this server's state stores, as ksqlDB's lag reporting sends
 * them. A store here commits with its task's input offsets (one SQLite
 * transaction on the embedded log, one Kafka transaction on a cluster), so a
 * store partition is as far behind as its task's input: the committed
 * offsets of the query's group against the ends of the topics its tasks of
 * that partition read, both asked of the engine's log (its task log and
 * topic store), never of the embedded broker. A standby's store is as far
 * behind as its copy stands in its changelog. Only the partitions whose
 * tasks run here count: a store a task left behind when its group moved it
 * is no longer held. The embedded log answers at once; a cluster later, so
 * `storeLagReader` answers the lags last read and reads them again behind.
 */
import { allOf, andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import { createLogger } from '../common/logger.js';
import type { KsqlEngine } from '../engine/engine.js';
import type { StateStoreLags, StoreLag } from './cluster-view.js';

const log = createLogger('store-lags');

interface TopicLag {
  readonly partition: number;
  readonly current: number;
  readonly end: number;
}

export function localStoreLags(engine: KsqlEngine): MaybeAsync<StateStoreLags> {
  const perQuery = engine.listQueries().map((query) => {
    const group = engine.queryGroup(query.id);
    const reads: MaybeAsync<TopicLag>[] = [];
    for (const task of query.tasks) {
      for (const topic of task.topics) {
        if (!engine.topics.hasTopic(topic)) continue;
        const committed = engine.taskLog.committedOffset(group, topic, task.partition);
        const offsets = engine.topics.offsets(topic, task.partition);
        reads.push(andThen(committed, (current) => andThen(offsets, ({ end }) => ({ partition: task.partition, current: Math.min(current ?? 0, end), end }))));
      }
    }
    return andThen(allOf(reads), (lags) => ({ query, group, lags }));
  });
  return andThen(allOf(perQuery), (queries) => {
    const result: Record<string, { lagByPartition: Record<string, StoreLag>; size: number }> = {};
    for (const { query, group, lags } of queries) {
      const byPartition = new Map<number, StoreLag>();
      for (const { partition, current, end } of lags) {
        const before = byPartition.get(partition);
        byPartition.set(partition, {
          currentOffsetPosition: (before?.currentOffsetPosition ?? 0) + current,
          endOffsetPosition: (before?.endOffsetPosition ?? 0) + end,
          offsetLag: (before?.offsetLag ?? 0) + end - current,
        });
      }
      const held = new Set(query.tasks.map((task) => task.partition));
      for (const store of engine.stores.listStores(query.id)) {
        if (!held.has(store.partition)) continue;
        const entry = result[`${group}#${store.name}`] ??= { lagByPartition: {}, size: 0 };
        entry.lagByPartition[String(store.partition)] = byPartition.get(store.partition) ?? { currentOffsetPosition: 0, endOffsetPosition: 0, offsetLag: 0 };
        entry.size++;
      }
    }
    // A standby store is as far behind as its copy is in its changelog.
    for (const { queryId, store, partition, position, end, lag } of engine.standbyStoreLags()) {
      const entry = result[`${engine.queryGroup(queryId)}#${store}`] ??= { lagByPartition: {}, size: 0 };
      if (entry.lagByPartition[String(partition)] === undefined) entry.size++;
      entry.lagByPartition[String(partition)] = { currentOffsetPosition: position, endOffsetPosition: end, offsetLag: lag };
    }
    return result;
  });
}

/**
 * This server's store lags, read synchronously: at once on a log that
 * answers at once, else the lags of the last read (none before the first),
 * a new read starting when none is under way.
 */
export function storeLagReader(engine: KsqlEngine): () => StateStoreLags {
  let last: StateStoreLags = {};
  let reading = false;
  return () => {
    if (reading) return last;
    let lags: MaybeAsync<StateStoreLags>;
    try {
      lags = localStoreLags(engine);
    } catch (error) {
      log.warn({ err: error }, 'could not read the lags of the local stores');
      return last;
    }
    if (!isPromise(lags)) return (last = lags);
    reading = true;
    lags.then((read) => (last = read), (error: unknown) => log.warn({ err: error }, 'could not read the lags of the local stores'))
      .finally(() => (reading = false));
    return last;
  };
}
