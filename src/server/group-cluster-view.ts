/**
 * The cluster view of a server on a Kafka cluster, where the servers of a
 * service id share each persistent query's tasks through the query's group
 * (src/engine/query-groups.ts). Every member hears the whole assignment:
 * which server (by its advertised URL) runs each task actively and which
 * keep standbys. From the latest one of each query this view says, as
 * Kafka Streams' metadata says for ksqlDB:
 * - the other servers: every URL named in any query's assignment (the
 *   heartbeat agent keeps those it discovered, as ksqlDB's does, after they
 *   leave);
 * - who holds partition p of a query's table: the hosts of task `<s>_<p>`,
 *   `s` the sub-topology holding the materialized store (the one writing the
 *   sink); no active host while the task moves between servers, nor while
 *   this server, its new host, builds it and restores its stores;
 * - what a server runs of each query (ksqlDB's ActiveStandbyEntity): the
 *   partitions of the topics its tasks read, and the query's stores. Store
 *   names are known only where a task built them, so they are those this
 *   server holds of the query;
 * - the lags of this server's stores, read from the log (local-store-lags.ts).
 */
import type { KsqlEngine } from '../engine/engine.js';
import type { PersistentQuery } from '../engine/persistent-query.js';
import type { QueryTaskHosts } from '../engine/query-groups.js';
import { querySubTopologies, type QuerySubTopologies } from '../engine/query-sub-topologies.js';
import {
  hostName, sameHost, selfFromListener,
  type ActiveStandby, type ClusterView, type HostInfo, type PartitionOwners, type TopicPartition,
} from './cluster-view.js';
import { storeLagReader } from './local-store-lags.js';

const NO_OWNERS: PartitionOwners = { active: undefined, standbys: [] };

export function groupClusterView(engine: KsqlEngine, self: HostInfo): ClusterView {
  const localStoreLags = storeLagReader(engine);
  // A plan's sub-topologies never change: read once per query run.
  const subTopologies = new WeakMap<PersistentQuery, QuerySubTopologies | undefined>();
  const subTopologiesOf = (query: PersistentQuery): QuerySubTopologies | undefined => {
    if (!subTopologies.has(query)) subTopologies.set(query, querySubTopologies(engine, query.id));
    return subTopologies.get(query);
  };
  return {
    self,
    otherHosts() {
      const hosts = new Map<string, HostInfo>();
      for (const query of engine.listQueries()) {
        for (const task of query.assignment?.hosts.values() ?? []) {
          for (const url of [task.active, ...task.standbys]) {
            const host = url === null ? undefined : hostOf(url);
            if (host !== undefined && !sameHost(host, self)) hosts.set(hostName(host), host);
          }
        }
      }
      return [...hosts.values()];
    },
    owners(queryId, partition) {
      const query = engine.getQuery(queryId);
      const materialized = query === undefined ? undefined : subTopologiesOf(query)?.materialized;
      const task = materialized === undefined ? undefined : query?.assignment?.hosts.get(`${materialized}_${partition}`);
      if (task === undefined) return NO_OWNERS;
      let active = task.active === null ? undefined : hostOf(task.active);
      // Assigned here but not running yet (being built, or restoring its stores): what the store holds is not current.
      if (active !== undefined && sameHost(active, self) && !query!.tasks.some((t) => t.taskId === `${materialized}_${partition}` && t.isReady)) active = undefined;
      return { active, standbys: task.standbys.map(hostOf).filter((h): h is HostInfo => h !== undefined) };
    },
    activeStandbyPerQuery(host) {
      const perQuery: Record<string, ActiveStandby> = {};
      for (const query of engine.listQueries()) {
        const hosts = query.assignment?.hosts;
        const topics = subTopologiesOf(query)?.sourceTopics;
        if (hosts === undefined || topics === undefined) continue;
        const activePartitions: TopicPartition[] = [];
        const standByPartitions: TopicPartition[] = [];
        for (const [taskId, task] of hosts) {
          if (runsActive(task, host)) activePartitions.push(...partitionsOf(taskId, topics));
          if (task.standbys.some((url) => isHost(url, host))) standByPartitions.push(...partitionsOf(taskId, topics));
        }
        if (activePartitions.length === 0 && standByPartitions.length === 0) continue;
        const stores = [...new Set(engine.stores.listStores(query.id).map((s) => s.name))];
        perQuery[query.id] = {
          activeStores: activePartitions.length === 0 ? [] : stores,
          activePartitions,
          standByStores: standByPartitions.length === 0 ? [] : stores,
          standByPartitions,
        };
      }
      return perQuery;
    },
    localStoreLags,
  };
}

/** A URL of the assignment as a host; undefined for one that is no URL (another server's mistake, not this one's). */
function hostOf(url: string): HostInfo | undefined {
  try {
    return selfFromListener(url);
  } catch {
    return undefined;
  }
}

function isHost(url: string, host: HostInfo): boolean {
  const parsed = hostOf(url);
  return parsed !== undefined && sameHost(parsed, host);
}

function runsActive(task: QueryTaskHosts, host: HostInfo): boolean {
  return task.active !== null && isHost(task.active, host);
}

/** The topic partitions task `<sub-topology>_<partition>` reads. */
function partitionsOf(taskId: string, topics: readonly (readonly string[])[]): TopicPartition[] {
  const [sub, partition] = taskId.split('_').map(Number) as [number, number];
  return (topics[sub] ?? []).map((topic) => ({ topic, partition }));
}
