/**
 * A running ksqlite server: one listener for HTTP/1.1 (with the /ws/query
 * WebSocket) and HTTP/2, cleartext or, for an `https` listener, TLS (see
 * tls-options.ts), behind the request gate (origin, Host and Basic
 * credentials: request-gate.ts), the embedded log in the data directory,
 * the engine (which replays the command log when it is built) and the
 * scheduler that runs persistent and transient queries. `stop` is graceful:
 * stop accepting (new requests get 503, HTTP/2 sessions a GOAWAY), end every
 * open exchange properly (an inserts stream acks every row it stored, push
 * queries and PRINT end their responses, WebSockets close with 1001) and wait
 * for them, at most `shutdownTimeoutMs` or until `hurry`, while the
 * scheduler finishes its current turn (its commits) and runs no more; then
 * cut what is left, have every
 * query's tasks commit what they processed (before a query leaves its group),
 * stop the queries and close the log. When `kafkaPort` is set, a Kafka-protocol listener
 * (src/broker/kafka-protocol) serves the same log; a stop closes it before
 * the queries stop. With `kafkaBootstrap` the server runs on that Kafka
 * cluster instead (kafka-log.ts): topics, the command topic and the tasks'
 * transactions are the cluster's, the data directory keeps the state stores;
 * a stop closes the queries' tasks, then the cluster client. Connections are
 * bounded in time and number (connection-limits.ts). The server's cluster
 * side (cluster.ts: heartbeats, lag reports, pull-query routing) starts with
 * the engine and stops first. With a queries file (headless mode) the engine
 * keeps no command topic, runs the file before any query processes
 * (queries-file.ts), and the REST API answers only what headless-gate.ts keeps.
 */
import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import type { SaslAuthenticator } from '../broker/kafka-protocol/sasl-exchange.js';
import { memoryCommandTopic, openEmbeddedBroker, type EmbeddedBroker } from '../broker/index.js';
import { KafkaListener } from '../broker/kafka-protocol/kafka-listener.js';
import { serviceResources } from '../broker/kafka-protocol/reserved-resources.js';
import { createLogger } from '../common/logger.js';
import { KsqlConfig } from '../engine/config.js';
import { KsqlEngine } from '../engine/engine.js';
import { ensureProcessingLogStream } from '../engine/processing-log-stream.js';
import { isPromise } from '../common/maybe-async.js';
import { createFunctionRegistry } from '../functions/builtin-functions.js';
import { ExtensionDirectory } from '../functions/user/extension-loader.js';
import { Scheduler } from '../runtime/scheduler.js';
import { createAuthenticator } from './basic-auth.js';
import { loadTlsOptions } from './tls-options.js';
import { checkSettings } from './known-settings.js';
import { prepareDataDir } from './data-dir-check.js';
import { createBrowserGuard } from './browser-guard.js';
import type { RequestGate } from './request-gate.js';
import { startSchemaRegistry, type SchemaRegistrySetup } from './schema-registry-startup.js';
import type { SchemaRegistryServer } from '../schema-registry/schema-registry-server.js';
import { startCluster, type Cluster } from './cluster.js';
import { createClusterClient } from './cluster-client.js';
import { selfFromListener, type ClusterView, type HostInfo } from './cluster-view.js';
import { singleServerView } from './single-server-view.js';
import { groupClusterView } from './group-cluster-view.js';
import { CommandStatuses } from './command-statuses.js';
import { createApp, type AppContext } from './create-app.js';
import { resolveConnectionLimits } from './connection-limits.js';
import { createDualProtocolListener, type DualProtocolListener } from './dual-protocol-listener.js';
import { resolveKafkaSettings } from './kafka-settings.js';
import { resolveKafkaSecurity } from './kafka-security.js';
import { checkKafkaClientSettings, openKafkaLog, type KafkaLog } from './kafka-log.js';
import { OpenExchanges } from './open-exchanges.js';
import { ServerMetrics } from './server-metrics.js';
import type { ServerOptions } from './server-options.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './client-stream.js';
import { createWsQueryHandler } from './ws-query.js';
import { refuseUpgrade } from './headless-gate.js';
import { runQueriesFile } from './queries-file.js';
import { ParsePool } from '../parser/parse-pool.js';
import { resolveParsePoolOptions } from './parse-pool-settings.js';

export interface StartOptions extends ServerOptions {
  /**
   * The view of the cluster this server is part of, given its engine and its
   * own host (default: by the queries' groups on a Kafka cluster,
   * groupClusterView; else a server alone, singleServerView).
   */
  readonly clusterView?: (engine: KsqlEngine, self: HostInfo) => ClusterView;
  /** Largest request body accepted (default 10 MiB). */
  readonly maxBodyBytes?: number;
  /** How often the log runs retention and compaction (default 60 s). */
  readonly maintenanceIntervalMs?: number;
  /** Backpressure bounds of streamed responses (push queries, insert acks). */
  readonly streamLimits?: Partial<StreamLimits>;
}

const log = createLogger('server');

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;

/** How often the server looks for commands other servers of its service id wrote, on a log that answers at once. */
const COMMAND_POLL_MS = 500;

export class KsqlServer {
  private stopping: Promise<void> | undefined;
  private hurryWait: () => void = () => {};
  /** Resolves when `hurry` is called. */
  private readonly hurried = new Promise<void>((resolve) => (this.hurryWait = resolve));

  private constructor(
    private readonly listener: DualProtocolListener,
    private readonly exchanges: OpenExchanges,
    private readonly shutdownTimeoutMs: number,
    readonly broker: EmbeddedBroker,
    readonly engine: KsqlEngine,
    private readonly scheduler: Scheduler,
    readonly host: string,
    readonly port: number,
    /** The Kafka-protocol listener, when one was asked for (its `port` is the bound one). */
    readonly kafka: KafkaListener | undefined,
    private readonly markShuttingDown: () => void,
    private readonly registry: SchemaRegistrySetup,
    private readonly scheme: 'http' | 'https',
    /** The user functions' directory (`ksql.extension.dir`), watched while the server runs. */
    readonly extensions: ExtensionDirectory,
    private readonly parser: ParsePool,
    /** Its view of the cluster, and the heartbeat and lag agents when they are on. */
    readonly cluster: Cluster,
    /** The Kafka cluster the server runs on, when it does. */
    private readonly kafkaLog: KafkaLog | undefined,
  ) {}

  /** The embedded Schema Registry, when this server runs one. */
  get schemaRegistry(): SchemaRegistryServer | undefined {
    return this.registry.server;
  }

  /** The URL clients on this machine reach the server at. */
  get url(): string {
    return `${this.scheme}://${displayHost(this.host)}:${this.port}`;
  }

  static async start(options: StartOptions): Promise<KsqlServer> {
    let engine: KsqlEngine | undefined;
    let cluster: Cluster | undefined;
    let shuttingDown = false;
    let port = options.port;
    const headless = options.queriesFile !== undefined;
    checkSettings(options.properties);
    if (options.kafkaBootstrap !== undefined) checkKafkaClientSettings(options.properties, options.kafkaBootstrap);
    prepareDataDir(options.dataDir);
    const authenticator = createAuthenticator(options.properties);
    for (const warning of authenticator?.warnings ?? []) log.warn(warning);
    const limits = resolveConnectionLimits(options.properties);
    const parser = new ParsePool(resolveParsePoolOptions(options.properties));
    const gate: RequestGate = { guard: createBrowserGuard(options.properties, options.host), ...(authenticator === undefined ? {} : { authenticator }) };
    const exchanges = new OpenExchanges();
    let listener: DualProtocolListener | undefined;
    let kafka: KafkaListener | undefined;
    const metrics = new ServerMetrics({
      engine: () => engine,
      connections: {
        http: () => listener?.connectionCount() ?? 0,
        webSocket: () => exchanges.countOf('websocket'),
        kafka: () => kafka?.connectionCount,
      },
    });
    let kafkaLog: KafkaLog | undefined;
    const ctx: AppContext = {
      engine: () => engine,
      cluster: () => cluster,
      kafkaLog: () => kafkaLog,
      isShuttingDown: () => shuttingDown,
      maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
      requestTimeoutMs: limits.requestTimeoutMs,
      streamLimits: { ...DEFAULT_STREAM_LIMITS, ...options.streamLimits },
      statuses: new CommandStatuses(),
      exchanges,
      gate,
      metrics,
      parser,
      headless,
    };
    const http = createServer(createApp(ctx));
    http.on('upgrade', headless ? refuseUpgrade : createWsQueryHandler({
      engine: ctx.engine, isShuttingDown: ctx.isShuttingDown, limits: ctx.streamLimits, exchanges: ctx.exchanges, gate, latencies: metrics, parser: ctx.parser, cluster: ctx.cluster,
    }));
    const h2 = createHttp2Server({ settings: { maxConcurrentStreams: limits.maxConcurrentStreams } }, createApp(ctx, { forHttp2: true }));
    const tls = options.https === true ? loadTlsOptions(options.properties) : undefined;
    listener = createDualProtocolListener(http, h2, limits, tls);
    const net = listener.server;
    await new Promise<void>((resolve, reject) => {
      net.once('error', (error) => reject(listenError(error, options.host, options.port)));
      net.listen(options.port, options.host, () => {
        net.removeAllListeners('error');
        resolve();
      });
    });
    const bound = net.address() as AddressInfo;
    port = bound.port;
    let broker: EmbeddedBroker | undefined;
    let registry: SchemaRegistrySetup | undefined;
    let extensions: ExtensionDirectory | undefined;
    try {
      // Its threads build their parsers while the log is opened and replayed.
      parser.start();
      broker = openEmbeddedBroker({ dataDir: options.dataDir, acceptDataLoss: options.acceptDataLoss, startFresh: options.startFresh });
      const config = new KsqlConfig({ listeners: `${tls === undefined ? 'http' : 'https'}://${displayHost(options.host)}:${port}`, ...hideSecrets(options.properties) });
      const advertised = config.getString('ksql.advertised.listener') ?? config.getString('listeners')!;
      if (options.kafkaBootstrap !== undefined) kafkaLog = await openKafkaLog(options.properties, options.kafkaBootstrap, config.serviceId, advertised);
      // User functions load before the engine replays its commands, so the queries that call them start.
      const functions = createFunctionRegistry();
      extensions = await ExtensionDirectory.open(extensionDir(options), functions);
      registry = await startSchemaRegistry(broker, options, gate.guard, {
        ...(authenticator === undefined ? {} : { authenticator: createAuthenticator(options.properties, [])! }),
        ...(tls === undefined ? {} : { tls }),
      });
      if (options.kafkaPort !== undefined) {
        const kafkaSettings = resolveKafkaSettings(options.properties);
        kafka = await KafkaListener.start({
          broker,
          host: options.host,
          port: options.kafkaPort,
          ...(options.kafkaAdvertisedHost === undefined ? {} : { advertisedHost: options.kafkaAdvertisedHost }),
          clusterId: broker.dataDirId,
          ...kafkaSettings,
          ...kafkaSecurity(options.properties),
          // The engine is made below in the same tick, so no request reaches the listener before it exists.
          groups: { ...kafkaSettings.groups, busyGroups: { isBusy: (group) => engine?.isBusy(group) === true } },
          // Its command topic and queries' topics are written by this server alone, never through the listener.
          reserved: serviceResources(config.serviceId, config.processingLogTopic),
        });
      }
      // A task's failure stops its query, which logs it once (persistent-query.ts, stream-query.ts, print-stream.ts).
      const scheduler = new Scheduler();
      engine = new KsqlEngine({
        broker, config, functions, scheduler, ...(registry.client === undefined ? {} : { schemaRegistry: registry.client }),
        ...(kafkaLog === undefined ? {} : { log: kafkaLog }),
        ...(kafka === undefined ? {} : { consumerGroups: kafka.groups }),
        // Headless mode keeps no command topic: the queries file is its record, run again at every start.
        ...(headless ? { commandTopic: memoryCommandTopic(`_confluent-ksql-${config.serviceId}_command_topic`) } : {}),
        observeCommit: (queryId, seconds) => metrics.observeCommit(queryId, seconds),
      });
      if (isPromise(engine.ready)) await engine.ready;
      const scheme = tls === undefined ? 'http' : 'https';
      const self = selfFromListener(advertised);
      // On a Kafka cluster the queries' groups say which server runs what; on the embedded log this server runs everything.
      const view = options.clusterView ?? (kafkaLog === undefined ? singleServerView : groupClusterView);
      cluster = startCluster(view(engine, self), createClusterClient(scheme, options.properties), config);
      if (options.queriesFile !== undefined) {
        if (config.getBoolean('ksql.logging.processing.stream.auto.create')) {
          log.warn('processing log auto-create is enabled, but this is not supported for headless mode');
        }
        // Its queries start together, once the whole file ran (the scheduler runs no task before).
        const queries = await runQueriesFile(engine, options.queriesFile);
        log.info({ queriesFile: options.queriesFile, queries }, 'headless mode: ran the queries file; interactive use is disabled');
        scheduler.start();
      } else {
        scheduler.start();
        engine.startCommandRunner(COMMAND_POLL_MS);
        await ensureProcessingLogStream(engine, config);
      }
      broker.startMaintenance(options.maintenanceIntervalMs ?? 60_000);
      const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
      const server = new KsqlServer(listener, ctx.exchanges, timeoutMs, broker, engine, scheduler, options.host, port, kafka, () => {
        shuttingDown = true;
      }, registry, scheme, extensions, parser, cluster, kafkaLog);
      const listening = `${tls === undefined ? 'http' : 'https'}://${displayAddress(bound.address)}:${port}`;
      log.info({
        listening, url: server.url, dataDir: options.dataDir, queries: engine.listQueries().length,
        ...(options.kafkaBootstrap === undefined ? {} : { kafkaBootstrap: options.kafkaBootstrap }),
      }, `ksqlite server listening on ${listening}`);
      return server;
    } catch (error) {
      cluster?.stop();
      await parser.close();
      extensions?.close();
      await kafka?.close();
      await registry?.close();
      engine?.close();
      await kafkaLog?.close();
      broker?.close();
      await new Promise<void>((resolve) => net.close(() => resolve()));
      listener.closeAll();
      throw error;
    }
  }

  /** Stops gracefully; a second call waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /** Cuts the wait of a stop short: the exchanges still open are cut now, and the stop goes on. */
  hurry(): void {
    this.hurryWait();
  }

  private async shutdown(): Promise<void> {
    this.markShuttingDown();
    const closed = new Promise<void>((resolve) => this.listener.server.close(() => resolve()));
    this.listener.refuseNewStreams();
    this.exchanges.stopAll();
    // Queries stop processing now (after the current turn, with its commits): the open exchanges finish
    // without competing with them for the event loop, which on a loaded machine could outlast the timeout.
    const processingStopped = this.scheduler.stop();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.shutdownTimeoutMs)));
    const cut = await this.exchanges.settled(Promise.race([timedOut, this.hurried]));
    clearTimeout(timer);
    // What is left now is idle connections (kept alive between requests), and whatever the wait cut.
    const connections = this.listener.closeAll();
    if (cut.length > 0) log.warn({ cut, connections, timeoutMs: this.shutdownTimeoutMs }, 'stopping: cut the exchanges still open');
    this.cluster.stop();
    this.extensions.close();
    await this.parser.close();
    await this.kafka?.close();
    await this.registry.close();
    await processingStopped;
    // Commits before leaving the groups: the next owner of each task starts where this server stopped.
    await this.engine.commitAndStopQueries();
    this.engine.close();
    await this.kafkaLog?.close();
    this.broker.close();
    await closed;
    log.info('ksqlite server stopped');
  }
}

/**
 * The engine's copy of the settings, which SHOW PROPERTIES lists, with
 * passwords and keys replaced as ksqlDB obfuscates them; the server reads
 * them from its options.
 */
function hideSecrets(properties: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, isSecret(name) ? '[hidden]' : value]));
}

function isSecret(name: string): boolean {
  return /(?:password|jaas\.config|ssl\.keystore\.key)$/.test(name);
}

/** The Kafka listener options of `kafka.listener.security.protocol` (kafka-security.ts). */
function kafkaSecurity(properties: Readonly<Record<string, string>>): { tls?: SecureContextOptions; sasl?: SaslAuthenticator } {
  const { tls, sasl } = resolveKafkaSecurity(properties);
  return { ...(tls === undefined ? {} : { tls }), ...(sasl === undefined ? {} : { sasl }) };
}

/** A listen failure in the operator's words. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${displayAddress(host)}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE': return new Error(`Port ${port} is already in use on ${displayAddress(host)}: stop what uses it, or choose another with --port`);
    case 'EACCES': return new Error(`Not allowed to listen on ${where}: ports below 1024 need privileges; choose another with --port`);
    case 'EADDRNOTAVAIL': return new Error(`Cannot listen on ${where}: ${host} is not an address of this machine (--host)`);
    case 'ENOTFOUND': return new Error(`Cannot listen on ${where}: unknown host name ${host} (--host)`);
    default: return new Error(`Cannot listen on ${where}: ${error.message}`);
  }
}

/** An address as bound, IPv6 in brackets. */
function displayAddress(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** `ksql.extension.dir`, by default `<data dir>/extensions` (made when missing, so it is watched from the start). */
function extensionDir(options: ServerOptions): string {
  const configured = options.properties['ksql.extension.dir'];
  if (configured !== undefined && configured !== null && String(configured) !== '') return String(configured);
  const dir = join(options.dataDir, 'extensions');
  mkdirSync(dir, { recursive: true });
  return dir;
}
