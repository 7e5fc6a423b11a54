/**
 * DescribeConfigs (key 32), v0-v2: the configs ksqlite keeps for a topic,
 * under Kafka's names, each flagged as Kafka's default or set for the topic
 * (v0 is_default; v1+ config source DEFAULT_CONFIG or DYNAMIC_TOPIC_CONFIG).
 * A value equal to Kafka's default counts as the default: the log keeps a
 * topic's resolved config, not which values were given. Names asked for that
 * ksqlite does not keep are left out, as Kafka leaves out unknown names.
 */
import type { TopicConfig } from '../topic-config.js';
import { checkTopicResource, configTexts, isDefaultValue } from './config-resource.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

/** Kafka's DescribeConfigsResponse.ConfigSource values. */
const DYNAMIC_TOPIC_CONFIG = 1;
const DEFAULT_CONFIG = 5;

interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly isDefault: boolean;
}

interface ResourceResult {
  readonly error: number;
  readonly message: string | null;
  readonly type: number;
  readonly name: string;
  readonly configs: ConfigEntry[];
}

function describe(context: KafkaContext, type: number, name: string, keys: readonly string[] | null): ResourceResult {
  const problem = checkTopicResource(context, type, name);
  if (problem !== null) return { ...problem, type, name, configs: [] };
  const config: TopicConfig = context.broker.describeTopic(name).config;
  const configs = configTexts(config)
    .filter(([key]) => keys === null || keys.includes(key))
    .map(([key, value]) => ({ name: key, value, isDefault: isDefaultValue(config, key) }));
  return { error: ErrorCode.NONE, message: null, type, name, configs };
}

export const describeConfigsApi: KafkaApi = {
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 4,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const requested = body.array((r) => ({ type: r.int8(), name: r.string(), keys: r.nullableArray((kr) => kr.string()) }));
    const includeSynonyms = version >= 1 ? body.bool() : false;
    const results = requested.map(({ type, name, keys }) => describe(context, type, name, keys));
    out.int32(0);
    out.array(results, (w, result) => {
      w.int16(result.error).nullableString(result.message).int8(result.type).string(result.name);
      w.array(result.configs, (cw, entry) => {
        const source = entry.isDefault ? DEFAULT_CONFIG : DYNAMIC_TOPIC_CONFIG;
        cw.string(entry.name).nullableString(entry.value).bool(false);
        if (version === 0) cw.bool(entry.isDefault);
        else cw.int8(source);
        cw.bool(false);
        if (version >= 1) {
          const synonyms = includeSynonyms ? [entry] : [];
          cw.array(synonyms, (sw, synonym) => sw.string(synonym.name).nullableString(synonym.value).int8(source));
        }
      });
    });
    return true;
  },
};
