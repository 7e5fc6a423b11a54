/**
 * ksqlDB's lag reporting (its LagReportingAgent): every
 * `ksql.lag.reporting.send.interval.ms` this server posts the lags of its
 * stores, `{ksqlHost, hostStoreLags: {stateStoreLags, updateTimeMs}}`, to
 * /lag of every server the heartbeats say is alive; what it receives it
 * keeps per server, a report older than the one kept being dropped. Its own
 * lags it reads directly.
 */
import { createLogger } from '../common/logger.js';
import type { ClusterClient } from './cluster-client.js';
import { hostName, sameHost, type ClusterView, type HostInfo, type StateStoreLags, type StoreLag } from './cluster-view.js';
import type { HeartbeatAgent } from './heartbeat-agent.js';

const log = createLogger('lag-reporting');

export interface HostStoreLags {
  readonly stateStoreLags: StateStoreLags;
  readonly updateTimeMs: number;
}

export const NO_STORE_LAGS: HostStoreLags = { stateStoreLags: {}, updateTimeMs: 0 };

export class LagReportingAgent {
  private readonly reports = new Map<string, HostStoreLags>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly view: ClusterView,
    private readonly client: ClusterClient,
    private readonly heartbeats: HeartbeatAgent,
    private readonly sendIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      try {
        this.send();
      } catch (error) {
        log.error({ err: error }, 'lag reporting failed');
      }
    }, this.sendIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  receive(host: HostInfo, lags: HostStoreLags): void {
    const name = hostName(host);
    const kept = this.reports.get(name);
    if (kept === undefined || kept.updateTimeMs <= lags.updateTimeMs) this.reports.set(name, lags);
  }

  /** The lags `host` last reported (this server's, as they are now). */
  lagsOf(host: HostInfo): HostStoreLags | undefined {
    if (sameHost(host, this.view.self)) return { stateStoreLags: this.view.localStoreLags(), updateTimeMs: this.now() };
    return this.reports.get(hostName(host));
  }

  /** How far `host`'s partition of `store` is behind, when it has said. */
  lagOf(host: HostInfo, store: string, partition: number): StoreLag | undefined {
    return this.lagsOf(host)?.stateStoreLags[store]?.lagByPartition[String(partition)];
  }

  private send(): void {
    const message = { ksqlHost: { host: this.view.self.host, port: this.view.self.port }, hostStoreLags: this.lagsOf(this.view.self) };
    for (const { host, alive } of this.heartbeats.hostStatuses()) {
      if (!alive || sameHost(host, this.view.self)) continue;
      this.client.post(host, '/lag', message).catch((error: unknown) => log.debug({ host: hostName(host), err: error }, 'lag report not delivered'));
    }
  }
}
