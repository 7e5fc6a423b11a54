/**
 * The Kafka-protocol TCP listener in front of the log: Kafka clients (kcat,
 * kafkajs, librdkafka, kafka-python) produce to and consume from the same
 * topics ksqlite's queries use. It speaks the non-flexible versions those
 * clients send (plus ApiVersions v3) and presents itself as a one-broker
 * cluster, node 0, at the advertised host and port. With `tls` it serves TLS
 * (Kafka's SSL and SASL_SSL), with `sasl` every connection authenticates
 * with SASL/PLAIN first (sasl-exchange.ts).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type SecureContextOptions } from 'node:tls';
import { createLogger } from '../../common/logger.js';
import type { Broker } from '../broker.js';
import { alterConfigsApi } from './alter-configs.js';
import { addOffsetsToTxnApi } from './add-offsets-to-txn.js';
import { addPartitionsToTxnApi } from './add-partitions-to-txn.js';
import { apiVersionsApi } from './api-versions.js';
import { createPartitionsApi } from './create-partitions.js';
import { createTopicsApi } from './create-topics.js';
import { deleteGroupsApi } from './delete-groups.js';
import { deleteRecordsApi } from './delete-records.js';
import { deleteTopicsApi } from './delete-topics.js';
import { describeConfigsApi } from './describe-configs.js';
import { endTxnApi } from './end-txn.js';
import { describeGroupsApi } from './describe-groups.js';
import { fetchApi } from './fetch.js';
import { incrementalAlterConfigsApi } from './incremental-alter-configs.js';
import { findCoordinatorApi } from './find-coordinator.js';
import { initProducerIdApi } from './init-producer-id.js';
import { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator.js';
import { heartbeatApi } from './heartbeat.js';
import { joinGroupApi } from './join-group.js';
import type { KafkaApi, KafkaContext } from './kafka-api.js';
import { KafkaConnection } from './kafka-connection.js';
import { leaveGroupApi } from './leave-group.js';
import { listGroupsApi } from './list-groups.js';
import { listOffsetsApi } from './list-offsets.js';
import { metadataApi } from './metadata.js';
import { offsetCommitApi } from './offset-commit.js';
import { offsetFetchApi } from './offset-fetch.js';
import { produceApi } from './produce.js';
import { txnOffsetCommitApi } from './txn-offset-commit.js';
import { syncGroupApi } from './sync-group.js';
import { saslAuthenticateApi, saslHandshakeApi } from './sasl-apis.js';
import { NOTHING_RESERVED, type ReservedResources } from './reserved-resources.js';
import { TopicIds } from './topic-ids.js';
import type { SaslAuthenticator } from './sasl-exchange.js';

export interface KafkaListenerOptions {
  readonly broker: Broker;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The host Metadata tells clients to connect to (default: the bind host, `localhost` for a wildcard). */
  readonly advertisedHost?: string;
  /** Named in Metadata responses. */
  readonly clusterId: string;
  /** Kafka's `auto.create.topics.enable` (default true). */
  readonly autoCreateTopics?: boolean;
  /** Kafka's `num.partitions` for auto-created topics (default 1). */
  readonly defaultPartitions?: number;
  /** The largest request frame accepted (default 100 MiB); a larger size prefix closes the connection. */
  readonly maxFrameBytes?: number;
  /** Kafka's `max.connections` (default 1000): connections beyond it are closed as they arrive. */
  readonly maxConnections?: number;
  /** Kafka's group settings (`group.min.session.timeout.ms`, `group.max.session.timeout.ms`). */
  readonly groups?: GroupCoordinatorOptions;
  /** Serve TLS with this key and certificate. */
  readonly tls?: SecureContextOptions;
  /** Require SASL authentication of every connection. */
  readonly sasl?: SaslAuthenticator;
  /** What the server behind the listener alone writes (default: nothing). */
  readonly reserved?: ReservedResources;
}

export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;
/** Each connection may hold a frame and a response, so a flood of them must stop somewhere. */
export const DEFAULT_MAX_CONNECTIONS = 1000;
/** A flood of refused connections is logged once per interval, not once per connection. */
const DROP_LOG_INTERVAL_MS = 10_000;

const APIS: readonly KafkaApi[] = [
  produceApi,
  fetchApi,
  listOffsetsApi,
  metadataApi,
  offsetCommitApi,
  offsetFetchApi,
  findCoordinatorApi,
  joinGroupApi,
  heartbeatApi,
  leaveGroupApi,
  syncGroupApi,
  describeGroupsApi,
  listGroupsApi,
  apiVersionsApi,
  createTopicsApi,
  deleteTopicsApi,
  deleteRecordsApi,
  describeConfigsApi,
  alterConfigsApi,
  createPartitionsApi,
  incrementalAlterConfigsApi,
  initProducerIdApi,
  addPartitionsToTxnApi,
  addOffsetsToTxnApi,
  endTxnApi,
  txnOffsetCommitApi,
  saslHandshakeApi,
  saslAuthenticateApi,
  deleteGroupsApi,
];

/** How often transactions past their timeout are looked for (Kafka's default is 10 s; timeouts are at least 1 s). */
const TRANSACTION_TIMEOUT_CHECK_MS = 1000;

const log = createLogger('kafka-listener');

function defaultAdvertisedHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
}

function abortTimedOutTransactions(broker: Broker): void {
  try {
    const aborted = broker.transactions.abortTimedOut();
    if (aborted.length > 0) log.info({ transactionalIds: aborted }, 'aborted transactions past their timeout');
  } catch (error) {
    log.error({ err: error }, 'aborting timed-out transactions failed');
  }
}

export class KafkaListener {
  private readonly connections = new Set<KafkaConnection>();
  private timeoutTimer: NodeJS.Timeout | undefined;
  /** Every accepted socket, TLS ones still in their handshake included, so a close ends them all. */
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly advertisedHost: string,
    /** The consumer groups of the listener's clients. */
    readonly groups: GroupCoordinator,
  ) {}

  /** How many client connections are open. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** The bound port. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  static async start(options: KafkaListenerOptions): Promise<KafkaListener> {
    const server: Server = options.tls === undefined ? createServer() : createTlsServer(options.tls);
    const listener = new KafkaListener(server, options.advertisedHost ?? defaultAdvertisedHost(options.host), new GroupCoordinator(options.broker, options.groups));
    const context: KafkaContext = {
      broker: options.broker,
      groups: listener.groups,
      advertisedHost: listener.advertisedHost,
      advertisedPort: () => listener.port,
      clusterId: options.clusterId,
      topicIds: new TopicIds(options.broker, options.clusterId),
      autoCreateTopics: options.autoCreateTopics ?? true,
      defaultPartitions: options.defaultPartitions ?? 1,
      apis: APIS,
      reserved: options.reserved ?? NOTHING_RESERVED,
    };
    const apis = new Map(APIS.map((api) => [api.key, api]));
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    let dropped = 0;
    let droppedSince = 0;
    server.on('drop', () => {
      dropped++;
      if (Date.now() - droppedSince < DROP_LOG_INTERVAL_MS) return;
      log.warn({ closed: dropped, maxConnections: server.maxConnections }, 'closed kafka connections beyond max.connections');
      dropped = 0;
      droppedSince = Date.now();
    });
    server.on('connection', (socket: Socket) => {
      listener.sockets.add(socket);
      socket.on('close', () => listener.sockets.delete(socket));
    });
    // A TLS connection starts once its handshake is done.
    server.on(options.tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => {
      const connection = new KafkaConnection(socket, context, apis, maxFrameBytes, log, options.sasl);
      listener.connections.add(connection);
      socket.on('close', () => listener.connections.delete(connection));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => log.error({ err: error }, 'kafka listener error'));
    listener.timeoutTimer = setInterval(() => abortTimedOutTransactions(options.broker), TRANSACTION_TIMEOUT_CHECK_MS);
    listener.timeoutTimer.unref();
    server.on('tlsClientError', (error) => log.debug({ err: error }, 'a kafka TLS handshake failed'));
    log.info({ host: options.host, port: listener.port, advertisedHost: listener.advertisedHost }, 'kafka listener listening');
    return listener;
  }

  /** Stops accepting and closes every connection (their long polls and waiting joins end). */
  async close(): Promise<void> {
    clearInterval(this.timeoutTimer);
    this.groups.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
