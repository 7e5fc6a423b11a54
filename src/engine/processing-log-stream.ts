/**
 * `ksql.logging.processing.stream.auto.create=true`: on start, a stream named
 * `ksql.logging.processing.stream.name` over the processing log topic, so an
 * operator can query the log at once, as ksqlDB's server does. It is made
 * only when no stream of that name exists (servers sharing a service id, and
 * restarts, make it once), through the command log like any CREATE STREAM.
 * Its columns are the layout processing-log.ts writes. A failure is logged
 * and never stops the start: the log itself is still written.
 */
import { createLogger } from '../common/logger.js';
import type { KsqlConfig } from './config.js';
import type { KsqlEngine } from './engine.js';

const log = createLogger('processing-log');

const DETAIL = 'cause ARRAY<VARCHAR>';

/** The CREATE STREAM statement of the processing log stream. */
export function processingLogStreamStatement(config: KsqlConfig): string {
  const name = streamName(config);
  const message = [
    'type INT',
    `deserializationError STRUCT<target VARCHAR, errorMessage VARCHAR, recordB64 VARCHAR, ${DETAIL}, \`topic\` VARCHAR>`,
    `recordProcessingError STRUCT<errorMessage VARCHAR, record VARCHAR, ${DETAIL}>`,
    'productionError STRUCT<errorMessage VARCHAR>',
    `serializationError STRUCT<target VARCHAR, errorMessage VARCHAR, record VARCHAR, ${DETAIL}, \`topic\` VARCHAR>`,
    `kafkaStreamsThreadError STRUCT<errorMessage VARCHAR, threadName VARCHAR, ${DETAIL}>`,
  ].join(', ');
  const topic = config.processingLogTopic.replace(/'/g, "''");
  return `CREATE STREAM ${name} (logger VARCHAR, level VARCHAR, \`TIME\` BIGINT, message STRUCT<${message}>) `
    + `WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');`;
}

/** Creates the stream when the setting asks for it and no stream of its name exists. */
export async function ensureProcessingLogStream(engine: KsqlEngine, config: KsqlConfig): Promise<void> {
  if (!config.getBoolean('ksql.logging.processing.stream.auto.create')) return;
  const name = streamName(config);
  if (engine.metastore.getSource(name.replace(/^`|`$/g, ''))?.kind === 'STREAM') return;
  try {
    await engine.executeAsync(processingLogStreamStatement(config));
    log.info({ stream: name, topic: config.processingLogTopic }, 'created the processing log stream');
  } catch (error) {
    log.error({ stream: name, err: error }, 'could not create the processing log stream');
  }
}

/** The configured name as an identifier: upper case unless it needs quotes, as an unquoted name would be read. */
function streamName(config: KsqlConfig): string {
  const name = config.getString('ksql.logging.processing.stream.name') ?? 'KSQL_PROCESSING_LOG';
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name.toUpperCase() : `\`${name.replace(/`/g, '``')}\``;
}
