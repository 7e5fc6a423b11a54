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
 */
import type { Server as Http1Server } from 'node:http';
import type { Http2Server, Http2Session } from 'node:http2';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { createServer as createTlsServer, type SecureContextOptions, type TLSSocket } from 'node:tls';
import { FlowWindows } from './http2-flow-windows.js';

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

export function createDualProtocolListener(h1: Http1Server, h2: Http2Server, tls?: SecureContextOptions): DualProtocolListener {
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  // The HTTP/2 server makes a connection's session while it is handed the connection.
  let connecting: SocketStream | undefined;
  let refusing = false;
  h2.on('session', (session: Http2Session) => {
    if (connecting !== undefined) windowsOfSession.set(session, connecting.windows);
    connecting = undefined;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    if (refusing) session.close();
  });
  const route = (socket: Socket): void => {
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
    : createTlsServer({ ...tls, noDelay: true, ALPNProtocols: ['h2', 'http/1.1'] });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (tls === undefined) route(socket);
  });
  if (tls !== undefined) {
    server.on('secureConnection', (socket: TLSSocket) => {
      socket.on('error', () => socket.destroy());
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

/**
 * A socket seen by the HTTP/2 server as a plain duplex stream, starting with
 * the bytes already read. The frames passing through keep `windows` up to
 * date, and the frames of one write of the session leave in one socket write.
 */
class SocketStream extends Duplex {
  readonly windows = new FlowWindows();

  constructor(private readonly socket: Socket, first: Buffer) {
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
