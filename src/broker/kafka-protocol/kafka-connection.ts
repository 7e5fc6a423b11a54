/**
 * One client connection: frames in, one request handled at a time in arrival
 * order (Kafka answers a connection's requests in order), responses out.
 * Memory stays bounded: frames are capped (frame-reader.ts), reading pauses
 * while requests wait, and the next request waits until the socket has
 * drained the last response, so a client that stops reading stops being read.
 * A request the listener cannot read closes the connection; nothing a client
 * sends throws out of here.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../../common/logger.js';
import { API_VERSIONS_KEY, API_VERSIONS_MAX_VERSION, writeUnsupportedApiVersions } from './api-versions.js';
import { FrameReader } from './frame-reader.js';
import type { KafkaApi, KafkaContext } from './kafka-api.js';
import { ProtocolError } from './protocol-error.js';
import { ProtocolReader } from './protocol-reader.js';
import { ProtocolWriter } from './protocol-writer.js';
import { SaslExchange, type SaslAuthenticator, type SaslStep } from './sasl-exchange.js';

export class KafkaConnection {
  private readonly frames: FrameReader;
  private readonly queue: Buffer[] = [];
  private readonly abort = new AbortController();
  private busy = false;
  private readonly clientHost: string;
  /** On a SASL listener: the authentication every connection goes through first. */
  private readonly sasl: SaslExchange | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly context: KafkaContext,
    private readonly apis: ReadonlyMap<number, KafkaApi>,
    maxFrameBytes: number,
    private readonly log: Logger,
    sasl?: SaslAuthenticator,
  ) {
    this.frames = new FrameReader(maxFrameBytes);
    this.clientHost = `/${socket.remoteAddress ?? ''}`;
    this.sasl = sasl === undefined ? undefined : new SaslExchange(sasl, this.frames, maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', (error) => log.debug({ err: error }, 'kafka connection error'));
    socket.on('close', () => this.abort.abort());
  }

  /** Closes the connection now (pending long polls end). */
  destroy(): void {
    this.abort.abort();
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    try {
      this.queue.push(...this.frames.push(chunk));
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.queue.length > 0) {
      this.socket.pause();
      void this.pump();
    }
  }

  private fail(error: unknown): void {
    if (error instanceof ProtocolError) this.log.debug({ reason: error.message }, 'closing a kafka connection that sent an unreadable request');
    else this.log.error({ err: error }, 'a kafka request failed; closing its connection');
    this.destroy();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.abort.signal.aborted) {
        await this.handle(this.queue.shift()!);
        if (this.socket.writableNeedDrain) await new Promise<void>((resolve) => {
          const done = (): void => {
            this.socket.off('drain', done);
            this.socket.off('close', done);
            resolve();
          };
          this.socket.on('drain', done);
          this.socket.on('close', done);
        });
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
    if (!this.abort.signal.aborted) this.socket.resume();
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.sasl !== undefined && !this.sasl.authenticated) {
      const step = this.sasl.handle(frame);
      if (step.kind !== 'dispatch') {
        this.saslStep(step);
        return;
      }
    }
    const request = new ProtocolReader(frame);
    const apiKey = request.int16();
    const version = request.int16();
    const correlationId = request.int32();
    const api = this.apis.get(apiKey);
    if (api === undefined) throw new ProtocolError(`unknown API key ${apiKey}`);
    if (apiKey === API_VERSIONS_KEY && version > API_VERSIONS_MAX_VERSION) {
      const out = new ProtocolWriter();
      writeUnsupportedApiVersions(this.context, out);
      this.respond(correlationId, false, out);
      return;
    }
    if (version < api.minVersion || version > api.maxVersion) {
      throw new ProtocolError(`${api.name} v${version} is not supported (v${api.minVersion}-v${api.maxVersion})`);
    }
    const flexible = version >= api.firstFlexibleVersion;
    // The header's client id stays an int16-length string in header v2; only its tagged fields are new.
    const clientId = request.nullableString() ?? '';
    if (flexible) request.skipTaggedFields();
    const body = request.rest(flexible);
    const out = new ProtocolWriter(flexible);
    const respond = await api.handle({ version, body, context: this.context, clientId, clientHost: this.clientHost, signal: this.abort.signal }, out);
    // ApiVersions answers with response header v0 even in its flexible version, so old clients can read it.
    if (respond) this.respond(correlationId, flexible && apiKey !== API_VERSIONS_KEY, out);
  }

  private saslStep(step: Exclude<SaslStep, { kind: 'dispatch' }>): void {
    if (step.kind === 'respond') this.respond(step.correlationId, step.flexible, step.body);
    else if (step.kind === 'raw') this.socket.write(step.bytes);
    const closeReason = step.kind === 'close' ? step.reason : step.kind === 'respond' ? step.close : undefined;
    if (closeReason !== undefined) {
      this.log.info({ remote: this.socket.remoteAddress, reason: closeReason }, 'closing a kafka connection that did not authenticate');
      // The answer written above still reaches the client: end, not destroy.
      this.abort.abort();
      this.socket.end(() => this.socket.destroy());
    }
  }

  private respond(correlationId: number, flexibleHeader: boolean, body: ProtocolWriter): void {
    if (this.abort.signal.aborted) return;
    const header = new ProtocolWriter();
    header.int32(4 + (flexibleHeader ? 1 : 0) + body.length).int32(correlationId);
    if (flexibleHeader) header.emptyTaggedFields();
    this.socket.cork();
    for (const chunk of header.finish()) this.socket.write(chunk);
    for (const chunk of body.finish()) this.socket.write(chunk);
    this.socket.uncork();
  }
}
