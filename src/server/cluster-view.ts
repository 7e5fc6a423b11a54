/**
 * What this server knows of the servers of its cluster, the port the
 * cluster's HTTP side (heartbeats, lag reports, /clusterStatus, pull-query
 * routing) reads: this server's own host, the other hosts, and for a
 * persistent query's partition, the host that runs it actively and the
 * hosts that keep standbys of its stores. Servers find each other through
 * their queries' consumer groups; a server alone (the embedded log) runs
 * every partition itself, which `singleServerView` says
 * (single-server-view.ts).
 */
/** A server as ksqlDB names one: host and port of its advertised listener. */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, the name /clusterStatus gives a server. */
export function hostName(host: HostInfo): string {
  return `${host.host}:${host.port}`;
}

export function sameHost(a: HostInfo, b: HostInfo): boolean {
  return a.host === b.host && a.port === b.port;
}

/** Who holds one partition of a query's stores: the active host (none while a task moves) and the standbys. */
export interface PartitionOwners {
  readonly active: HostInfo | undefined;
  readonly standbys: readonly HostInfo[];
}

/** What one host runs of one query, in ksqlDB's ActiveStandbyEntity shape. */
export interface ActiveStandby {
  readonly activeStores: readonly string[];
  readonly activePartitions: readonly TopicPartition[];
  readonly standByStores: readonly string[];
  readonly standByPartitions: readonly TopicPartition[];
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** How far one store partition is behind what it restores from (ksqlDB's LagInfoEntity). */
export interface StoreLag {
  readonly currentOffsetPosition: number;
  readonly endOffsetPosition: number;
  readonly offsetLag: number;
}

/** Per store (`<query application id>#<store name>`), the lag of each of its partitions here (ksqlDB's StateStoreLags). */
export type StateStoreLags = Record<string, { readonly lagByPartition: Record<string, StoreLag>; readonly size: number }>;

export interface ClusterView {
  readonly self: HostInfo;
  /** The other servers of the cluster this server knows of (none: it runs every partition itself). */
  otherHosts(): readonly HostInfo[];
  /** Who holds partition `partition` of the stores of persistent query `queryId`. */
  owners(queryId: string, partition: number): PartitionOwners;
  /** Per query, what `host` runs of it. */
  activeStandbyPerQuery(host: HostInfo): Record<string, ActiveStandby>;
  /** The lags of the stores this server holds. */
  localStoreLags(): StateStoreLags;
}

/** This server's host and port from its advertised listener (`ksql.advertised.listener`, else its first listener). */
export function selfFromListener(listener: string): HostInfo {
  let url: URL;
  try {
    url = new URL(listener.trim());
  } catch {
    throw new Error(`ksql.advertised.listener must be a URL such as http://host:8088, not '${listener}'`);
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host: url.hostname, port };
}
