/**
 * A connection's SASL/PLAIN authentication, as Kafka's server authenticator
 * runs it on a SASL_PLAINTEXT or SASL_SSL listener. Before authentication a
 * connection may send ApiVersions and SaslHandshake; after a SaslHandshake v1
 * only SaslAuthenticate (v0-v2, flexible from v2) requests; after a SaslHandshake v0 (older
 * clients, kafka-python) one raw token: a size-prefixed PLAIN message without
 * a request header, answered on success by an empty frame. Any other request
 * closes the connection, as Kafka closes it (ILLEGAL_SASL_STATE: "Unexpected
 * Kafka request during SASL handshake"); so do an unsupported mechanism (after
 * its UNSUPPORTED_SASL_MECHANISM answer) and wrong credentials (after the
 * SASL_AUTHENTICATION_FAILED answer of SaslAuthenticate; with a raw token, at
 * once). Frames before authentication are capped at Kafka's
 * `sasl.server.max.receive.size` default, 512 KiB.
 */
import { API_VERSIONS_KEY } from './api-versions.js';
import { ErrorCode } from './error-codes.js';
import { FrameReader, MIN_FRAME_SIZE } from './frame-reader.js';
import { ProtocolReader } from './protocol-reader.js';
import { ProtocolWriter } from './protocol-writer.js';
import { SASL_AUTHENTICATE_KEY, SASL_AUTHENTICATE_MAX_VERSION, SASL_HANDSHAKE_KEY, writeSaslAuthenticate, writeSaslHandshake } from './sasl-apis.js';

/** Who may connect: the mechanisms offered (only PLAIN exists) and the check of PLAIN credentials. */
export interface SaslAuthenticator {
  readonly mechanisms: readonly string[];
  authenticate(user: string, password: string): boolean;
}

const MAX_RECEIVE_BEFORE_AUTHENTICATION = 512 * 1024;
const FAILED = 'Authentication failed: Invalid username or password';

export type SaslStep =
  /** An ApiVersions request: answered as usual. */
  | { readonly kind: 'dispatch' }
  /** A response to write (with response header v1 when `flexible`); then the connection closes when `close` names why. */
  | { readonly kind: 'respond'; readonly correlationId: number; readonly flexible: boolean; readonly body: ProtocolWriter; readonly close?: string }
  /** Bytes to write as they are (the empty frame that accepts a raw token). */
  | { readonly kind: 'raw'; readonly bytes: Buffer }
  | { readonly kind: 'close'; readonly reason: string };

export class SaslExchange {
  private state: 'handshake' | 'authenticate' | 'token' | 'done' = 'handshake';

  constructor(
    private readonly authenticator: SaslAuthenticator,
    private readonly frames: FrameReader,
    private readonly maxFrameBytes: number,
  ) {
    frames.setBounds(MIN_FRAME_SIZE, Math.min(maxFrameBytes, MAX_RECEIVE_BEFORE_AUTHENTICATION));
  }

  get authenticated(): boolean {
    return this.state === 'done';
  }

  /** What to do with a frame received before authentication. */
  handle(frame: Buffer): SaslStep {
    if (this.state === 'token') return this.rawToken(frame);
    const request = new ProtocolReader(frame);
    const apiKey = request.int16();
    const version = request.int16();
    const correlationId = request.int32();
    if (this.state === 'handshake' && apiKey === API_VERSIONS_KEY) return { kind: 'dispatch' };
    if (this.state === 'handshake' && apiKey === SASL_HANDSHAKE_KEY && version <= 1) {
      request.nullableString();
      const mechanism = request.string();
      const body = new ProtocolWriter();
      if (!this.authenticator.mechanisms.includes(mechanism)) {
        writeSaslHandshake(body, ErrorCode.UNSUPPORTED_SASL_MECHANISM, this.authenticator.mechanisms);
        return { kind: 'respond', correlationId, flexible: false, body, close: `unsupported SASL mechanism '${mechanism}'` };
      }
      writeSaslHandshake(body, ErrorCode.NONE, this.authenticator.mechanisms);
      this.state = version === 0 ? 'token' : 'authenticate';
      if (this.state === 'token') this.frames.setBounds(0, MAX_RECEIVE_BEFORE_AUTHENTICATION);
      return { kind: 'respond', correlationId, flexible: false, body };
    }
    if (this.state === 'authenticate' && apiKey === SASL_AUTHENTICATE_KEY && version <= SASL_AUTHENTICATE_MAX_VERSION) {
      const flexible = version >= 2;
      request.nullableString();
      if (flexible) request.skipTaggedFields();
      const token = request.rest(flexible).nullableBytes() ?? Buffer.alloc(0);
      const failure = this.check(token);
      const body = new ProtocolWriter(flexible);
      writeSaslAuthenticate(body, version, failure === undefined ? ErrorCode.NONE : ErrorCode.SASL_AUTHENTICATION_FAILED, failure ?? null);
      return { kind: 'respond', correlationId, flexible, body, ...(failure === undefined ? {} : { close: failure }) };
    }
    return { kind: 'close', reason: `unexpected request (API key ${apiKey} v${version}) during SASL ${this.state} (ILLEGAL_SASL_STATE)` };
  }

  private rawToken(frame: Buffer): SaslStep {
    const failure = this.check(frame);
    if (failure !== undefined) return { kind: 'close', reason: failure };
    return { kind: 'raw', bytes: Buffer.alloc(4) };
  }

  /** Checks a PLAIN message (authzid NUL user NUL password); undefined when it authenticates. */
  private check(token: Buffer): string | undefined {
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) return `Authentication failed: a SASL/PLAIN message has 3 parts separated by NUL, this one ${parts.length}`;
    const [authorizationId, user, password] = parts as [string, string, string];
    if (user === '') return 'Authentication failed: username not specified';
    if (authorizationId !== '' && authorizationId !== user) return 'Authentication failed: Client requested an authorization id that is different from username';
    if (!this.authenticator.authenticate(user, password)) return FAILED;
    this.state = 'done';
    this.frames.setBounds(MIN_FRAME_SIZE, this.maxFrameBytes);
    return undefined;
  }
}
