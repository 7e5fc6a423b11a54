/**
 * One port for HTTP/1.1 and cleartext HTTP/2 with prior knowledge, as
 * ksqlDB's clients expect: each connection's first bytes decide. The HTTP/2
 * connection preface goes to the HTTP/2 server through a stream wrapper (the
 * HTTP/2 session must read the sniffed bytes again, which it cannot do from a
 * raw socket it reads natively); anything else goes to the HTTP/1.1 server
 * with the bytes put back. With TLS options the listener speaks TLS and
 * offers `h2` and `http/1.1` by ALPN; the decrypted bytes are routed the same
 * way (an h2 client starts with the preface). `refuseNewStreams` starts a graceful stop of the
 * HTTP/2 sessions, `closeAll` ends every open connection.
 *
 * The HTTP/1.1 server is handed its connections, so node's own header and
 * request timeouts, which watch only connections it accepted, never start:
 * the listener keeps each connection under one deadline instead
 * (connection-limits.ts says which). From its start, a connection has the
 * header timeout to finish its TLS handshake, then again its first request's
 * headers or its HTTP/2 preface; an HTTP/1.1 connection gets it again, after the
 * keep-alive timeout, once its last response has ended; an HTTP/2 session
 * with no open stream has the idle timeout. A request being answered, a
 * streaming response or a WebSocket holds no deadline.
 */
import type { Server as Http1Server, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2Server, Http2Session, ServerHttp2Stream } from 'node:http2';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { createServer as createTlsServer, type SecureContextOptions, type TLSSocket } from 'node:tls';
import { createLogger } from '../common/logger.js';
import { ConnectionDeadline } from './connection-deadline.js';
import type { ConnectionLimits } from './connection-limits.js';
import { FlowWindows } from './http2-flow-windows.js';
import { isWebSocketUpgrade, serveWithoutUpgrade } from './ignored-upgrade.js';

const log = createLogger('server');

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export interface DualProtocolListener {
  readonly server: Server;
  /**
   * Sends every HTTP/2 session, and each one made from now on, a GOAWAY: its
   * open streams finish, no new one starts, and it closes after the last.
   */
  refuseNewStreams(): void;
  /** Destroys every open connection (after the graceful part of a shutdown); returns how many there were. */
  closeAll(): number;
  /** How many connections are open (HTTP/1.1 and HTTP/2, cleartext or TLS). */
  connectionCount(): number;
}

const windowsOfSession = new WeakMap<Http2Session, FlowWindows>();

/** The send windows of an HTTP/2 session this listener made (see http2-flow-windows.ts). */
export function flowWindowsOf(session: Http2Session | undefined): FlowWindows | undefined {
  return session === undefined ? undefined : windowsOfSession.get(session);
}

export function createDualProtocolListener(h1: Http1Server, h2: Http2Server, limits: ConnectionLimits, tls?: SecureContextOptions): DualProtocolListener {
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  const deadlines = new WeakMap<Duplex, ConnectionDeadline>();
  // The HTTP/2 server makes a connection's session while it is handed the connection.
  let connecting: SocketStream | undefined;
  let refusing = false;
  h1.keepAliveTimeout = limits.keepAliveTimeoutMs;
  h2.on('session', (session: Http2Session) => {
    const stream = connecting;
    if (stream !== undefined) windowsOfSession.set(session, stream.windows);
    connecting = undefined;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    const deadline = stream === undefined ? undefined : deadlines.get(stream.socket);
    if (deadline !== undefined) watchSession(session, deadline, limits.idleTimeoutMs);
    if (refusing) session.close();
  });
  // An HTTP/1.1 connection has one request in flight at a time (node answers pipelined ones in turn).
  const inFlight = new WeakMap<Duplex, number>();
  h1.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    deadlines.get(socket)?.clear();
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (left === 0 && !socket.destroyed) deadlines.get(socket)?.set(limits.keepAliveTimeoutMs + limits.headerTimeoutMs, 'next request headers');
    });
  });
  h1.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    deadlines.get(req.socket)?.clear();
    // WebSockets are /ws/query's (ws-query.ts); any other upgrade is answered as plain HTTP/1.1.
    if (!isWebSocketUpgrade(req)) serveWithoutUpgrade(h1, req, socket, head);
  });
  const route = (socket: Socket): void => {
    const deadline = new ConnectionDeadline(socket);
    deadlines.set(socket, deadline);
    deadline.set(limits.headerTimeoutMs, 'first request headers');
    let sniffed = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      sniffed = Buffer.concat([sniffed, chunk]);
      const n = Math.min(sniffed.length, PREFACE.length);
      const isH2Prefix = sniffed.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (isH2Prefix && sniffed.length < PREFACE.length) return; // undecided: wait for more bytes
      socket.off('data', onData);
      socket.pause();
      if (isH2Prefix) {
        connecting = new SocketStream(socket, sniffed);
        h2.emit('connection', connecting);
        connecting = undefined;
      }
      else {
        socket.unshift(sniffed);
        h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  };
  const server: Server = tls === undefined
    ? createServer({ noDelay: true })
    : createTlsServer({ ...tls, noDelay: true, ALPNProtocols: ['h2', 'http/1.1'], handshakeTimeout: limits.headerTimeoutMs });
  server.maxConnections = limits.maxConnections;
  // Said once a minute at most, with how many were refused since: a flood must not flood the log too.
  let dropped = 0;
  let lastWarning = 0;
  server.on('drop', () => {
    dropped++;
    if (Date.now() - lastWarning < 60_000) return;
    log.warn({ maxConnections: limits.maxConnections, refused: dropped }, 'refused connections over the limit');
    lastWarning = Date.now();
    dropped = 0;
  });
  // TLS: the raw connection's handshake deadline, by its peer's address, until the TLS socket made of it is routed.
  const handshakes = new Map<string, ConnectionDeadline>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (tls === undefined) {
      route(socket);
      return;
    }
    const peer = peerOf(socket);
    const deadline = new ConnectionDeadline(socket);
    deadline.set(limits.headerTimeoutMs, 'TLS handshake');
    handshakes.set(peer, deadline);
    socket.once('close', () => {
      if (handshakes.get(peer) === deadline) handshakes.delete(peer);
    });
  });
  if (tls !== undefined) {
    server.on('secureConnection', (socket: TLSSocket) => {
      socket.on('error', () => socket.destroy());
      const peer = peerOf(socket);
      handshakes.get(peer)?.clear();
      handshakes.delete(peer);
      route(socket);
    });
  }
  return {
    server,
    refuseNewStreams() {
      refusing = true;
      for (const s of sessions) s.close();
    },
    closeAll() {
      const open = sockets.size;
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
      return open;
    },
    connectionCount() {
      return sockets.size;
    },
  };
}

function peerOf(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}

/** An HTTP/2 session without an open stream closes after the idle timeout. */
function watchSession(session: Http2Session, deadline: ConnectionDeadline, idleTimeoutMs: number): void {
  let open = 0;
  // A GOAWAY: with no stream open, the session and its connection close at once.
  const idle = (): void => deadline.set(idleTimeoutMs, 'idle HTTP/2 session', () => session.close());
  idle();
  session.on('stream', (stream: ServerHttp2Stream) => {
    open++;
    deadline.clear();
    stream.once('close', () => {
      open--;
      if (open === 0 && !session.destroyed) idle();
    });
  });
}

/**
 * A socket seen by the HTTP/2 server as a plain duplex stream, starting with
 * the bytes already read. The frames passing through keep `windows` up to
 * date, and the frames of one write of the session leave in one socket write.
 */
class SocketStream extends Duplex {
  readonly windows = new FlowWindows();

  constructor(readonly socket: Socket, first: Buffer) {
    super();
    this.windows.readIncoming(first);
    this.push(first);
    socket.on('data', (chunk: Buffer) => {
      this.windows.readIncoming(chunk);
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (error) => this.destroy(error));
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.windows.readOutgoing(chunk);
    this.socket.write(chunk, encoding, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    const buffers = chunks.map((c) => c.chunk);
    for (const b of buffers) this.windows.readOutgoing(b);
    this.socket.write(buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
