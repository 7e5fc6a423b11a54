/**
 * The routes servers of a cluster use among themselves, in ksqlDB's shapes:
 * POST /heartbeat (`{hostInfo: {host, port}, timestamp}`), POST /lag
 * (`{ksqlHost, hostStoreLags}`), both answered `{isOk: true}`, and
 * GET /clusterStatus: every server this one knows, whether it is alive (by
 * heartbeats; every known server counts as alive when they are off), when
 * its status last changed, what it runs of each query, and the lags of its
 * stores (empty for a dead server, or when lag reporting is off).
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Cluster } from './cluster.js';
import type { HostInfo } from './cluster-view.js';
import { badRequest, sendError } from './error-response.js';
import { NO_STORE_LAGS, type HostStoreLags } from './lag-reporting-agent.js';
import { sendJson } from './send-json.js';

/** `readJson` reads the JSON bodies (create-app.ts). */
export function addClusterRoutes(app: Express, readJson: RequestHandler, cluster: () => Cluster): void {
  app.post('/heartbeat', readJson, (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown> | null;
    const host = hostInfoOf(body?.hostInfo);
    const timestamp = body?.timestamp;
    if (host === undefined || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
      sendError(res, badRequest("A heartbeat must have 'hostInfo' ({host, port}) and 'timestamp' (milliseconds)."));
      return;
    }
    cluster().heartbeats?.receive(host, timestamp);
    sendJson(res, 200, { isOk: true });
  });
  app.post('/lag', readJson, (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown> | null;
    const host = hostInfoOf(body?.ksqlHost);
    const lags = body?.hostStoreLags as HostStoreLags | undefined;
    if (host === undefined || lags === null || typeof lags !== 'object' || typeof lags.updateTimeMs !== 'number'
      || lags.stateStoreLags === null || typeof lags.stateStoreLags !== 'object') {
      sendError(res, badRequest("A lag report must have 'ksqlHost' ({host, port}) and 'hostStoreLags' ({stateStoreLags, updateTimeMs})."));
      return;
    }
    cluster().lags?.receive(host, lags);
    sendJson(res, 200, { isOk: true });
  });
  app.get('/clusterStatus', (_req, res) => {
    const { view, heartbeats, lags } = cluster();
    const now = Date.now();
    const statuses = heartbeats?.hostStatuses()
      ?? [view.self, ...view.otherHosts()].map((host) => ({ host, alive: true, lastStatusUpdateMs: now }));
    const clusterStatus: Record<string, unknown> = {};
    for (const { host, alive, lastStatusUpdateMs } of statuses) {
      clusterStatus[`${host.host}:${host.port}`] = {
        hostAlive: alive,
        lastStatusUpdateMs,
        activeStandbyPerQuery: view.activeStandbyPerQuery(host),
        hostStoreLags: alive ? lags?.lagsOf(host) ?? NO_STORE_LAGS : NO_STORE_LAGS,
      };
    }
    sendJson(res, 200, { clusterStatus });
  });
}

function hostInfoOf(value: unknown): HostInfo | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { host, port } = value as Record<string, unknown>;
  if (typeof host !== 'string' || host === '' || typeof port !== 'number' || !Number.isInteger(port) || port < 0) return undefined;
  return { host, port };
}
