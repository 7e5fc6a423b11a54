/**
 * The cluster side of a server: its view of the cluster, the client it
 * speaks to the other servers with, and, when `ksql.heartbeat.enable` (and
 * `ksql.lag.reporting.enable`) are on, the heartbeat and lag-reporting
 * agents. Made once the engine is ready; stopped with the server.
 */
import type { KsqlConfig } from '../engine/config.js';
import type { ClusterClient } from './cluster-client.js';
import type { ClusterView } from './cluster-view.js';
import { HeartbeatAgent, heartbeatSettings } from './heartbeat-agent.js';
import { LagReportingAgent } from './lag-reporting-agent.js';

export interface Cluster {
  readonly view: ClusterView;
  readonly client: ClusterClient;
  readonly heartbeats: HeartbeatAgent | undefined;
  readonly lags: LagReportingAgent | undefined;
  stop(): void;
}

export function startCluster(view: ClusterView, client: ClusterClient, config: KsqlConfig): Cluster {
  const settings = heartbeatSettings(config);
  const heartbeats = settings === undefined ? undefined : new HeartbeatAgent(view, client, settings);
  const lags = heartbeats === undefined || !config.getBoolean('ksql.lag.reporting.enable')
    ? undefined
    : new LagReportingAgent(view, client, heartbeats, config.getInteger('ksql.lag.reporting.send.interval.ms')!);
  heartbeats?.start();
  lags?.start();
  return {
    view, client, heartbeats, lags,
    stop() {
      lags?.stop();
      heartbeats?.stop();
    },
  };
}
