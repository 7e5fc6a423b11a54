/**
 * Topics ksqlDB never writes for a user (its ReservedInternalTopics): the
 * processing log's, ksqlDB's own internal ones (`_confluent-ksql-...`) and
 * those ksql.readonly.topics names, a list of regular expressions that each
 * must match the whole topic name.
 */
import type { KsqlConfig } from './config.js';

const INTERNAL_TOPIC_PREFIX = '_confluent-ksql-';

const DEFAULT_READ_ONLY_TOPICS = '_confluent.*,__confluent.*,_schemas,__consumer_offsets,__transaction_state,'
  + 'connect-configs,connect-offsets,connect-status,connect-statuses';

export function isReadOnlyTopic(config: KsqlConfig, topic: string): boolean {
  if (topic === config.processingLogTopic || topic.startsWith(INTERNAL_TOPIC_PREFIX)) return true;
  const patterns = (config.getString('ksql.readonly.topics') ?? DEFAULT_READ_ONLY_TOPICS).split(',').map((p) => p.trim()).filter((p) => p !== '');
  return patterns.some((p) => wholeMatch(p, topic));
}

function wholeMatch(pattern: string, topic: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(topic);
  } catch {
    // A pattern JavaScript cannot read protects only the topic it names literally.
    return pattern === topic;
  }
}
