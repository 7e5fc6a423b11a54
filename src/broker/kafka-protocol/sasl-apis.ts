/**
 * SaslHandshake (key 17, v0-v1) and SaslAuthenticate (key 36, v0-v1) as the
 * listener answers them once a connection is past authentication, or on a
 * listener without SASL: as Kafka's request handler does, with
 * ILLEGAL_SASL_STATE. While a SASL connection authenticates, these requests
 * never reach here: the connection's SASL exchange (sasl-exchange.ts) reads
 * them. The writers are shared with it.
 */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const SASL_HANDSHAKE_KEY = 17;
export const SASL_AUTHENTICATE_KEY = 36;
export const SASL_AUTHENTICATE_MAX_VERSION = 2;

export function writeSaslHandshake(out: ProtocolWriter, errorCode: number, mechanisms: readonly string[]): void {
  out.int16(errorCode);
  out.array(mechanisms, (w, m) => w.string(m));
}

export function writeSaslAuthenticate(out: ProtocolWriter, version: number, errorCode: number, message: string | null): void {
  out.int16(errorCode).nullableString(message).nullableBytes([]);
  // v1: the session lifetime; 0 means the client need not authenticate again.
  if (version >= 1) out.int64(0);
  out.taggedFields();
}

export const saslHandshakeApi: KafkaApi = {
  key: SASL_HANDSHAKE_KEY,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 2,
  handle(_request: ApiRequest, out: ProtocolWriter): boolean {
    writeSaslHandshake(out, ErrorCode.ILLEGAL_SASL_STATE, []);
    return true;
  },
};

export const saslAuthenticateApi: KafkaApi = {
  key: SASL_AUTHENTICATE_KEY,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: SASL_AUTHENTICATE_MAX_VERSION,
  firstFlexibleVersion: 2,
  handle({ version }: ApiRequest, out: ProtocolWriter): boolean {
    writeSaslAuthenticate(out, version, ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate request received after successful authentication');
    return true;
  },
};
