/**
 * The lags of this server's state stores, as ksqlDB's lag reporting sends
 * them. A store here commits in one transaction with its task's input
 * offsets, so a store partition is as far behind as its task's input: the
 * committed offsets of the query's group against the ends of the topics its
 * tasks of that partition read.
 */
import type { KsqlEngine } from '../engine/engine.js';
import type { StateStoreLags, StoreLag } from './cluster-view.js';

export function localStoreLags(engine: KsqlEngine): StateStoreLags {
  const lags: Record<string, { lagByPartition: Record<string, StoreLag>; size: number }> = {};
  const { broker } = engine;
  for (const query of engine.listQueries()) {
    const group = engine.queryGroup(query.id);
    const byPartition = new Map<number, StoreLag>();
    for (const task of query.tasks) {
      for (const topic of task.topics) {
        if (!broker.hasTopic(topic)) continue;
        const end = broker.latestOffset(topic, task.partition);
        const current = Math.min(broker.committedOffset(group, topic, task.partition) ?? 0, end);
        const before = byPartition.get(task.partition);
        byPartition.set(task.partition, {
          currentOffsetPosition: (before?.currentOffsetPosition ?? 0) + current,
          endOffsetPosition: (before?.endOffsetPosition ?? 0) + end,
          offsetLag: (before?.offsetLag ?? 0) + end - current,
        });
      }
    }
    for (const store of engine.stores.listStores(query.id)) {
      const id = `${group}#${store.name}`;
      const entry = lags[id] ??= { lagByPartition: {}, size: 0 };
      entry.lagByPartition[String(store.partition)] = byPartition.get(store.partition) ?? { currentOffsetPosition: 0, endOffsetPosition: 0, offsetLag: 0 };
      entry.size++;
    }
  }
  return lags;
}
