/**
 * The cluster view of a server alone (the embedded log): no other server,
 * every partition of every query active here, its stores' lags its own.
 */
import type { KsqlEngine } from '../engine/engine.js';
import { sameHost, type ClusterView, type HostInfo, type PartitionOwners } from './cluster-view.js';
import { storeLagReader } from './local-store-lags.js';

const NO_HOSTS: readonly HostInfo[] = [];

export function singleServerView(engine: KsqlEngine, self: HostInfo): ClusterView {
  const here: PartitionOwners = { active: self, standbys: [] };
  const localStoreLags = storeLagReader(engine);
  return {
    self,
    otherHosts: () => NO_HOSTS,
    owners: () => here,
    activeStandbyPerQuery(host) {
      if (!sameHost(host, self)) return {};
      const stores = engine.stores.listStores();
      return Object.fromEntries(engine.listQueries().map((q) => [q.id, {
        activeStores: [...new Set(stores.filter((s) => s.query === q.id).map((s) => s.name))],
        activePartitions: q.tasks.map((t) => ({ topic: t.topic, partition: t.partition })),
        standByStores: [],
        standByPartitions: [],
      }]));
    },
    localStoreLags,
  };
}

