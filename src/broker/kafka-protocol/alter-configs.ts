/**
 * AlterConfigs (key 33), v0-v2 (flexible from v2): replaces a topic's configs with the ones
 * given, as Kafka does (a config not named goes back to its default).
 * Values follow the log's topic config rules: an unknown name or a bad value
 * is INVALID_CONFIG and changes nothing. validate_only checks without
 * changing.
 */
import { isBrokerError } from '../broker-error.js';
import { DEFAULT_TOPIC_CONFIG, parseTopicConfig } from '../topic-config.js';
import { checkTopicResource } from './config-resource.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

interface AlterRequest {
  readonly type: number;
  readonly name: string;
  readonly configs: Record<string, string>;
}

interface AlterResult {
  readonly error: number;
  readonly message: string | null;
  readonly type: number;
  readonly name: string;
}

function alter(context: KafkaContext, { type, name, configs }: AlterRequest, validateOnly: boolean): AlterResult {
  const problem = checkTopicResource(context, type, name);
  if (problem !== null) return { ...problem, type, name };
  try {
    const replaced = { ...DEFAULT_TOPIC_CONFIG, ...parseTopicConfig(configs) };
    if (!validateOnly) context.broker.alterTopicConfig(name, replaced);
    return { error: ErrorCode.NONE, message: null, type, name };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return { error: errorCodeOf(error), message: error.message, type, name };
  }
}

export const alterConfigsApi: KafkaApi = {
  key: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  handle({ body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const requested = body.array((r): AlterRequest => {
      const type = r.int8();
      const name = r.string();
      const configs: Record<string, string> = {};
      r.array((cr) => {
        const key = cr.string();
        const value = cr.nullableString();
        cr.taggedFields();
        if (value !== null) configs[key] = value;
      });
      r.taggedFields();
      return { type, name, configs };
    });
    const validateOnly = body.bool();
    const results = requested.map((request) => alter(context, request, validateOnly));
    out.int32(0);
    out.array(results, (w, result) => w.int16(result.error).nullableString(result.message).int8(result.type).string(result.name).taggedFields());
    out.taggedFields();
    return true;
  },
};
