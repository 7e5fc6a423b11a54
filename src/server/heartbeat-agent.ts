/**
 * ksqlDB's heartbeats (its HeartbeatAgent): every
 * `ksql.heartbeat.discover.interval.ms` the agent adds the servers the
 * cluster view names, alive until heard otherwise; every
 * `ksql.heartbeat.send.interval.ms` it posts `{hostInfo, timestamp}` to
 * /heartbeat of every known server, alive or dead (a server marked dead too
 * early comes back with its next heartbeat); every
 * `ksql.heartbeat.check.interval.ms` it looks at the heartbeats received
 * within the last `ksql.heartbeat.window.ms`: a server is dead when none came,
 * or when the heartbeats it missed in a row (counted in send intervals, up to
 * the window's end) reach `ksql.heartbeat.missed.threshold.ms`. This server is
 * always alive to itself.
 */
import { createLogger } from '../common/logger.js';
import type { KsqlConfig } from '../engine/config.js';
import type { ClusterClient } from './cluster-client.js';
import { hostName, sameHost, type ClusterView, type HostInfo } from './cluster-view.js';

const log = createLogger('heartbeat');

export interface HostStatus {
  readonly host: HostInfo;
  readonly alive: boolean;
  readonly lastStatusUpdateMs: number;
}

export interface HeartbeatSettings {
  readonly sendIntervalMs: number;
  readonly checkIntervalMs: number;
  readonly windowMs: number;
  readonly missedThreshold: number;
  readonly discoverIntervalMs: number;
}

export function heartbeatSettings(config: KsqlConfig): HeartbeatSettings | undefined {
  if (!config.getBoolean('ksql.heartbeat.enable')) return undefined;
  const get = (name: string): number => config.getInteger(name)!;
  return {
    sendIntervalMs: get('ksql.heartbeat.send.interval.ms'),
    checkIntervalMs: get('ksql.heartbeat.check.interval.ms'),
    windowMs: get('ksql.heartbeat.window.ms'),
    missedThreshold: get('ksql.heartbeat.missed.threshold.ms'),
    discoverIntervalMs: get('ksql.heartbeat.discover.interval.ms'),
  };
}

export class HeartbeatAgent {
  private readonly statuses = new Map<string, HostStatus>();
  /** Per server, the send times of the heartbeats received, oldest first. */
  private readonly received = new Map<string, number[]>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly view: ClusterView,
    private readonly client: ClusterClient,
    private readonly settings: HeartbeatSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.statuses.set(hostName(view.self), { host: view.self, alive: true, lastStatusUpdateMs: now() });
  }

  start(): void {
    this.discover();
    const every = (ms: number, run: () => void): void => {
      const timer = setInterval(() => {
        try {
          run();
        } catch (error) {
          log.error({ err: error }, 'heartbeat service failed');
        }
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.settings.discoverIntervalMs, () => this.discover());
    every(this.settings.sendIntervalMs, () => this.send());
    every(this.settings.checkIntervalMs, () => this.check());
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /** A heartbeat `host` sent at `timestamp`. */
  receive(host: HostInfo, timestamp: number): void {
    const name = hostName(host);
    let times = this.received.get(name);
    if (times === undefined) this.received.set(name, times = []);
    // Heartbeats arrive nearly in order: insert from the end.
    let i = times.length;
    while (i > 0 && times[i - 1]! > timestamp) i--;
    if (times[i - 1] !== timestamp) times.splice(i, 0, timestamp);
  }

  /** Every server discovered, this one first. */
  hostStatuses(): HostStatus[] {
    return [...this.statuses.values()];
  }

  isAlive(host: HostInfo): boolean {
    if (sameHost(host, this.view.self)) return true;
    return this.statuses.get(hostName(host))?.alive ?? true;
  }

  private discover(): void {
    for (const host of this.view.otherHosts()) {
      const name = hostName(host);
      if (!this.statuses.has(name)) this.statuses.set(name, { host, alive: true, lastStatusUpdateMs: this.now() });
    }
  }

  private send(): void {
    const message = { hostInfo: { host: this.view.self.host, port: this.view.self.port }, timestamp: this.now() };
    for (const { host } of this.statuses.values()) {
      if (sameHost(host, this.view.self)) continue;
      this.client.post(host, '/heartbeat', message).catch((error: unknown) => log.debug({ host: hostName(host), err: error }, 'heartbeat not delivered'));
    }
  }

  /** Decides every known server's liveness from the heartbeats of the window that ends now. */
  check(windowEnd = this.now()): void {
    const windowStart = windowEnd - this.settings.windowMs;
    for (const [name, status] of this.statuses) {
      if (sameHost(status.host, this.view.self)) continue;
      const times = this.received.get(name);
      if (times === undefined || times.length === 0) {
        this.statuses.set(name, { ...status, alive: false });
        continue;
      }
      // Older heartbeats are done with.
      let drop = 0;
      while (drop < times.length && times[drop]! < windowStart) drop++;
      times.splice(0, drop);
      const alive = this.decide(times, windowStart, windowEnd);
      if (!alive && status.alive) log.info({ host: name }, 'server marked dead');
      if (alive && !status.alive) log.info({ host: name }, 'server alive again');
      this.statuses.set(name, { host: status.host, alive, lastStatusUpdateMs: windowEnd });
    }
  }

  /** Alive unless the heartbeats missed in a row (none in the window: dead) reach the threshold. */
  private decide(times: readonly number[], windowStart: number, windowEnd: number): boolean {
    const interval = this.settings.sendIntervalMs;
    let missed = 0;
    let previous = windowStart;
    let any = false;
    for (const ts of times) {
      if (ts >= windowEnd) break;
      any = true;
      missed = ts - interval > previous ? Math.floor((ts - previous - 1) / interval) : 0;
      previous = ts;
    }
    if (!any) return false;
    if (windowEnd - previous - 1 > 0) missed = Math.floor((windowEnd - previous - 1) / interval);
    return missed < this.settings.missedThreshold;
  }
}
