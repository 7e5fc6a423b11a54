/**
 * The embedded Schema Registry: the store on the server's log and the REST
 * API on its own port, so Schema Registry clients and tools work with a plain
 * base URL. `stop` stops listening and closes open connections; the log is
 * the caller's and stays open.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
}

export class SchemaRegistryServer {
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly http: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(options: SchemaRegistryOptions): Promise<SchemaRegistryServer> {
    const store = options.store ?? SchemaStore.open(options.broker);
    const app = createRegistryApp(store);
    const admit = options.admit;
    const http = createServer(admit === undefined ? app : (req, res) => {
      if (admit(req, res)) app(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    return new SchemaRegistryServer(http, options.host, (http.address() as AddressInfo).port);
  }

  /** The base URL clients on this machine use. */
  get url(): string {
    const host = this.host === '0.0.0.0' || this.host === '::' || this.host === '' ? 'localhost' : this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    return this.stopping;
  }
}
