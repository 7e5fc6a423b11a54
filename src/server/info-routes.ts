/**
 * The server's read-only resources, in ksqlDB's shapes: /info (where `GET /`
 * sends clients other than browsers, see console-routes.ts), /healthcheck,
 * (/clusterStatus is in cluster-routes.ts),
 * /status and /status/:commandId, and /is_valid_property/:name.
 */
import type { Express, Request, Response } from 'express';
import { isOverridableProperty } from '../engine/config.js';
import type { KsqlEngine } from '../engine/engine.js';
import type { CommandStatuses } from './command-statuses.js';
import type { KafkaLog } from './kafka-log.js';
import { badRequest, notFound, sendError } from './error-response.js';
import { sendJson } from './send-json.js';

/** The ksqlDB version whose REST API this server speaks (clients check it). */
export const KSQLDB_API_VERSION = '0.29.0';

export interface InfoContext {
  readonly engine: KsqlEngine;
  readonly statuses: CommandStatuses;
  readonly isShuttingDown: () => boolean;
  /** The Kafka cluster the server runs on, when it does: the health check asks it rather than the local log. */
  readonly kafkaLog: () => KafkaLog | undefined;
}

/** How long the health check waits for the Kafka cluster to describe the command topic. */
const KAFKA_CHECK_TIMEOUT_MS = 5000;

export function addInfoRoutes(app: Express, ctx: InfoContext): void {
  app.get('/info', (_req, res) => {
    sendJson(res, 200, {
      KsqlServerInfo: {
        version: KSQLDB_API_VERSION,
        kafkaClusterId: 'ksqlite-embedded',
        ksqlServiceId: ctx.engine.config.serviceId,
        serverStatus: ctx.isShuttingDown() ? 'TERMINATING' : 'RUNNING',
      },
    });
  });
  // On the embedded log the log stands where ksqlDB has Kafka, with why it is not healthy; the status is 200 either way, as ksqlDB answers (isHealthy says it).
  app.get('/healthcheck', (_req, res, next) => {
    const kafkaLog = ctx.kafkaLog();
    const checked = kafkaLog === undefined ? Promise.resolve(brokerHealth(ctx.engine)) : clusterHealth(kafkaLog);
    checked.then((kafka) => {
      const isHealthy = kafka.isHealthy && !ctx.isShuttingDown();
      sendJson(res, 200, {
        isHealthy,
        details: { metastore: { isHealthy: true }, kafka, commandRunner: { isHealthy: !ctx.isShuttingDown() } },
      });
    }, next);
  });
  app.get('/status', (_req, res) => sendJson(res, 200, { commandStatuses: ctx.statuses.all() }));
  app.get('/status/:type/:entity/:action', (req: Request, res: Response) => {
    const { type, entity, action } = req.params as Record<string, string>;
    const status = ctx.statuses.get(`${type}/${entity}/${action}`);
    if (status === undefined) sendError(res, notFound(`Command not found: ${type}/${entity}/${action}`));
    else sendJson(res, 200, status);
  });
  const validProperty = (req: Request, res: Response): void => {
    const name = (req.params as Record<string, string>).name!;
    if (isOverridableProperty(name)) sendJson(res, 200, true);
    else sendError(res, badRequest(`One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${name}]`));
  };
  app.get('/is_valid_property/:name', validProperty);
  app.post('/is_valid_property/:name', validProperty);
}

/** Whether the Kafka cluster answers (as ksqlDB's check: it describes the command topic), with the reason when not. */
async function clusterHealth(kafkaLog: KafkaLog): Promise<{ isHealthy: boolean; reason?: string }> {
  try {
    await kafkaLog.checkReachable(KAFKA_CHECK_TIMEOUT_MS);
    return { isHealthy: true };
  } catch (error) {
    return { isHealthy: false, reason: (error as Error).message };
  }
}

/** Whether the log answers and its storage takes writes (a full disk does not), with the reason when not. */
function brokerHealth(engine: KsqlEngine): { isHealthy: boolean; reason?: string } {
  try {
    engine.broker.listTopics();
  } catch (error) {
    return { isHealthy: false, reason: (error as Error).message };
  }
  const storage = engine.broker.storageStatus();
  return storage.healthy ? { isHealthy: true } : { isHealthy: false, reason: `${storage.reason ?? 'the log cannot write'} (since ${new Date(storage.since ?? Date.now()).toISOString()})` };
}
