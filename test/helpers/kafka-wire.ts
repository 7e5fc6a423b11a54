/**
 * Test helper: a raw Kafka-protocol connection, for requests real clients do
 * not send (bad frames, odd versions) and for reading responses field by field.
 */
import { connect, type Socket } from 'node:net';
import { API_VERSIONS_KEY } from '../../src/broker/kafka-protocol/api-versions.js';
import { FrameReader } from '../../src/broker/kafka-protocol/frame-reader.js';
import { ProtocolReader } from '../../src/broker/kafka-protocol/protocol-reader.js';
import { ProtocolWriter } from '../../src/broker/kafka-protocol/protocol-writer.js';

export class WireClient {
  private readonly frames = new FrameReader(1 << 30);
  private readonly received: Buffer[] = [];
  private waiter: (() => void) | undefined;
  private correlation = 0;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(...this.frames.push(chunk));
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a frame without a request header (a SASL v0 token); from now on an empty frame (its answer) can be received. */
  sendRaw(payload: Buffer): void {
    this.frames.setBounds(0, 1 << 30);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    this.write(Buffer.concat([size, payload]));
  }

  /** The next frame as it came (no correlation id read), or null once the connection closed. */
  async receiveRaw(timeoutMs = 5000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0 && !this.closed) {
      if (Date.now() >= deadline) throw new Error('no response in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.received.shift() ?? null;
  }

  /** Writes raw bytes. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /**
   * A request with header v1 (v2 when `flexible`) and the next correlation id, without its size prefix; the body is
   * written by a flexible writer when `flexibleBody`.
   */
  request(apiKey: number, version: number, body: (w: ProtocolWriter) => void, flexible = false, flexibleBody = false): Buffer {
    const w = new ProtocolWriter().int16(apiKey).int16(version).int32(++this.correlation).nullableString('wire-test');
    if (flexible) w.emptyTaggedFields();
    const bodyWriter = flexibleBody ? new ProtocolWriter(true) : w;
    body(bodyWriter);
    return Buffer.concat(flexibleBody ? [...w.finish(), ...bodyWriter.finish()] : w.finish());
  }

  /** Sends a request with header v1 (v2 when `flexible`); returns its correlation id. */
  send(apiKey: number, version: number, body: (w: ProtocolWriter) => void, flexible = false, flexibleBody = false): number {
    const payload = this.request(apiKey, version, body, flexible, flexibleBody);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    this.write(Buffer.concat([size, payload]));
    return this.correlation;
  }

  /** The next response (after its correlation id, which is returned beside it), or null once the connection closed. */
  async receive(timeoutMs = 5000): Promise<{ correlationId: number; body: ProtocolReader } | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0 && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no response in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const frame = this.received.shift();
    if (frame === undefined) return null;
    const body = new ProtocolReader(frame);
    return { correlationId: body.int32(), body };
  }

  /** Sends a request and returns the response body, checking its correlation id. */
  async call(apiKey: number, version: number, body: (w: ProtocolWriter) => void, flexible = false, flexibleBody = false): Promise<ProtocolReader> {
    const id = this.send(apiKey, version, body, flexible, flexibleBody);
    const response = await this.receive();
    if (response === null) throw new Error('the connection closed instead of answering');
    if (response.correlationId !== id) throw new Error(`correlation id ${response.correlationId}, expected ${id}`);
    return response.body;
  }

  /**
   * A flexible version's request (header v2, body written by a flexible writer) and its response body, read by a
   * flexible reader past response header v1 (ApiVersions keeps header v0).
   */
  async callFlexible(apiKey: number, version: number, body: (w: ProtocolWriter) => void): Promise<ProtocolReader> {
    const response = await this.call(apiKey, version, body, true, true);
    if (apiKey !== API_VERSIONS_KEY) response.skipTaggedFields();
    return response.rest(true);
  }

  /** Resolves true when the server closes the connection within `timeoutMs`. */
  async closedWithin(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
