/**
 * DescribeConfigs (key 32), v0-v4 (flexible from v4): the configs ksqlite keeps for a topic,
 * under Kafka's names, each flagged as Kafka's default or set for the topic
 * (v0 is_default; v1+ config source DEFAULT_CONFIG or DYNAMIC_TOPIC_CONFIG).
 * A value equal to Kafka's default counts as the default: the log keeps a
 * topic's resolved config, not which values were given. Names asked for that
 * ksqlite does not keep are left out, as Kafka leaves out unknown names.
 * v3+ gives each config's type; documentation is not kept (always null).
 */
import type { TopicConfig } from '../topic-config.js';
import { DEFAULT_CONFIG, checkTopicResource, configEntries, type ConfigEntry } from './config-resource.js';
import { ErrorCode } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

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
  const configs = configEntries(config).filter(({ name: key }) => keys === null || keys.includes(key));
  return { error: ErrorCode.NONE, message: null, type, name, configs };
}

export const describeConfigsApi: KafkaApi = {
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 4,
  handle({ version, body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const requested = body.array((r) => {
      const resource = { type: r.int8(), name: r.string(), keys: r.nullableArray((kr) => kr.string()) };
      r.taggedFields();
      return resource;
    });
    const includeSynonyms = version >= 1 ? body.bool() : false;
    const results = requested.map(({ type, name, keys }) => describe(context, type, name, keys));
    out.int32(0);
    out.array(results, (w, result) => {
      w.int16(result.error).nullableString(result.message).int8(result.type).string(result.name);
      w.array(result.configs, (cw, entry) => {
        cw.string(entry.name).nullableString(entry.value).bool(false);
        if (version === 0) cw.bool(entry.source === DEFAULT_CONFIG);
        else cw.int8(entry.source);
        cw.bool(false);
        if (version >= 1) {
          const synonyms = includeSynonyms ? [entry] : [];
          cw.array(synonyms, (sw, synonym) => sw.string(synonym.name).nullableString(synonym.value).int8(synonym.source).taggedFields());
        }
        if (version >= 3) cw.int8(entry.type).nullableString(null);
        cw.taggedFields();
      });
      w.taggedFields();
    });
    out.taggedFields();
    return true;
  },
};
