/**
 * IncrementalAlterConfigs (key 44), v0-v1 (flexible from v1): changes the named topic configs and
 * keeps the rest, as Kafka does. Operations: SET a value, DELETE (back to
 * the default), APPEND to and SUBTRACT from a list config (cleanup.policy
 * is the one list among the topic configs; on others they are
 * INVALID_CONFIG). The result follows the log's topic config rules; a
 * refused change changes nothing. validate_only checks without changing.
 */
import { BrokerError, isBrokerError } from '../broker-error.js';
import { DEFAULT_TOPIC_CONFIG, parseTopicConfig, resolveTopicConfig, type TopicConfig } from '../topic-config.js';
import { checkTopicResource } from './config-resource.js';
import { ErrorCode, errorCodeOf } from './error-codes.js';
import type { ApiRequest, KafkaApi, KafkaContext } from './kafka-api.js';
import type { ProtocolWriter } from './protocol-writer.js';

const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

const LIST_CONFIGS: ReadonlySet<string> = new Set(['cleanup.policy']);

interface Operation {
  readonly name: string;
  readonly op: number;
  readonly value: string | null;
}

interface AlterResult {
  readonly error: number;
  readonly message: string | null;
  readonly type: number;
  readonly name: string;
}

function listOf(value: unknown): string[] {
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `current` with `operations` applied in order, validated. */
function applyOperations(current: TopicConfig, operations: readonly Operation[]): TopicConfig {
  const working: Record<string, unknown> = { ...current };
  for (const { name, op, value } of operations) {
    const known = Object.hasOwn(DEFAULT_TOPIC_CONFIG, name);
    // Refuses a name the topic configs do not know, and drops the Kafka configs that do not apply here.
    if (!known) parseTopicConfig({ [name]: value ?? '' });
    if (op === SET) {
      if (known) working[name] = value;
    } else if (op === DELETE) {
      if (known) working[name] = DEFAULT_TOPIC_CONFIG[name as keyof TopicConfig];
    } else if (op === APPEND || op === SUBTRACT) {
      if (!LIST_CONFIGS.has(name)) throw new BrokerError('INVALID_CONFIG', `Config '${name}' is not a list: it cannot be appended to or subtracted from.`);
      const items = listOf(working[name]);
      const given = listOf(value ?? '');
      working[name] = (op === APPEND ? [...items, ...given.filter((item) => !items.includes(item))] : items.filter((item) => !given.includes(item))).join(',');
    } else {
      throw new BrokerError('INVALID_CONFIG', `Unknown config operation ${op} for '${name}'.`);
    }
  }
  return resolveTopicConfig(working as Partial<TopicConfig>);
}

function alter(context: KafkaContext, type: number, name: string, operations: readonly Operation[], validateOnly: boolean): AlterResult {
  const problem = checkTopicResource(context, type, name);
  if (problem !== null) return { ...problem, type, name };
  try {
    const next = applyOperations(context.broker.describeTopic(name).config, operations);
    if (!validateOnly) context.broker.alterTopicConfig(name, next);
    return { error: ErrorCode.NONE, message: null, type, name };
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    return { error: errorCodeOf(error), message: error.message, type, name };
  }
}

export const incrementalAlterConfigsApi: KafkaApi = {
  key: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 1,
  handle({ body, context }: ApiRequest, out: ProtocolWriter): boolean {
    const requested = body.array((r) => {
      const resource = {
        type: r.int8(),
        name: r.string(),
        operations: r.array((cr): Operation => {
          const operation = { name: cr.string(), op: cr.int8(), value: cr.nullableString() };
          cr.taggedFields();
          return operation;
        }),
      };
      r.taggedFields();
      return resource;
    });
    const validateOnly = body.bool();
    const results = requested.map(({ type, name, operations }) => alter(context, type, name, operations, validateOnly));
    out.int32(0);
    out.array(results, (w, result) => w.int16(result.error).nullableString(result.message).int8(result.type).string(result.name).taggedFields());
    out.taggedFields();
    return true;
  },
};
