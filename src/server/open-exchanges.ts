/**
 * The exchanges a server has open (HTTP requests being answered, WebSocket
 * queries), so that a stop can end each one properly and wait for them. A
 * route that streams says how it ends when the server stops (`onServerStop`):
 * an inserts stream stops taking rows and acks those it stored, a push query
 * or PRINT ends its response as it does when its query ends. Every other
 * exchange simply runs to its end.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** An HTTP request being answered, or a WebSocket query. */
export type ExchangeKind = 'http' | 'websocket';

interface Exchange {
  readonly owner: OpenExchanges;
  /** Made only when a stop reports what is still open. */
  readonly label: () => string;
  readonly kind: ExchangeKind;
  stop: (() => void) | undefined;
}

/** Each exchange by its response or WebSocket, whichever server it belongs to. */
const exchangeOf = new WeakMap<object, Exchange>();

/**
 * How the exchange of `key` (its response or WebSocket) ends when the server
 * stops; at once if the server is stopping already. Ignored for an
 * exchange no server tracks.
 */
export function onServerStop(key: object, stop: () => void): void {
  const exchange = exchangeOf.get(key);
  if (exchange === undefined) return;
  exchange.stop = stop;
  if (exchange.owner.stopping) stop();
}

export class OpenExchanges {
  private readonly open = new Set<Exchange>();
  private readonly emptyWaiters: (() => void)[] = [];
  private isStopping = false;

  get stopping(): boolean {
    return this.isStopping;
  }

  /**
   * Tracks an HTTP exchange until its response has closed and its request body
   * was read to its end (or cut). Listeners, not promises: every request of the
   * server passes here.
   */
  addHttp(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void {
    const remove = this.register(res, () => `${req.method ?? '?'} ${req.url ?? '?'} (HTTP/${req.httpVersion})`, 'http');
    let pending = 1;
    const settle = (): void => {
      if (--pending === 0) remove();
    };
    res.once('close', settle);
    if (req.readableEnded || req.destroyed) return;
    pending++;
    // A client that closes its connection mid-body (after the response ended) ends no HTTP/1.1 request: the socket's close does.
    const socket = req.socket;
    const done = (): void => {
      req.off('end', done);
      req.off('close', done);
      socket?.off('close', done);
      settle();
    };
    req.once('end', done);
    req.once('close', done);
    socket?.once('close', done);
  }

  /** Tracks an exchange until `done` settles. */
  add(key: object, label: string, done: Promise<unknown>, kind: ExchangeKind): void {
    const remove = this.register(key, () => label, kind);
    done.then(remove, remove);
  }

  /** Starts tracking an exchange; returns what ends its tracking. */
  private register(key: object, label: () => string, kind: ExchangeKind): () => void {
    const exchange: Exchange = { owner: this, label, kind, stop: undefined };
    exchangeOf.set(key, exchange);
    this.open.add(exchange);
    return () => {
      this.open.delete(exchange);
      if (this.open.size === 0) for (const w of this.emptyWaiters.splice(0)) w();
    };
  }

  /** How many exchanges of a kind are open. */
  countOf(kind: ExchangeKind): number {
    let n = 0;
    for (const exchange of this.open) if (exchange.kind === kind) n++;
    return n;
  }

  /** Asks every open exchange to end; exchanges that start from now on are asked as they register. */
  stopAll(): void {
    this.isStopping = true;
    for (const exchange of [...this.open]) exchange.stop?.();
  }

  /** Resolves once no exchange is open, or when `cutShort` resolves first, with the labels of those still open. */
  async settled(cutShort: Promise<void>): Promise<string[]> {
    if (this.open.size > 0) await Promise.race([new Promise<void>((resolve) => this.emptyWaiters.push(resolve)), cutShort]);
    return [...this.open].map((e) => e.label());
  }
}
