/**
 * ApiVersions (key 18), v0-v4: the APIs and version ranges the listener
 * speaks. v3+ is flexible (compact array, tagged fields) though its response
 * header stays v0; v4 only fixes how features are read, and ksqlite lists
 * none. A client asking a version above 4 gets Kafka's fallback
 * answer: a v0 body with UNSUPPORTED_VERSION and the ranges, so it can retry
 * with a version both speak.
 */
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

export const API_VERSIONS_KEY = 18;
export const API_VERSIONS_MAX_VERSION = 4;

/** The response to an ApiVersions request of a version this listener does not speak. */
export function writeUnsupportedApiVersions(context: KafkaContext, out: ProtocolWriter): void {
  out.int16(ErrorCode.UNSUPPORTED_VERSION);
  out.array(context.apis, (w, api) => w.int16(api.key).int16(api.minVersion).int16(api.maxVersion));
}

export const apiVersionsApi: KafkaApi = {
  key: API_VERSIONS_KEY,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: API_VERSIONS_MAX_VERSION,
  firstFlexibleVersion: 3,
  handle({ version, context }: ApiRequest, out: ProtocolWriter): boolean {
    // The v3 body (client software name and version) is informational: not read.
    out.int16(ErrorCode.NONE);
    out.array(context.apis, (w, api) => w.int16(api.key).int16(api.minVersion).int16(api.maxVersion).taggedFields());
    if (version >= 1) out.int32(0);
    out.taggedFields();
    return true;
  },
};
