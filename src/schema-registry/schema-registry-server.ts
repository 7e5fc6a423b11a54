/**
 * The embedded Schema Registry: the store on the server's log and the REST
 * API on its own port, so Schema Registry clients and tools work with a plain
 * base URL, over TLS when given `tls` (https). `stop` stops listening and
 * closes open connections; the log is the caller's and stays open.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Broker } from '../broker/index.js';
import { createRegistryApp } from './registry-routes.js';
import { SchemaStore } from './schema-store.js';

export interface SchemaRegistryOptions {
  readonly broker: Broker;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Checks each request first; false: it has been answered (refused) already. */
  readonly admit?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The store to serve, when the caller already opened one on `broker` (the engine's in-process client uses it too). */
  readonly store?: SchemaStore;
  /** Serve https with this key and certificate. */
  readonly tls?: SecureContextOptions;
}

export class SchemaRegistryServer {
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly http: Server,
    readonly host: string,
    readonly port: number,
    private readonly scheme: 'http' | 'https',
  ) {}

  static async start(options: SchemaRegistryOptions): Promise<SchemaRegistryServer> {
    const store = options.store ?? SchemaStore.open(options.broker);
    const app = createRegistryApp(store);
    const admit = options.admit;
    const handler = admit === undefined ? app : (req: IncomingMessage, res: ServerResponse): void => {
      if (admit(req, res)) app(req, res);
    };
    const http: Server = options.tls === undefined ? createServer(handler) : createHttpsServer(options.tls, handler);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    return new SchemaRegistryServer(http, options.host, (http.address() as AddressInfo).port, options.tls === undefined ? 'http' : 'https');
  }

  /** The base URL clients on this machine use. */
  get url(): string {
    const host = this.host === '0.0.0.0' || this.host === '::' || this.host === '' ? 'localhost' : this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${this.scheme}://${host}:${this.port}`;
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    return this.stopping;
  }
}
