/**
 * Pull-query routing across the servers of a cluster (ksqlDB's HARouting):
 * a pull query over a table a persistent query materializes reads its keys'
 * partitions (every partition for a scan), each on a server that holds it.
 * A partition's candidates are its active server, then, with
 * `ksql.query.pull.enable.standby.reads`, its standbys (least lag first);
 * a server the heartbeats call dead, or whose reported lag for the partition
 * exceeds `ksql.query.pull.max.allowed.offset.lag`, is left out, and a
 * partition left with none fails the query at once. Each partition is read
 * here when this server is its candidate, else forwarded (cluster-client.ts);
 * a server that cannot be reached passes the partition to the next
 * candidate, and when none is left the query fails. The partitions' rows
 * merge in partition order, behind the query's ORDER BY, OFFSET and LIMIT.
 * A server alone never routes: the query runs as it always did.
 */
import { KsqlError } from '../common/errors.js';
import type { MaybeAsync } from '../common/maybe-async.js';
import { createLogger } from '../common/logger.js';
import type { KsqlConfig, PropertyValue } from '../engine/config.js';
import type { KsqlEngine } from '../engine/engine.js';
import type { PreparedQuery, RunningQuery } from '../engine/prepared-query.js';
import type { TransientEnd } from '../runtime/transient-query.js';
import { HostUnavailableError } from './cluster-client.js';
import { hostName, sameHost, type HostInfo } from './cluster-view.js';
import type { Cluster } from './cluster.js';

const log = createLogger('pull-routing');

/** The client's request, as a forward repeats it. */
export interface PullRequest {
  readonly sql: string;
  readonly properties: Readonly<Record<string, PropertyValue>>;
  readonly variables: ReadonlyMap<string, string>;
  readonly authorization: string | undefined;
}

/** Whether `prepared` must be routed: a pull query over a persistent query's stores, in a cluster of more than this server. */
function needsRouting(cluster: Cluster | undefined, prepared: PreparedQuery): cluster is Cluster {
  return cluster !== undefined && prepared.partitioned !== undefined && cluster.view.otherHosts().length > 0;
}

/**
 * The query a client's request runs, whatever endpoint it came on: a pull
 * query over a persistent query's stores, in a cluster, reads each partition
 * where it lives (routePull); any other query runs here as prepared.
 * `request` is asked for only when the query is routed.
 */
export function routedQuery(cluster: Cluster | undefined, engine: KsqlEngine, prepared: PreparedQuery, request: () => PullRequest): MaybeAsync<PreparedQuery> {
  return needsRouting(cluster, prepared) ? routePull(cluster, engine, prepared, request()) : prepared;
}

/** Reads every partition of the pull query where it lives; the query returned delivers the merged rows synchronously. */
async function routePull(cluster: Cluster, engine: KsqlEngine, prepared: PreparedQuery, request: PullRequest): Promise<PreparedQuery> {
  const partitioned = prepared.partitioned!;
  const partitions = partitioned.partitions();
  // A query this server does not run (yet) has no store here to locate: it answers from what it has.
  if (partitions === undefined) return prepared;
  const config = engine.config.withOverrides(request.properties);
  const store = `${engine.queryGroup(partitioned.queryId)}#${partitioned.storeName}`;
  const plans = partitions.map((partition) => ({ partition, ...candidatesOf(cluster, config, partitioned.queryId, store, partition) }));
  const unserved = plans.filter((p) => p.hosts.length === 0);
  if (unserved.length > 0) {
    const reasons = unserved.map((p) => `Partition ${p.partition} failed to find valid host. Hosts scanned: [${p.scanned.map(hostName).join(', ')}]`);
    throw new KsqlError('SERVER_ERROR', `Unable to execute pull query. [${reasons.join(', ')}]`);
  }
  const timeoutMs = config.getInteger('ksql.query.pull.forwarding.timeout.ms')!;
  const rowsOf = async ({ partition, hosts }: { partition: number; hosts: readonly HostInfo[] }): Promise<readonly (readonly unknown[])[]> => {
    const failures: string[] = [];
    for (const host of hosts) {
      if (sameHost(host, cluster.view.self)) return readHere(prepared, partition);
      try {
        return await cluster.client.forwardPull(host, { ...request, partitions: [partition] }, timeoutMs);
      } catch (error) {
        if (!(error instanceof HostUnavailableError)) throw error;
        log.warn({ host: hostName(host), partition, err: error.message }, 'pull query forward failed: trying the next host');
        failures.push(error.message);
      }
    }
    throw new KsqlError('SERVER_ERROR', `Unable to execute pull query: Exhausted standby hosts to try. Partition ${partition}: ${failures.join('; ')}`);
  };
  const results = await Promise.all(plans.map(rowsOf));
  return {
    id: prepared.id,
    isPull: true,
    sourceName: prepared.sourceName,
    columns: prepared.columns,
    statementText: prepared.statementText,
    synchronous: true,
    start(client): RunningQuery {
      const sink = partitioned.merged(client);
      let rowCount = 0;
      for (const rows of results) {
        for (const values of rows) {
          rowCount++;
          sink.row(values);
        }
      }
      sink.end({ kind: 'complete' });
      return { rowCount, close: () => {}, pause: () => {}, resume: () => {} };
    },
  };
}

/** The hosts that may answer a partition, in the order to ask them, and every host that holds it. */
function candidatesOf(cluster: Cluster, config: KsqlConfig, queryId: string, store: string, partition: number): { hosts: HostInfo[]; scanned: HostInfo[] } {
  const { active, standbys } = cluster.view.owners(queryId, partition);
  const lagOf = (host: HostInfo): number | undefined => cluster.lags?.lagOf(host, store, partition)?.offsetLag;
  const byLag = [...standbys].sort((a, b) => (lagOf(a) ?? Number.MAX_SAFE_INTEGER) - (lagOf(b) ?? Number.MAX_SAFE_INTEGER));
  const scanned = [...(active === undefined ? [] : [active]), ...byLag];
  const maxLag = config.getInteger('ksql.query.pull.max.allowed.offset.lag')!;
  const standbyReads = config.getBoolean('ksql.query.pull.enable.standby.reads');
  const hosts = scanned
    .filter((host) => host === active || standbyReads)
    .filter((host) => cluster.heartbeats?.isAlive(host) ?? true)
    .filter((host) => (lagOf(host) ?? 0) <= maxLag);
  return { hosts, scanned };
}

function readHere(prepared: PreparedQuery, partition: number): (readonly unknown[])[] {
  const rows: (readonly unknown[])[] = [];
  let end: TransientEnd | undefined;
  prepared.partitioned!.startOn([partition], { row: (values) => rows.push(values), end: (e) => (end = e) });
  if (end?.kind === 'failed') throw end.error;
  return rows;
}
